"""Settings from verify-refs.toml, pyproject.toml's [tool.verify-refs] and VERIFY_REFS_*
variables, merged command line > environment > file > defaults; --show-config; a bad
config is one line naming the file and key, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests import sites
from tests.loopback import LoopbackServer
from tests.test_e2e import TITLE, common_args, write_refs
from verifier.cli.app import main


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own, and none of the caller's VERIFY_REFS_ variables."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in __import__("os").environ if n.startswith("VERIFY_REFS_")]:
        monkeypatch.delenv(name)
    return tmp_path


def invoke(args: list[str], **env: str) -> Result:
    return CliRunner().invoke(main, args, env=env)


def shown(result: Result) -> dict[str, str]:
    """--show-config's lines by key: 'value  # source'."""
    assert result.exit_code == 0, result.output
    lines = {}
    for line in result.stdout.splitlines():
        key, _, rest = line.lstrip("# ").partition(" = " if " = " in line else ": ")
        lines[key] = rest
    return lines


def test_command_line_over_environment_over_file_over_default(here: Path) -> None:
    (here / "verify-refs.toml").write_text(
        'timeout = 7\nper-host = 1\nconfirm-after = 3\nreport = ["html", "md"]\n', "utf-8"
    )
    result = invoke(
        ["--show-config", "--timeout", "11"],
        VERIFY_REFS_TIMEOUT="9",
        VERIFY_REFS_PER_HOST="2",
    )
    got = shown(result)
    assert got["timeout"] == "11.0  # command line"
    assert got["per-host"] == "2  # environment VERIFY_REFS_PER_HOST"
    assert got["confirm-after"] == "3  # config verify-refs.toml"
    assert got["report"] == '["html", "md"]  # config verify-refs.toml'
    assert got["archive-interval"] == "2.5  # default"
    assert got["db"] == "not set  # default"


def test_the_printout_is_toml_that_reads_back_the_same(here: Path) -> None:
    first = invoke(["--show-config", "--accept", "200..=299,403", "--exclude", "a.example",
                    "--no-archive", "--fail-on", "lost"])
    saved = "\n".join(line.split("  # ")[0] for line in first.stdout.splitlines())
    (here / "verify-refs.toml").write_text(saved + "\n", "utf-8")
    again = shown(invoke(["--show-config"]))
    assert again["accept"] == '"200..=299,403"  # config verify-refs.toml'
    assert again["exclude"] == '["a.example"]  # config verify-refs.toml'
    assert again["no-archive"] == "true  # config verify-refs.toml"


def test_secrets_are_never_printed(here: Path) -> None:
    result = invoke(["--show-config", "--save-keys", "AK:SECRETKEY",
                     "--header", "Authorization: Bearer tok3n"])
    assert result.exit_code == 0
    assert "SECRETKEY" not in result.output and "tok3n" not in result.output
    got = shown(result)
    assert got["save-keys"] == "(set, not shown)  # command line"
    assert got["header"] == '["Authorization: (set, not shown)"]  # command line'


def test_pyprojects_table_and_which_file_wins(here: Path) -> None:
    (here / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.verify-refs]\ntimeout = 4\n', "utf-8"
    )
    assert shown(invoke(["--show-config"]))["timeout"] == (
        "4.0  # config pyproject.toml [tool.verify-refs]"
    )
    (here / "verify-refs.toml").write_text("timeout = 6\n", "utf-8")
    assert shown(invoke(["--show-config"]))["timeout"] == "6.0  # config verify-refs.toml"
    other = here / "ci.toml"
    other.write_text("timeout = 8\n", "utf-8")
    named = shown(invoke(["--show-config", "--config", str(other)]))
    assert named["timeout"] == f"8.0  # config {other}"
    assert shown(invoke(["--show-config"], VERIFY_REFS_CONFIG=str(other)))["timeout"].startswith(
        "8.0"
    )


def test_a_pyproject_without_the_table_is_not_ours(here: Path) -> None:
    (here / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.ruff]\nx = 1\n', "utf-8")
    assert shown(invoke(["--show-config"]))["timeout"] == "20.0  # default"


