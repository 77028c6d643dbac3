"""A cheap, exact test that a misspelt-name phrase cannot reach the fuzzy score in a text, so that
most (statement, phrase) pairs never reach rapidfuzz (on generated prose, two in three).

``fuzz.partial_ratio_alignment(phrase, text, score_cutoff=s)`` with ``len(text) > len(phrase)``
compares the phrase with windows of the text at most as long as the phrase; a window scores
``100 * (1 - d / (len(phrase) + len(window)))``, where ``d`` is the number of insertions and
deletions that turn one into the other. A score of at least ``s`` therefore needs
``d <= (1 - s / 100) * 2 * len(phrase)``. Cut the phrase into ``d + 1`` pieces: each insertion
or deletion touches at most one piece, so at least one piece is left whole and occurs, as it is,
in the window, and so in the text. A text that contains none of the pieces cannot score ``s``
(the pigeonhole argument of approximate string matching).
"""
from __future__ import annotations

import math

_PIECES: dict[tuple[str, float], tuple[str, ...]] = {}


def pieces(phrase: str, score_cutoff: float) -> list[str]:
    """The phrase cut into as many near-equal pieces as the most edits a match may have, plus one."""
    n = len(phrase)
    most = math.floor((1.0 - score_cutoff / 100.0) * 2 * n + 1e-9)
    k = min(most + 1, n)
    bounds = [round(i * n / k) for i in range(k + 1)]
    return [phrase[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def may_match(phrase: str, text: str, score_cutoff: float) -> bool:
    """False only when ``partial_ratio_alignment(phrase, text, score_cutoff=score_cutoff)`` is
    certainly ``None``; always True when ``text`` is not longer than ``phrase`` (rapidfuzz then
    compares the other way round)."""
    if len(text) <= len(phrase):
        return True
    found = _PIECES.get((phrase, score_cutoff))
    if found is None:
        # Longest first: the longer pieces are the rarer.
        found = _PIECES[(phrase, score_cutoff)] = tuple(sorted(set(pieces(phrase, score_cutoff)), key=len,
                                                               reverse=True))
    for piece in found:
        if piece in text:
            return True
    return False
