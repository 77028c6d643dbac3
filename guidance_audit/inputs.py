"""Which files a run audits: files named explicitly, and the supported files below each folder.

Below a folder, hidden folders, ``.git``, virtual environments, ``node_modules`` and
``__pycache__`` are never entered, files and folders a ``.gitignore`` ignores (read with
``pathspec``, nested ``.gitignore`` files included) are left out, and so are paths matching an
``exclude`` pattern (gitignore syntax: ``drafts/``, ``*.md``, ``old/**/2019-*``). A file named
explicitly is always audited, by its content, whatever its name.

Below a folder, a symbolic link that leads outside the folder is not followed (a link to
``/etc/passwd`` in a shared folder is not audited) unless ``follow_symlinks`` is set, and a report
that guidance-audit wrote (Markdown, HTML or text, recognised by its first and last lines), or a
path given in ``skip`` (the run's own ``--output``), is not audited as a document.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pathspec

__all__ = ["Inputs", "SUPPORTED_SUFFIXES", "expand_inputs"]

#: File name endings audited when found below a folder (files named explicitly are always audited).
SUPPORTED_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".txt", ".text", ".md"})

#: Folders never entered below a folder argument (hidden folders are skipped too).
SKIPPED_FOLDERS = frozenset({".git", "node_modules", "__pycache__", "venv", ".venv", "site-packages"})

#: Why a file below a folder was not audited, as the ``Inputs.skipped`` keys.
REASONS = ("unsupported type", "excluded", "ignored by .gitignore", "folders not entered",
           "links leading outside the folder", "reports written by guidance-audit")


@dataclass(frozen=True)
class Inputs:
    """The files of a run and what was left out.

    Attributes:
        files: the files to audit, folders' files in sorted order.
        skipped: counts by reason (keys of :data:`REASONS`, only those with a count);
            ``folders not entered`` counts folders, the others files.
    """

    files: tuple[str, ...]
    skipped: dict[str, int] = field(default_factory=dict)

    def skipped_text(self) -> str:
        """``skipped 3 files of unsupported type, 1 excluded, 2 folders not entered``, or ``""``."""
        if not self.skipped:
            return ""
        parts = []
        for reason in REASONS:
            n = self.skipped.get(reason)
            if not n:
                continue
            if reason == "unsupported type":
                parts.append(f"{n} file{'s' if n != 1 else ''} of unsupported type")
            elif reason == "folders not entered":
                parts.append(f"{n} folder{'s' if n != 1 else ''} not entered (hidden, .git, "
                             "virtual environments, node_modules, __pycache__)")
            elif reason == "links leading outside the folder":
                parts.append(f"{n} link{'s' if n != 1 else ''} leading outside the folder (--follow-symlinks "
                             "to audit them)")
            else:
                parts.append(f"{n} {reason}")
        return "skipped " + ", ".join(parts)


def expand_inputs(paths: Iterable[str | os.PathLike], *, exclude: Iterable[str] = (),
                  gitignore: bool = True, follow_symlinks: bool = False,
                  skip: Iterable[str | os.PathLike | None] = ()) -> Inputs:
    """The files to audit for ``paths``.

    Args:
        paths: files (kept as given, even with an unsupported suffix; ``-`` for standard input
            is kept too) and folders (walked).
        exclude: gitignore-style patterns for paths below a folder, relative to that folder.
        gitignore: honour ``.gitignore`` files inside the folders.
        follow_symlinks: below a folder, also audit files that symbolic links lead to outside it.
        skip: files never audited below a folder (the run's own outputs).

    Returns:
        The files, and counts of what was skipped and why.
    """
    excluded = pathspec.GitIgnoreSpec.from_lines(list(exclude))
    files: list[str] = []
    skipped: Counter = Counter()
    outputs = {_resolved(s) for s in skip if s}
    for p in paths:
        p = os.fspath(p)
        if p != "-" and Path(p).is_dir():
            files += _walk(Path(p), excluded, gitignore, skipped, follow_symlinks, outputs)
        else:
            files.append(p)
    return Inputs(tuple(files), {r: skipped[r] for r in REASONS if skipped[r]})


def _resolved(path: str | os.PathLike) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _walk(root: Path, excluded: pathspec.PathSpec, gitignore: bool, skipped: Counter,
          follow_symlinks: bool = False, outputs: set[Path] | None = None) -> list[str]:
    out: list[str] = []
    ignores: dict[Path, pathspec.PathSpec] = {}
    top = _resolved(root)
    for here, dirs, names in os.walk(root):
        base = Path(here)
        if gitignore and ".gitignore" in names:
            ignores[base] = _read_gitignore(base / ".gitignore")
        keep = []
        for d in sorted(dirs):
            path = base / d
            if _not_entered(path):
                skipped["folders not entered"] += 1
            elif path.is_symlink() and not follow_symlinks and not _inside(path, top):
                skipped["links leading outside the folder"] += 1
            elif excluded.match_file(_rel(path, root) + "/"):
                skipped["excluded"] += 1
            elif _ignored(path, ignores, is_dir=True):
                skipped["ignored by .gitignore"] += 1
            else:
                keep.append(d)
        dirs[:] = keep
        for name in sorted(names):
            path = base / name
            if path.suffix.lower() not in SUPPORTED_SUFFIXES or not path.is_file():
                skipped["unsupported type"] += name != ".gitignore"
            elif excluded.match_file(_rel(path, root)):
                skipped["excluded"] += 1
            elif _ignored(path, ignores, is_dir=False):
                skipped["ignored by .gitignore"] += 1
            elif not follow_symlinks and not _inside(path, top):
                skipped["links leading outside the folder"] += 1
            elif (outputs and _resolved(path) in outputs) or _own_report(path):
                skipped["reports written by guidance-audit"] += 1
            else:
                out.append(str(path))
    return out


def _inside(path: Path, top: Path) -> bool:
    """Whether ``path``, links resolved, is ``top`` or below it."""
    real = _resolved(path)
    return real == top or top in real.parents


_REPORT_HEAD = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:## Guidance audit: |<!DOCTYPE html>\s*<html[^>]*>\s*<head>[\s\S]{0,2000}"
                          rb"<title>Guidance audit)")
# the text report's last two lines (the date in words after the ISO date since the grouped report)
_REPORT_TAIL = re.compile(rb"\nrules as of \d{4}-\d{2}-\d{2}(?: \([^)\n]*\))?; fact base [^\n]*\n"
                          rb"\d+ documents?: [^\n]*\n?\Z")


def _own_report(path: Path) -> bool:
    """Whether a file is a report guidance-audit wrote: Markdown or HTML by its first lines,
    the text report by its last two."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
            size = os.fstat(fh.fileno()).st_size
            if size > 4096:
                fh.seek(max(0, size - 1024))
            tail = fh.read(1024) if size > 4096 else head[-1024:]
    except OSError:
        return False
    return bool(_REPORT_HEAD.match(head) or _REPORT_TAIL.search(b"\n" + tail))


def _not_entered(folder: Path) -> bool:
    """Hidden folders, version control, caches and virtual environments."""
    return folder.name.startswith(".") or folder.name in SKIPPED_FOLDERS or (folder / "pyvenv.cfg").is_file()


def _rel(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def _ignored(path: Path, ignores: dict[Path, pathspec.PathSpec], *, is_dir: bool) -> bool:
    """Whether a ``.gitignore`` in one of the path's folders ignores it (each relative to its own folder)."""
    for base, spec in ignores.items():
        if base in path.parents and spec.match_file(_rel(path, base) + ("/" if is_dir else "")):
            return True
    return False


def _read_gitignore(path: Path) -> pathspec.PathSpec:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)