def test_the_file_and_the_environment_reach_the_run(
    here: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    kept = sites.article(server, "/kept", TITLE)
    skipped = sites.not_found(server, "/private/gone")
    write_refs(
        here / "references.json",
        [{"id": "1", "title": TITLE, "url": kept}, {"id": "2", "title": TITLE, "url": skipped}],
    )
    (here / "verify-refs.toml").write_text(
        'exclude = "/private/"\nno-archive = true\nfail-on = ["lost", "broken", "unverified"]\n',
        "utf-8",
    )
    out = here / "out"
    result = invoke(common_args(out, probe, None), VERIFY_REFS_REPORT="md csv")
    assert result.exit_code == 0, result.output
    assert not server.hits_for("/private/gone")
    assert (out / "report.md").is_file() and (out / "report.csv").is_file()
    refs = json.loads((out / "report.json").read_text("utf-8"))["references"]
    assert [r["verdict"] for r in refs] == ["healthy", "unverified"]


def test_the_environment_does_not_make_a_subcommand_refuse_to_run(here: Path) -> None:
    (here / "references.json").write_text(
        '{"source": {"title": "T"}, "references": []}', "utf-8"
    )
    result = invoke(["lint", "references.json"], VERIFY_REFS_TIMEOUT="5")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("timout = 5\n", "verify-refs.toml: unknown key 'timout' (did you mean 'timeout'?)"),
        ("refs_file = 5\n", "verify-refs.toml: unknown key 'refs_file'"),
        ('timeout = "soon"\n', "verify-refs.toml: timeout: 'soon' is not a valid float"),
        ("timeout = true\n", "verify-refs.toml: timeout: expected a single value, got a boolean"),
        ("timeout = [1, 2]\n", "verify-refs.toml: timeout: expected a single value, got a list"),
        ('no-archive = "yes"\n', "verify-refs.toml: no-archive: expected true or false"),
        ('fail-on = ["lost", "gone"]\n', "verify-refs.toml: fail-on: 'gone' is not one of"),
        ('exclude = "(oops"\n', "verify-refs.toml: exclude: --exclude: not a regular expression"),
        ("timeout = 5\ntimeout = 6\n", "verify-refs.toml: not valid TOML"),
        ("[tool\n", "verify-refs.toml: not valid TOML"),
        ("config = 'x.toml'\n", "verify-refs.toml: unknown key 'config'"),
    ],
)
def test_a_bad_config_file_is_one_line_naming_file_and_key(
    here: Path, text: str, said: str
) -> None:
    (here / "verify-refs.toml").write_text(text, "utf-8")
    result = invoke(["--out", str(here / "o")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
    assert said in result.output
    assert not (here / "o").exists()


def test_a_named_config_that_cannot_be_read_is_exit_2(here: Path) -> None:
    result = invoke(["--config", str(here / "missing.toml")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "missing.toml: cannot read the config file" in result.output
    (here / "verify-refs.toml").write_bytes(b"timeout = \xff\n")
    bad = invoke([])
    assert bad.exit_code == 2 and "verify-refs.toml: not valid TOML" in bad.output


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"VERIFY_REFS_TIMEOUT": "soon"}, "environment VERIFY_REFS_TIMEOUT: 'soon' is not"),
        ({"VERIFY_REFS_NO_ARCHIVE": "maybe"}, "environment VERIFY_REFS_NO_ARCHIVE: expected"),
        ({"VERIFY_REFS_REPORT": "html pdf"}, "environment VERIFY_REFS_REPORT: 'pdf' is not"),
    ],
)
def test_a_bad_environment_variable_is_named(here: Path, env: dict[str, str], said: str) -> None:
    result = invoke(["--out", str(here / "o")], **env)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
    assert said in result.output


