"""Memoised recognition of one fact for one statement (``match._recognise``), so that the same
heading, lead-in, question, table header or earlier sentence is not re-examined for every
statement under it.

Whether a fact is recognised for a statement depends on the fact, the statement's own roles for
it, whether the statement opens with an anaphor, the kinds of the statement's context layers
and, in each layer, the roles *of that fact only*. That last projection repeats from statement to
statement even when the layers as a whole do not (every earlier sentence names some other fact),
so it is the key: each layer's roles are indexed by fact once, and a statement's key for a fact is
a handful of dictionary look-ups.

The cache lives for one audit (:func:`clear` is called at the start of each), so that auditing
the same text twice costs what auditing it once does. ``tests/test_recognition_cache.py``
compares memoised and direct recognition on the corpus and on generated prose.
"""
from __future__ import annotations

import functools
import threading
from typing import Any, Callable, Sequence

_EMPTY: frozenset[str] = frozenset()
_MAX_KEYS = 500_000
_local = threading.local()


def _state() -> tuple[dict, dict]:
    try:
        return _local.by_fact, _local.plans
    except AttributeError:
        _local.by_fact, _local.plans = {}, {}
        _local.last = (None, None)
        _local.per_call, _local.owners = {}, {}
        _local.inside = 0
        return _local.by_fact, _local.plans


def clear() -> None:
    """Forget everything (called at the start of every audit)."""
    by_fact, plans = _state()
    by_fact.clear()
    plans.clear()
    _local.owners.clear()
    _forget_layers()


def _indexed(layers: Sequence[Any], by_fact: dict) -> list[tuple[str, dict[str, frozenset[str]]]]:
    """Each layer's kind and roles by fact. ``recognised_facts`` passes the same list of layers for
    every fact it tries on a statement, so the last list's result is kept for the rest of that
    call (see :func:`scoped`; the list is held, so that its identity stays its own)."""
    last, done = _local.last
    if last is layers:
        return done
    done = [(layer.kind, _roles_by_fact(lroles, by_fact)) for layer, lroles in layers]
    if _local.inside:
        _local.last = (layers, done)
    return done


def _roles_by_fact(lroles: frozenset[tuple[str, str]], by_fact: dict) -> dict[str, frozenset[str]]:
    """A layer's (owner, role) pairs as owner -> roles (built once per distinct set of pairs)."""
    index = by_fact.get(lroles)
    if index is None:
        grouped: dict[str, set[str]] = {}
        for owner, role in lroles:
            grouped.setdefault(owner, set()).add(role)
        index = by_fact[lroles] = {owner: frozenset(r) for owner, r in grouped.items()}
    return index


def owners_of(lroles: frozenset[tuple[str, str]] | set[tuple[str, str]]) -> tuple[str, ...]:
    """``o for o, r in lroles if not r.startswith("requires:")``, in that order (duplicates kept,
    so that a set updated with it is built exactly as with the generator), kept per frozen set."""
    _, _ = _state()
    cache = _local.owners
    try:
        got = cache.get(lroles)
    except TypeError:  # a mutable set
        return tuple(o for o, r in lroles if not r.startswith("requires:"))
    if got is None:
        got = cache[lroles] = tuple(o for o, r in lroles if not r.startswith("requires:"))
    return got


def per_call(function: Callable[[Sequence[Any]], Any]) -> Callable[[Sequence[Any]], Any]:
    """``function(layers)`` answered once per list of layers within one :func:`scoped` call."""

    def cached(layers: Sequence[Any]) -> Any:
        _state()
        if not _local.inside:
            return function(layers)
        memo = _local.per_call
        key = (function, id(layers))
        got = memo.get(key)
        if got is None or got[0] is not layers:
            got = memo[key] = (layers, function(layers))
        return got[1]

    cached.__wrapped__ = function  # type: ignore[attr-defined]
    cached.uncached = function  # type: ignore[attr-defined]
    return cached


def scoped(function: Callable) -> Callable:
    """``function`` with what the memoised steps learnt of one call's list of layers forgotten
    before and after it (the caller may change the list in place between calls)."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        _forget_layers()
        _local.inside += 1
        try:
            return function(*args, **kwargs)
        finally:
            _local.inside -= 1
            _forget_layers()

    return call


def _forget_layers() -> None:
    _state()
    _local.last = (None, None)
    _local.per_call.clear()


def memoised(recognise: Callable[[Any, set[str], Sequence[Any], bool], Any]) -> Callable:
    """``recognise(fact, roles, layers, anaphoric)`` memoised on the fact, its roles, the layer
    kinds, each layer's roles for this fact and ``anaphoric``. Layers whose roles are not hashable
    (a mutable ``set``) are passed straight through."""

    def cached(fact: Any, roles: set[str], layers: Sequence[Any], anaphoric: bool) -> Any:
        by_fact, plans = _state()
        owner = fact.id
        try:
            key = (owner, frozenset(roles), anaphoric,
                   tuple([(kind, index.get(owner, _EMPTY)) for kind, index in _indexed(layers, by_fact)]))
        except TypeError:  # unhashable roles: nothing to memoise on
            return recognise(fact, roles, layers, anaphoric)
        got = plans.get(key)
        if got is not None and got[0] is fact:
            return got[1]
        used = recognise(fact, roles, layers, anaphoric)
        if len(plans) >= _MAX_KEYS or len(by_fact) >= _MAX_KEYS:
            plans.clear()
            by_fact.clear()
        plans[key] = (fact, used)
        return used

    cached.__wrapped__ = recognise  # type: ignore[attr-defined]
    cached.uncached = recognise  # type: ignore[attr-defined]
    return cached
