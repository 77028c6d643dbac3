"""Command-line settings from ``[tool.guidance-audit]`` in ``pyproject.toml`` or from a
``.guidance-audit.toml`` file, and the ``--select`` / ``--ignore`` filter of findings.

The file is the first of ``.guidance-audit.toml`` or a ``pyproject.toml`` with a
``[tool.guidance-audit]`` table found in the working folder or a folder above it (or the one
given with ``--config``). Options given on the command line win over the file; lists (``facts``,
``exclude``, ``select``, ``ignore``) from the file come first and the command line adds to them.
Paths in the file are relative to the file's folder. An unknown key or a value of the wrong type
is an error, never ignored.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

__all__ = ["ConfigError", "find_config", "load_config", "select_findings"]

CONFIG_NAME = ".guidance-audit.toml"
#: Keys of the file, and the command-line option each sets.
KEYS: dict[str, str] = {
    "facts": "facts", "baseline": "baseline", "fail-on": "fail_on", "as-of": "as_of", "format": "format",
    "exclude": "exclude", "select": "select", "ignore": "ignore", "profile": "profile",
}
_LISTS = {"facts", "exclude", "select", "ignore"}
_PATHS = {"facts", "baseline"}


class ConfigError(ValueError):
    """A configuration file that cannot be used (the message names the file and the key)."""


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file for a run started in ``start`` (default: the working folder)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "guidance-audit" in (_read(pyproject).get("tool") or {}):
            return pyproject
    return None


def load_config(path: Path) -> dict[str, Any]:
    """The settings of a configuration file, keyed by command-line option name (``fail_on``).

    Raises:
        ConfigError: the file cannot be read or parsed, has an unknown key, or a value of the
            wrong type.
    """
    data = _read(path)
    table = (data.get("tool") or {}).get("guidance-audit", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.guidance-audit] is not a table")
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key {key!r} (known: {', '.join(KEYS)})")
        if key in _LISTS:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ConfigError(f"{path}: {key} must be a list of strings")
        elif not isinstance(value, str) and not (key == "as-of" and hasattr(value, "isoformat")):
            raise ConfigError(f"{path}: {key} must be a string")
        if key in _PATHS:
            value = [str(path.parent / v) for v in value] if key in _LISTS else str(path.parent / value)
        out[KEYS[key]] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def _matches(value: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(value, p) for p in patterns)


def select_findings(report, select: Iterable[str] = (), ignore: Iterable[str] = ()):
    """The report with only the findings whose kind or rule id matches a ``select`` glob (all
    when none is given) and neither matches an ``ignore`` glob (``outdated-term``, ``body.*``)."""
    select, ignore = list(select), list(ignore)
    if not select and not ignore:
        return report

    def keep(f) -> bool:
        chosen = not select or _matches(f.kind, select) or _matches(f.rule, select)
        return chosen and not (_matches(f.kind, ignore) or _matches(f.rule, ignore))

    return dataclasses.replace(report, findings=tuple(f for f in report.findings if keep(f)),
                               suppressed=tuple(f for f in report.suppressed if keep(f)))
