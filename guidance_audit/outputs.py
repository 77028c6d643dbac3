"""Writing reports and baselines: checked before a run, written atomically.

:func:`check_output` is called before a single document is read, so that an ``--output`` or
``--write-baseline`` that cannot be written (a missing or read-only folder, a folder where a
file is expected, one of the inputs) is refused at once instead of after the whole run.
:func:`write_atomic` writes a temporary file beside the target and renames it over the target,
so an earlier report survives any failure (a full disk, an interruption): the target holds the
old report or the new one, never a part. A target that is not a regular file (``/dev/stdout``,
a pipe) is written directly.
"""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import OutputError
from .reports.escaping import display_name, encode_output

__all__ = ["check_output", "write_atomic", "same_file"]


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name one file (the same inode, or the same resolved path)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        try:
            return Path(a).resolve() == Path(b).resolve()
        except (OSError, RuntimeError):
            return False


def check_output(path: str, *, what: str = "--output", inputs: Iterable[str] = (), folder: bool = False) -> None:
    """Refuse an output path that cannot be written, before the run.

    Args:
        path: the file to write (or, with ``folder``, the folder to write pages into).
        what: the option's name, for the message.
        inputs: paths that must not be overwritten (the documents, a baseline being read).
        folder: the output is a folder of pages (it may exist as a folder, or be created).

    Raises:
        OutputError: the folder it goes in is missing, not a folder or not writable; it is an
            existing folder (for a file); it is one of ``inputs``.
    """
    name = display_name(path)
    p = Path(path)
    for i in inputs:
        if i != "-" and same_file(p, i):
            raise OutputError(f"{what} {name} is one of the inputs; it would be overwritten")
    try:
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"{what} {name} cannot be written ({exc.strerror or exc})") from None
    if mode is not None and stat.S_ISDIR(mode):
        if folder:
            if not os.access(p, os.W_OK | os.X_OK):
                raise OutputError(f"{what} {name} is a folder that cannot be written to")
            return
        raise OutputError(f"{what} {name} is a folder, not a file")
    if mode is not None and not stat.S_ISREG(mode):
        if not os.access(p, os.W_OK):
            raise OutputError(f"{what} {name} cannot be written (permission denied)")
        return  # a device or pipe (/dev/stdout): written directly
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise OutputError(f"{what} {name}: the folder {display_name(str(parent))} does not exist")
    if not parent.is_dir():
        raise OutputError(f"{what} {name}: {display_name(str(parent))} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{what} {name}: the folder {display_name(str(parent))} cannot be written to")
    if mode is not None and not os.access(p, os.W_OK):
        raise OutputError(f"{what} {name} cannot be written (permission denied)")


def write_atomic(path: str | os.PathLike, text: str, *, newline: str | None = None) -> None:
    """Write ``text`` (UTF-8; what cannot be encoded written as visible escapes) to ``path``
    through a temporary file in the same folder renamed over it.

    Raises:
        OutputError: the file could not be written (the earlier file, if any, is unchanged).
    """
    if newline is not None:
        text = text.replace("\n", newline)
    data = encode_output(text)
    p = Path(path)
    name = display_name(os.fspath(path))
    try:
        mode = os.stat(p).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(p, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise OutputError(f"cannot write {name} ({exc.strerror or exc})") from None
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=p.parent if str(p.parent) else ".", prefix=f".{p.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, p)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {name} ({exc.strerror or exc}); an earlier file there is unchanged") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
