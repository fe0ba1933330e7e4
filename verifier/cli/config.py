"""The main job's settings from a file and the environment, through click's own machinery.

Merged as users of other tools expect: the command line over ``VERIFY_REFS_*``
environment variables over the config file over the defaults. Click does the merge: each
option reads its ``envvar`` and the context's ``default_map`` (filled here, from the file)
when the command line does not give it, and says which it took (``ParameterSource``).

The file is ``--config FILE``, else ``./verify-refs.toml``, else the ``[tool.verify-refs]``
table of ``./pyproject.toml``. Its keys are the long option names (``fail-on``,
``no-archive``, ``timeout``); a repeatable option takes a list (or one value). A command's
own options sit in a table named after it (``[fix]``: ``lang``, ``from``; its variables
``VERIFY_REFS_FIX_LANG``); the options every command that fetches shares (``SHARED``) are
set once, at the top and in ``VERIFY_REFS_API`` and the like, for every command that has
them. Anything wrong in it — unreadable TOML, an unknown key, a value of the wrong type — is
one line naming the file and the key, exit status 2, before anything is read or checked.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from ..urlfilter import IGNORE_FILE
from .errors import BadInput, one_line

CONFIG_FILE = "verify-refs.toml"
PYPROJECT = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "verify-refs")
ENV_PREFIX = "VERIFY_REFS_"
# Options about the configuration itself, or that only print and exit: never configured.
NOT_CONFIGURABLE = frozenset({"config", "show-config", "help", "version", "dump"})
# Options that mean the same on every command that has them (the shared decorators in
# cli/options.py): one key and one variable for all. Any other option of a command is its
# own (``fix --out`` is a file, the main job's a folder), under the command's table.
SHARED = frozenset({"api", "allow-network", "resolve", "timeout", "per-host"})
# Values never shown by --show-config (the keys, a header's value: often a token).
SECRET = "(set, not shown)"


def key_of(param: click.Parameter) -> str | None:
    """The config key (and environment variable stem) of an option: its long name."""
    if not isinstance(param, click.Option):
        return None
    for opt in param.opts:
        if opt.startswith("--"):
            return opt[2:]
    return None


def env_name(key: str) -> str:
    return ENV_PREFIX + key.upper().replace("-", "_")


def configurable(command: click.Command) -> dict[str, click.Option]:
    """The options a config file or the environment may set, by key."""
    found = {}
    for param in command.params:
        key = key_of(param)
        if key and key not in NOT_CONFIGURABLE and isinstance(param, click.Option):
            found[key] = param
    return found


def command_env_name(command: str, key: str) -> str:
    """A command's own option's variable: ``VERIFY_REFS_FIX_LANG``; a shared one's is the
    same for every command."""
    return env_name(key) if key in SHARED else env_name(f"{command}-{key}")


def with_envvars(group: click.Group) -> None:
    """Give every configurable option its ``VERIFY_REFS_<LONG_NAME>`` variable, and each
    command's its ``VERIFY_REFS_<COMMAND>_<LONG_NAME>`` (click's ``auto_envvar_prefix``
    would name them by parameter, not by option: ``REPORTS`` for --report, ``FIXED_NOW``
    for --now)."""
    for key, param in configurable(group).items():
        param.envvar = env_name(key)
    for param in group.params:
        if key_of(param) == "config":
            param.envvar = env_name("config")
    for name, command in group.commands.items():
        for key, param in configurable(command).items():
            param.envvar = command_env_name(name, key)


def default_file() -> tuple[Path, tuple[str, ...], dict[str, Any]] | None:
    """The config file in the working directory, the table in it and that table's
    settings (read once: pyproject.toml is read to know whether it is ours), or None."""
    if Path(CONFIG_FILE).is_file():
        return Path(CONFIG_FILE), (), _read(Path(CONFIG_FILE))
    pyproject = Path(PYPROJECT)
    # Only when it has the table: most pyproject.toml files are not ours.
    data = _table(_read(pyproject), PYPROJECT_TABLE) if pyproject.is_file() else None
    return None if data is None else (pyproject, PYPROJECT_TABLE, data)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(one_line(f"{path}: not valid TOML: {exc}")) from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not valid TOML: not UTF-8 text") from None


def _table(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    for name in path:
        data = data.get(name)  # type: ignore[assignment]
        if not isinstance(data, dict):
            return None
    return data


def load_config(
    ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    """``--config``'s callback (eager, so it runs before the other options take their
    values): the file's settings into ``ctx.default_map``, each checked now; the
    environment's values checked too, so that a bad one names its variable."""
    options = configurable(ctx.command)
    _check_environment(ctx, options)
    if value is not None:
        path = Path(value)
        table = PYPROJECT_TABLE if path.name == PYPROJECT else ()
        data = _table(_read(path), table)
    else:
        found = default_file()
        if found is None:
            return None
        path, table, data = found
    where = f"{path} [{'.'.join(table)}]" if table else str(path)
    if data is None:
        raise BadInput(f"{path}: no [{'.'.join(table)}] table")
    commands = ctx.command.commands if isinstance(ctx.command, click.Group) else {}
    tables = {k: v for k, v in data.items() if k in commands and isinstance(v, dict)}
    top = _defaults(ctx, options, {k: v for k, v in data.items() if k not in tables}, where)
    defaults: dict[str, Any] = dict(top.values())
    for name, command in commands.items():
        own = configurable(command)
        # Shared keys set at the top reach every command that has them; its table's win.
        inherited = {own[k].name: v for k, (_, v) in top.items() if k in SHARED and k in own}
        table_defaults = _defaults(ctx, own, tables.get(name, {}), f"{where} [{name}]")
        merged = {**inherited, **dict(table_defaults.values())}
        if merged:
            defaults[name] = merged  # click gives a command the default_map under its name
    ctx.default_map = {**(ctx.default_map or {}), **defaults}
    ctx.meta["verify-refs.config"] = where
    return str(path)


