"""A small on-disk cache of work that only depends on its inputs: parsed fact packs and the
tokenized phrases of the phrase index. It makes a fresh process start quickly.

An entry's name is a hash of everything its value depends on: the input itself, the source of
this package (any edit of the code gives new names), and the versions of Python, spaCy and
PyYAML. The cache lives in ``$GUIDANCE_AUDIT_CACHE`` or else ``$XDG_CACHE_HOME/guidance-audit``
(``~/.cache/guidance-audit``); ``GUIDANCE_AUDIT_CACHE=off`` turns it off. Every failure (an
unwritable folder, a damaged or foreign entry) falls back to doing the work: the cache can only
save time, never change a result.

Entries are pickles, so the folder must be writable by its user alone (as a home folder's
cache is): a folder writable by others is not used.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

_OFF = {"off", "0", "no", "false", "none", ""}
_PACKAGE = Path(__file__).resolve().parent
_code_digest: str | None = None
_folder: Path | None | bool = False  # False: not looked up yet; None: no usable folder


def code_digest() -> str:
    """A hash of this package's Python source and of the versions results can depend on."""
    global _code_digest
    if _code_digest is None:
        h = hashlib.sha256()
        h.update(sys.version.encode())
        import spacy
        import yaml

        from ._version import __version__

        # The versions, for an installation whose source cannot be read below (a zip file).
        h.update(f"guidance_audit={__version__};spacy={spacy.__version__};yaml={yaml.__version__};".encode())
        for path in sorted(_PACKAGE.rglob("*.py")):
            try:
                h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
            except OSError:
                h.update(b"?")
        _code_digest = h.hexdigest()
    return _code_digest


def folder() -> Path | None:
    """The cache folder, created if needed, or ``None`` when there is none to use."""
    global _folder
    if _folder is not False:
        return _folder  # type: ignore[return-value]
    _folder = None
    setting = os.environ.get("GUIDANCE_AUDIT_CACHE")
    if setting is not None and setting.strip().lower() in _OFF:
        return None
    if setting:
        path = Path(setting).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "guidance-audit"
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = path.stat()
        if not stat.S_ISDIR(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None  # another user could plant an entry
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None
        if not os.access(path, os.W_OK | os.R_OK | os.X_OK):
            return None
    except OSError:
        return None
    _folder = path
    return path


def key(kind: str, *parts: bytes | str) -> str:
    """The name of an entry of ``kind`` for the inputs ``parts`` (and this code)."""
    h = hashlib.sha256(code_digest().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return f"{kind}-{h.hexdigest()[:40]}"


def load(name: str, check: Callable[[Any], bool]) -> Any | None:
    """The value stored under ``name`` when there is one and ``check`` accepts it, else ``None``."""
    where = folder()
    if where is None:
        return None
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects: no collection passes over them (or spaCy's) meanwhile
    try:
        with open(where / f"{name}.pickle", "rb") as fh:
            value = pickle.load(fh)
    except Exception:  # missing, damaged, from another version: do the work instead
        return None
    finally:
        if enabled:
            gc.enable()
    try:
        return value if check(value) else None
    except Exception:
        return None


# A frozen dataclass with slots unpickles through ``dataclasses._dataclass_setstate``, which
# calls ``fields()`` for every object: most of the time of loading a parsed pack. Entries store
# such objects as their class and field values instead, set again with the field names of each
# class looked up once.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        import dataclasses

        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _rebuild(cls: type, values: tuple) -> Any:
    obj: Any = object.__new__(cls)
    for name, value in zip(_field_names(cls), values):
        object.__setattr__(obj, name, value)
    return obj


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if "__dataclass_fields__" in cls.__dict__ and "__slots__" in cls.__dict__ and not isinstance(obj, type):
            return _rebuild, (cls, tuple(getattr(obj, name) for name in _field_names(cls)))
        return NotImplemented


_KEEP = 400  # entries: every edit of the code makes new ones (about 35 for one version, 1 MB)


def _prune(where: Path) -> None:
    """Remove the oldest entries when there are more than :data:`_KEEP` (only after storing,
    which happens only when an entry was missing)."""
    entries = [p for p in where.iterdir() if p.suffix == ".pickle" and not p.name.startswith(".tmp-")]
    if len(entries) <= _KEEP:
        return
    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0
    for old in sorted(entries, key=age)[:len(entries) - _KEEP // 2]:
        try:
            old.unlink()
        except OSError:
            pass


def store(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` (atomically; silently not at all when that fails)."""
    where = folder()
    if where is None:
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            _Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        os.replace(tmp, where / f"{name}.pickle")
        tmp = None
        _prune(where)
    except Exception:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
