"""Find lexicon names in normalised text with one Aho-Corasick automaton per lexicon.

Arabic attaches proclitics (wa-, fa-, bi-, li-, ka-) and the article al- to names, and
li- + al- fuses into "lil-". Names are therefore indexed by their *core* (the name without
a leading al-), and each hit is accepted only when the letters glued in front of it are an
allowed proclitic sequence for that name: with al- for names that carry it, bare for those
that do not. A hit must also end at a word boundary, optionally after an allowed suffix
(e.g. the accusative tanween alef of "هجوماً").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import ahocorasick

from rasd.text.normalize import fold

T = TypeVar("T")

_ALEF_LAM = "\u0627\u0644"  # the article al-
_LAM_LAM = "\u0644\u0644"  # li- + al- fused: lil-
_CLITICS = "\u0648\u0641\u0628\u0644\u0643"  # waw, feh, beh, lam, kaf


def _proclitic_ok(prefix: str, has_article: bool) -> bool:
    """True when `prefix` (the letters glued before the core) is a legal proclitic chain."""
    if has_article:
        if prefix.endswith(_ALEF_LAM):
            return _bare_chain(prefix[:-2])
        if prefix.endswith(_LAM_LAM):  # lil- = li- + al-
            return _bare_chain(prefix[:-2])
        return False
    return _bare_chain(prefix)


def _bare_chain(prefix: str) -> bool:
    """At most conjunction (wa/fa) followed by at most one preposition (bi/li/ka)."""
    if len(prefix) > 2:
        return False
    if len(prefix) == 2:
        return prefix[0] in "\u0648\u0641" and prefix[1] in "\u0628\u0644\u0643"
    return prefix == "" or prefix in _CLITICS


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """One accepted match: [start, end) in the normalised text, prefix excluded."""

    start: int
    end: int
    key: str
    value: T


@dataclass(slots=True)
class _Entry(Generic[T]):
    has_article: bool
    key: str
    values: list[T] = field(default_factory=list)


class NameMatcher(Generic[T]):
    """An automaton from folded names to values; several values may share a name."""

    def __init__(self, suffixes: Iterable[str] = ("",), optional_article: bool = False) -> None:
        self._automaton = ahocorasick.Automaton()
        self._entries: dict[str, list[_Entry[T]]] = {}
        self._suffixes = tuple(sorted({fold(s) if s else "" for s in suffixes}, key=len, reverse=True))
        self._built = False
        # Common nouns (triggers, weapon words) take the article freely: "قصف" / "القصف" / "بالقصف".
        self._optional_article = optional_article

    def add(self, name: str, value: T) -> None:
        """Index `name` (folded here) for `value`."""
        key = fold(name)
        if not key:
            return
        has_article = key.startswith(_ALEF_LAM) and len(key) > 3
        core = key[2:] if has_article else key
        entries = self._entries.setdefault(core, [])
        for entry in entries:
            if entry.has_article == has_article:
                if value not in entry.values:
                    entry.values.append(value)
                return
        entries.append(_Entry(has_article, key, [value]))

    def build(self) -> None:
        for core, entries in self._entries.items():
            self._automaton.add_word(core, (core, entries))
        if self._entries:
            self._automaton.make_automaton()
        self._built = True

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, text: str) -> list[Hit[T]]:
        """All accepted hits, longest first where they overlap, sorted by start."""
        if not self._built:
            self.build()
        if not self._entries:
            return []
        hits = list(self._iter_hits(text))
        return _longest_non_overlapping(hits)

    def _iter_hits(self, text: str) -> Iterator[Hit[T]]:
        bare = self._suffixes == ("",)  # no suffixes: the word must end right after the name
        size = len(text)
        for last, (core, entries) in self._automaton.iter(text):
            core_start = last - len(core) + 1
            if bare:
                end = last + 1
                if end < size and text[end].isalpha():
                    continue
            else:
                end = self._word_end(text, last + 1)
                if end is None:
                    continue
            prefix_start = core_start
            while prefix_start > 0 and text[prefix_start - 1].isalpha():
                prefix_start -= 1
            prefix = text[prefix_start:core_start]
            for entry in entries:
                with_article = entry.has_article or (
                    self._optional_article and not _proclitic_ok(prefix, False) and _proclitic_ok(prefix, True))
                if _proclitic_ok(prefix, with_article):
                    start = core_start - 2 if with_article and prefix.endswith(_ALEF_LAM) else core_start
                    for value in entry.values:
                        yield Hit(start, end, entry.key, value)

    def _word_end(self, text: str, end: int) -> int | None:
        for suffix in self._suffixes:
            stop = end + len(suffix)
            if text.startswith(suffix, end) and (stop >= len(text) or not text[stop].isalpha()):
                return stop
        return None


def _longest_non_overlapping(hits: list[Hit[T]]) -> list[Hit[T]]:
    """Keep the longest hit of each overlapping group; ties keep every value of that span."""
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    taken: list[Hit[T]] = []
    spans: set[tuple[int, int]] = set()
    # The distinct spans taken never overlap one another, so sorted by start a new hit need
    # only be checked against its two neighbours (hits are never empty).
    starts: list[int] = []
    ends: list[int] = []
    for hit in hits:
        a, b = hit.start, hit.end
        if (a, b) not in spans:
            i = bisect_right(starts, a)
            if (i and ends[i - 1] > a) or (i < len(starts) and starts[i] < b):
                continue
            spans.add((a, b))
            starts.insert(i, a)
            ends.insert(i, b)
        taken.append(hit)
    taken.sort(key=lambda h: (h.start, h.end))
    return taken