def test_the_readmes_example_config_is_valid(here: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (here / "verify-refs.toml").write_text(
        "\n".join(line.removeprefix("  ") for line in example.splitlines()), "utf-8"
    )
    got = shown(invoke(["--show-config"]))
    assert got["exclude"] == '["linkedin.com", "/login\\\\b"]  # config verify-refs.toml'
    assert got["progress"] == "false  # config verify-refs.toml"


def test_the_printout_says_which_file_and_that_the_ignore_file_is_read(here: Path) -> None:
    assert invoke(["--show-config"]).stdout.splitlines()[0] == (
        "# config file: none (no --config, ./verify-refs.toml or [tool.verify-refs])"
    )
    (here / "verify-refs.toml").write_text("timeout = 6\n", "utf-8")
    (here / ".verify-refs-ignore").write_text("a.example\n", "utf-8")
    result = invoke(["--show-config"])
    assert result.stdout.splitlines()[0] == "# config file: verify-refs.toml"
    assert "# ignore-file: not set, ./.verify-refs-ignore is read  # default" in result.stdout


def test_headers_from_the_environment_are_one_a_line(here: Path) -> None:
    result = invoke(
        ["--show-config"], VERIFY_REFS_HEADER="X-Team: the refs team\nX-Night: yes"
    )
    assert shown(result)["header"] == (
        '["X-Team: (set, not shown)", "X-Night: (set, not shown)"]  # environment '
        "VERIFY_REFS_HEADER"
    )


# -- the commands' own settings: a table each, VERIFY_REFS_<COMMAND>_<KEY> ------------------
def _lint_input(here: Path) -> Path:
    path = here / "article.wiki"
    path.write_text("Text.<ref>{{cite web|url=https://example.org/a|title=A}}</ref>\n"
                    "<references/>\n", "utf-8")
    return path


def test_a_commands_table_and_variables_set_its_own_options(here: Path) -> None:
    article = _lint_input(here)
    (here / "verify-refs.toml").write_text("[lint]\njson = true\n", "utf-8")
    from_file = invoke(["lint", str(article)])
    assert from_file.exit_code == 0, from_file.output
    assert json.loads(from_file.stdout) == []  # --json, from the [lint] table
    from_env = invoke(["lint", str(article)], VERIFY_REFS_LINT_JSON="0")
    assert from_env.exit_code == 0, from_env.output
    assert "[]" not in from_env.stdout and "0 issue(s)" in from_env.output  # text, not --json


def test_shared_keys_at_the_top_reach_every_command_that_has_them(
    here: Path, server: LoopbackServer
) -> None:
    from tests.mediawiki_server import MediaWikiAPI, parser_output

    wiki = MediaWikiAPI(server)
    title, html = parser_output("zh.html")
    wiki.add("zh", title, html)
    (here / "verify-refs.toml").write_text(
        f'api = "{wiki.api_base}"\ntimeout = 5\n[parse]\nout = "records.json"\n', "utf-8"
    )
    result = invoke(["parse", f"https://zh.wikipedia.org/wiki/{title}"])
    assert result.exit_code == 0, result.output
    assert [h.path for h in server.hits][:1] == ["/zh/w/api.php"]  # the file's api
    records = json.loads((here / "records.json").read_text("utf-8"))  # [parse]'s out
    assert len(records["references"]) == 4  # the fixture's four, as test_mediawiki reads it


@pytest.mark.parametrize(
    ("text", "env", "said"),
    [
        ('[fix]\nlangg = "ru"\n', {}, "verify-refs.toml [fix]: unknown key 'langg' (did you mean"),
        ('[fix]\nlang = "xx"\n', {}, "verify-refs.toml [fix]: lang: 'xx' is not one of"),
        ('lang = "ru"\n', {}, "verify-refs.toml: unknown key 'lang'"),  # not the main job's
        ("", {"VERIFY_REFS_FIX_LANG": "xx"}, "environment VERIFY_REFS_FIX_LANG: "),
    ],
)
def test_a_bad_command_setting_is_one_line_naming_where(
    here: Path, text: str, env: dict[str, str], said: str
) -> None:
    (here / "verify-refs.toml").write_text(text, "utf-8")
    result = invoke(["fix", str(_lint_input(here))], **env)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert said in result.output, result.output


def test_shared_keys_mean_the_same_on_every_command_that_has_them() -> None:
    # One key for all is right only while the option is the one shared decorator's.
    from verifier.cli.config import SHARED, configurable

    mains = configurable(main)
    for name, command in main.commands.items():
        for key, param in configurable(command).items():
            if key in SHARED:
                assert key in mains, key
                assert (param.default, param.multiple, type(param.type)) == (
                    mains[key].default, mains[key].multiple, type(mains[key].type)), (name, key)
                assert param.envvar == mains[key].envvar
            else:
                assert param.envvar == f"VERIFY_REFS_{name}_{key}".upper().replace("-", "_")