def _defaults(
    ctx: click.Context, options: dict[str, click.Option], data: dict[str, Any], where: str
) -> dict[str, tuple[str, Any]]:
    """The table's values, checked, by key: (parameter name, value)."""
    found: dict[str, tuple[str, Any]] = {}
    for key, raw in data.items():
        param = options.get(key)
        if param is None:
            raise BadInput(f"{where}: unknown key {key!r}{_did_you_mean(key, options)}")
        value = _shaped(param, raw, f"{where}: {key}")
        _check(ctx, param, value, f"{where}: {key}")
        assert param.name is not None
        found[key] = (param.name, value)
    return found


def _did_you_mean(key: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else " (keys are the long option names)"


def _shaped(param: click.Option, raw: Any, where: str) -> Any:
    """The TOML value in the shape click expects, or a one-line refusal."""
    if param.is_flag:
        if not isinstance(raw, bool):
            raise BadInput(f"{where}: expected true or false, got {_shown(raw)}")
        return raw
    if param.multiple:
        items = raw if isinstance(raw, list) else [raw]
        for item in items:
            _scalar(item, where)
        return items
    _scalar(raw, where)
    return raw


def _scalar(raw: Any, where: str) -> None:
    # A boolean is not a number (click would take true for 1.0) nor a string.
    if isinstance(raw, bool | list | dict):
        raise BadInput(f"{where}: expected a single value, got {_shown(raw)}")


def _shown(raw: Any) -> str:
    kind = {bool: "a boolean", list: "a list", dict: "a table"}.get(type(raw))
    return kind or repr(raw)


def _check(ctx: click.Context, param: click.Option, value: Any, where: str) -> None:
    try:
        param.type_cast_value(ctx, value)
    except click.BadParameter as exc:
        raise BadInput(one_line(f"{where}: {exc.message}")) from None


def _check_environment(ctx: click.Context, options: dict[str, click.Option]) -> None:
    for key, param in options.items():
        name = env_name(key)
        if os.environ.get(name):
            if param.is_flag:
                if click.types.BoolParamType.str_to_bool(os.environ[name]) is None:
                    raise BadInput(f"environment {name}: expected true or false (1/0, yes/no)")
                continue
            _check(ctx, param, param.value_from_envvar(ctx), f"environment {name}")


# --- --show-config ---------------------------------------------------------------------------


def show_config(ctx: click.Context) -> list[str]:
    """The effective settings, one ``key = value`` a line (TOML: the output can be saved
    as verify-refs.toml), each with where it came from."""
    config = ctx.meta.get("verify-refs.config")
    found = config or "none (no --config, ./verify-refs.toml or [tool.verify-refs])"
    lines = [f"# config file: {found}"]
    for key, param in configurable(ctx.command).items():
        assert param.name is not None
        source = ctx.get_parameter_source(param.name)
        value = ctx.params.get(param.name)
        said = _source(source, key, config)
        if key == "save-keys" and value:
            lines.append(f"# {key} = {SECRET}  # {said}")
        elif value is None and key == "ignore-file" and Path(IGNORE_FILE).is_file():
            lines.append(f"# {key}: not set, ./{IGNORE_FILE} is read  # {said}")
        elif value is None:
            lines.append(f"# {key}: not set  # {said}")
        else:
            lines.append(f"{key} = {_toml(key, value)}  # {said}")
    return lines


def _source(source: ParameterSource | None, key: str, config: str | None) -> str:
    if source is ParameterSource.COMMANDLINE:
        return "command line"
    if source is ParameterSource.ENVIRONMENT:
        return f"environment {env_name(key)}"
    if source is ParameterSource.DEFAULT_MAP:
        return f"config {config}"
    return "default"


def _toml(key: str, value: Any) -> str:
    if key == "header" and isinstance(value, tuple) and value and isinstance(value[0], str):
        return _quoted(f"{value[0]}: {SECRET}")  # one (name, value): the value may be a token
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(key, v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, frozenset):  # --accept's codes, as it takes them
        return _quoted(_ranges(sorted(value)))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _quoted(str(getattr(value, "text", value)))  # a URL pattern as written


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped) + '"'


def _ranges(codes: list[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for code in [*codes, None]:
        if start is not None and code == (prev or 0) + 1:
            prev = code
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}..={prev}")
        start = prev = code
    return ",".join(parts)
