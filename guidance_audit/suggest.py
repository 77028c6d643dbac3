"""Suggested corrections: the statement with the current value put in place of the stated one.

A suggestion is a pure function of a :class:`~guidance_audit.Finding`, computed after the checks.
It is made only when replacing the quantity alone corrects the sentence: the finding is
``outdated`` or ``incorrect``, the rule has a single current value, and the stated text occurs
exactly once in the quote (so the span to replace is certain).
"""
from __future__ import annotations

import dataclasses
from typing import Iterable

from .models import Finding, Suggestion

__all__ = ["suggest", "with_suggestions"]

_CORRECTABLE = frozenset({"outdated", "incorrect"})


def suggest(finding: Finding) -> Suggestion | None:
    """The corrected statement for a finding, or ``None`` when the quantity alone cannot fix it.

    Args:
        finding: a finding whose ``quote`` is the statement and ``stated``/``expected`` the
            stated and current values.

    Returns:
        A :class:`Suggestion` whose ``start``/``end`` are document offsets of the stated
        quantity, or ``None``.
    """
    stated, expected, quote = finding.stated, finding.expected, finding.quote
    if finding.kind not in _CORRECTABLE or not stated or not expected or not quote:
        return None
    if " or " in expected:  # several values in force (the checks join them with "or"): no single fix
        return None
    if quote.count(stated) != 1 or stated == expected:
        return None
    at = quote.index(stated)
    start = finding.location.start + at
    return Suggestion(
        text=quote[:at] + expected + quote[at + len(stated):],
        start=start,
        end=start + len(stated),
        replacement=expected,
        citation=finding.citations[0] if finding.citations else None,
    )


def with_suggestions(findings: Iterable[Finding]) -> list[Finding]:
    """The findings, each with its :func:`suggest` result attached where there is one."""
    out = []
    for f in findings:
        s = suggest(f) if f.suggestion is None else f.suggestion
        out.append(dataclasses.replace(f, suggestion=s) if s is not None and s is not f.suggestion else f)
    return out
