"""Read a report.json back into a ``Report`` (for ``verify-refs fixes`` and re-rendering).

Every problem becomes one ``InputError`` naming the file and the place in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import (
    ArchiveResult,
    ArchiveStatus,
    Change,
    ChangeKind,
    CitedArchive,
    LintIssue,
    LiveResult,
    LiveStatus,
    Reference,
    ReferenceResult,
    Report,
    RunTally,
    Severity,
    Verdict,
)


class _Bad(Exception):
    """A problem at a place inside the document (turned into InputError at the top)."""


def load_report(path: Path) -> Report:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such report; run verify-refs first") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    try:
        return _report(data)
    except _Bad as exc:
        raise InputError(f"{path}: {exc}") from None


def _report(data: Any) -> Report:
    obj = _object(data, "the top level")
    refs = obj.get("references")
    if not isinstance(refs, list):
        raise _Bad("'references' is missing or not a list: not a verify-refs report")
    source = obj.get("source") or {}
    if not isinstance(source, dict):
        raise _Bad("'source' is not an object")
    checker = obj.get("checker") or {}
    if not isinstance(checker, dict) or checker.get("online") not in (None, True, False):
        raise _Bad("'checker' is not an object with a true/false/null 'online'")
    return Report(
        checker_online=checker.get("online"),
        generated_at=str(obj.get("generated_at") or ""),
        source=source,
        results=[_result(r, f"references[{i}]") for i, r in enumerate(refs)],
        changes=[_change(c, f"changes[{i}]") for i, c in enumerate(obj.get("changes") or [])],
        failing=[str(x) for x in obj.get("failing") or []],
        trend=[_tally(t, f"trend[{i}]") for i, t in enumerate(obj.get("trend") or [])],
        refresh=_opt_str(obj, "refresh_urls", "the top level"),
    )


def _result(data: Any, where: str) -> ReferenceResult:
    obj = _object(data, where)
    ref_id = obj.get("id")
    if not isinstance(ref_id, str) or not ref_id:
        raise _Bad(f"{where}: 'id' is missing or not a string")
    uses = obj.get("uses", 1)
    if not isinstance(uses, int) or isinstance(uses, bool):
        raise _Bad(f"{where}: 'uses' is not a number")
    reference = Reference(
        id=ref_id,
        title=_opt_str(obj, "title", where),
        url=_opt_str(obj, "url", where),
        work=_opt_str(obj, "work", where),
        uses=uses,
    )
    fix = obj.get("fix") or {}
    if not isinstance(fix, dict):
        raise _Bad(f"{where}: 'fix' is not an object")
    return ReferenceResult(
        reference=reference,
        live=_live(obj.get("live"), f"{where}.live"),
        archive=_archive(obj.get("archive"), f"{where}.archive"),
        verdict=_enum(Verdict, obj.get("verdict"), f"{where}.verdict"),
        action=str(obj.get("action") or ""),
        fix={str(k): str(v) for k, v in fix.items()},
        dead_since=_opt_str(obj, "dead_since", where),
        failing_streak=_opt_int(obj, "failing_streak", where) or 0,
        lint=_lint(obj.get("lint"), f"{where}.lint", ref_id),
    )


def _lint(data: Any, where: str, ref_id: str) -> list[LintIssue]:
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise _Bad(f"{where}: not a list of objects")
    issues = []
    for i, issue in enumerate(data):
        if not isinstance(issue.get("code"), str) or not isinstance(issue.get("message"), str):
            raise _Bad(f"{where}[{i}]: 'code' and 'message' must be strings")
        severity = _enum(Severity, issue.get("severity"), f"{where}[{i}].severity")
        issues.append(LintIssue(ref_id, issue["code"], issue["message"], severity))
    return issues


def _live(data: Any, where: str) -> LiveResult:
    obj = _object(data, where)
    return LiveResult(
        status=_enum(LiveStatus, obj.get("status"), f"{where}.status"),
        http_status=_opt_int(obj, "http_status", where),
        final_url=_opt_str(obj, "final_url", where),
        redirects=[str(u) for u in obj.get("redirects") or []],
        title_seen=_opt_str(obj, "title_seen", where),
        title_match=_opt_float(obj, "title_match", where),
        checked_at=_opt_str(obj, "checked_at", where),
        detail=str(obj.get("detail") or ""),
        excluded=obj.get("excluded") is True,
    )


def _archive(data: Any, where: str) -> ArchiveResult:
    obj = _object(data, where)
    return ArchiveResult(
        status=_enum(ArchiveStatus, obj.get("status"), f"{where}.status"),
        snapshot_url=_opt_str(obj, "snapshot_url", where),
        snapshot_timestamp=_opt_str(obj, "snapshot_timestamp", where),
        snapshot_http_status=_opt_int(obj, "snapshot_http_status", where),
        cited_archive=_enum(
            CitedArchive, obj.get("cited_archive", "none-cited"), f"{where}.cited_archive"
        ),
        archive=_opt_str(obj, "archive", where),
        chosen_by=_opt_str(obj, "chosen_by", where),
        detail=str(obj.get("detail") or ""),
        excluded=obj.get("excluded") is True,
    )


def _change(data: Any, where: str) -> Change:
    obj = _object(data, where)
    if not isinstance(obj.get("id"), str) or not isinstance(obj.get("kind"), str):
        raise _Bad(f"{where}: 'id' and 'kind' must be strings")
    return Change(
        id=obj["id"],
        kind=_enum(ChangeKind, obj["kind"], f"{where}.kind"),
        before=_opt_str(obj, "before", where),
        after=str(obj.get("after") or ""),
        since=_opt_str(obj, "since", where),
        streak=_opt_int(obj, "streak", where) or 0,
    )


def _tally(data: Any, where: str) -> RunTally:
    obj = _object(data, where)
    counts = obj.get("counts")
    if not isinstance(obj.get("run_at"), str) or not isinstance(counts, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
        for k, v in counts.items()
    ):
        raise _Bad(f"{where}: needs 'run_at' (a string) and 'counts' (verdict -> number)")
    return RunTally(run_at=obj["run_at"], counts=dict(counts))


def _object(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _Bad(f"{where}: expected an object")
    return data


def _enum(kind: Any, value: Any, where: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(v) for v in kind)
        raise _Bad(f"{where}: {value!r} is not one of {allowed}") from None


def _opt_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise _Bad(f"{where}: '{key}' is not a string")
    return value


def _opt_int(obj: dict[str, Any], key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _Bad(f"{where}: '{key}' is not a whole number")
    return value


def _opt_float(obj: dict[str, Any], key: str, where: str) -> float | None:
    value = obj.get(key)
    if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
        raise _Bad(f"{where}: '{key}' is not a number")
    return None if value is None else float(value)
