"""Regular expressions from fact packs and profiles, run so that none can hang an audit.

Fact packs are input: a third-party pack may hold a pattern such as ``(a|a)+$`` that makes a
backtracking engine take exponential time on an ordinary sentence. Pack and profile patterns
(``says``, ``incorrect_if``, a requirement's ``patterns``) are therefore compiled with the
``regex`` module, always case-insensitive, and every search is given a timeout of
:data:`PATTERN_SECONDS`. A search that runs out of time raises
:class:`~guidance_audit.errors.DeadlineError` (code ``timeout``): that document gets an error
entry naming the pattern, and a corpus run goes on. The fact base loader refuses a pattern
the ``regex`` module cannot compile (``file:line: bad regular expression``).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

import regex

from .errors import DeadlineError

__all__ = ["PATTERN_SECONDS", "compile_pattern", "pack_search", "pack_finditer", "pattern_error"]

#: Seconds one search of one pack pattern in one statement or document may take.
PATTERN_SECONDS = 1.0


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Any:
    """``pattern`` compiled case-insensitively with the ``regex`` module (``re`` syntax)."""
    return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or ``None`` when it compiles."""
    try:
        compile_pattern(pattern)
    except (regex.error, TypeError, ValueError, RecursionError, OverflowError) as exc:
        return str(exc) or type(exc).__name__
    return None


def _overran(pattern: str) -> DeadlineError:
    shown = pattern if len(pattern) <= 80 else pattern[:77] + "..."
    return DeadlineError(f"the fact-pack pattern {shown!r} took more than {PATTERN_SECONDS:g} s on one passage "
                         "(catastrophic backtracking?); fix or remove it")


def pack_search(pattern: str, text: str) -> Any:
    """``re.search(pattern, text, re.I)`` for a pack pattern, within :data:`PATTERN_SECONDS`."""
    try:
        return compile_pattern(pattern).search(text, timeout=PATTERN_SECONDS)
    except TimeoutError:
        raise _overran(pattern) from None


def pack_finditer(pattern: str, text: str) -> Iterator[Any]:
    """``re.finditer(pattern, text, re.I)`` for a pack pattern, each step within
    :data:`PATTERN_SECONDS`."""
    try:
        yield from compile_pattern(pattern).finditer(text, timeout=PATTERN_SECONDS)
    except TimeoutError:
        raise _overran(pattern) from None
