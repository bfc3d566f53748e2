"""Arabic normalisation for matching, with an exact map back to the original text.

The source text is never changed. `normalize()` returns a folded copy plus, for every
character of the copy, the offset of the original character it came from. Every later
stage matches on the folded copy and reports offsets through `Normalized.span()`.

Order of the folding steps (one pass, character by character):
1. drop diacritics (harakat, tanween, shadda, sukun, dagger alef) and tatweel;
2. drop quotation marks of every kind, so that ``تنظيم "الدولة"`` matches ``تنظيم الدولة``;
3. fold letter variants: hamza-carrying alefs to bare alef, alef maqsura and Persian yeh to
   yeh, teh marbuta to heh, Persian keheh to kaf, Arabic-Indic and Persian digits to ASCII;
4. collapse runs of whitespace to one space (newlines kept: they end sentences);
5. join a detached one-letter proclitic (``لـ قوات``, ``بـ هجوم``) to the next word;
6. lower-case Latin letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# Letter classes are written as escapes (style rule: no literal Arabic in code).
_DROP = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]  # fathatan .. hamza below marks (harakat)
    + ["\u0670"]  # superscript (dagger) alef
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation marks
    + ["\u0640"]  # tatweel
    + ["\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff"]  # ZWNJ/ZWJ/bidi marks/BOM
    + ['"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "\u2018", "\u2019", "\u201a", "'", "`"]
)

_FOLD = {
    "\u0623": "\u0627",  # alef with hamza above -> alef
    "\u0625": "\u0627",  # alef with hamza below -> alef
    "\u0622": "\u0627",  # alef with madda -> alef
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0649": "\u064a",  # alef maqsura -> yeh
    "\u06cc": "\u064a",  # Persian yeh -> yeh
    "\u06d2": "\u064a",  # Urdu yeh barree -> yeh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06c0": "\u0647",  # heh with yeh above -> heh
    "\u06c1": "\u0647",  # Urdu heh goal -> heh
    "\u06c3": "\u0647",  # Urdu teh marbuta goal -> heh (as teh marbuta)
    "\u06a9": "\u0643",  # Persian keheh -> kaf
    "\u0624": "\u0648",  # waw with hamza -> waw
    "\u0626": "\u064a",  # yeh with hamza -> yeh
    "\u060c": "\u060c",  # Arabic comma kept
}
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Persian (extended Arabic-Indic) digits

# Proclitics written detached with a tatweel or a space: lam, beh, kaf.
_DETACHABLE = frozenset("\u0644\u0628\u0643")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A folded copy of a text and the original offset of each of its characters."""

    original: str
    text: str
    origin: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text to the original text."""
        if end <= start:
            pos = self.origin[start]
            return pos, pos
        stop = self.origin[end - 1] + 1
        while stop < len(self.original) and _is_mark(self.original[stop]):
            stop += 1  # a span ends after the word's trailing diacritics ("هجوماً")
        return self.origin[start], stop

    def original_text(self, start: int, end: int) -> str:
        """The original characters behind a folded span."""
        a, b = self.span(start, end)
        return self.original[a:b]


def fold_char(ch: str) -> str:
    """Fold one character; returns '' for characters that matching ignores."""
    if ch in _DROP:
        return ""
    folded = _FOLD.get(ch)
    if folded is not None:
        return folded
    if ch.isspace():
        return "\n" if ch in "\n\r\u2028\u2029" else " "
    if unicodedata.category(ch) == "Mn":
        return ""
    return ch.lower() if ch.isascii() else ch


def _simple_chars() -> tuple[str, dict[int, str]]:
    """Characters that fold to exactly one non-space character and take no part in the
    tatweel or whitespace rules, with a translation table for those that change.

    A run of them (single spaces allowed between them) is folded a whole run at a time, one
    character for one, with the same result as the character loop below and many times faster.
    Characters outside the scanned blocks simply take the loop.
    """
    blocks = (range(0x20, 0x7F), range(0xA0, 0x250), range(0x0600, 0x0780), range(0x0780, 0x0800),
              range(0x08A0, 0x0900), range(0x2000, 0x2070), range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))
    chars: list[str] = []
    table: dict[int, str] = {}
    for block in blocks:
        for code in block:
            ch = chr(code)
            folded = fold_char(ch)
            if ch == "\u0640" or len(folded) != 1 or folded.isspace():
                continue
            chars.append(ch)
            if folded != ch:
                table[code] = folded
    return "".join(chars), table


_SIMPLE, _SIMPLE_TABLE = _simple_chars()
_SIMPLE_CHANGES = tuple((chr(code), folded) for code, folded in _SIMPLE_TABLE.items())


def _char_class(chars: str) -> str:
    """A regex character class of `chars` (sorted), runs of code points written as ranges."""
    codes = sorted(map(ord, chars))
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        first, last = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "[" + "".join(parts) + "]"


_SIMPLE_CLASS = _char_class(_SIMPLE)
_CHANGE_TO = dict(_SIMPLE_CHANGES)
_CHANGED = re.compile(_char_class("".join(_CHANGE_TO)))
# Every folded letter folds to itself, so the order of the replacements does not matter.
assert all(_CHANGE_TO.get(folded, folded) == folded for folded in _CHANGE_TO.values())
_SIMPLE_RUN = re.compile(f"{_SIMPLE_CLASS}+(?: {_SIMPLE_CLASS}+)*")
_FOLDED: dict[str, str] = {}  # fold_char of the characters the loop has seen


def normalize(text: str) -> Normalized:
    """Fold `text` for matching and keep the offset map (see the module docstring)."""
    # Every simple character folded in place (one for one, so offsets do not move); a few
    # str.replace calls are much faster than str.translate on non-Latin text.
    mapped = text
    if len(text) < 512:  # short strings (lexicon names): replace only the letters present
        for ch in set(_CHANGED.findall(text)):
            mapped = mapped.replace(ch, _CHANGE_TO[ch])
    else:
        for ch, folded in _SIMPLE_CHANGES:
            if ch in mapped:
                mapped = mapped.replace(ch, folded)
    out: list[str] = []  # pieces of the folded text; `origin` has one entry per character
    origin: list[int] = []
    detached_at = -1  # index in the folded text of a proclitic that was followed by a tatweel
    pos = 0
    for run in _SIMPLE_RUN.finditer(text):
        start, end = run.span()
        if pos < start:
            detached_at = _fold_chars(text, pos, start, out, origin, detached_at)
        # Inside a run nothing is dropped, detached or collapsed: every character is kept.
        out.append(mapped[start:end])
        origin.extend(range(start, end))
        pos = end
    if pos < len(text):
        _fold_chars(text, pos, len(text), out, origin, detached_at)
    origin.append(len(text))
    return Normalized(text, "".join(out), tuple(origin))


def _fold_chars(text: str, begin: int, stop: int, out: list[str], origin: list[int], detached_at: int) -> int:
    """Fold text[begin:stop] one character at a time onto `out`; returns the new `detached_at`."""
    for index in range(begin, stop):
        ch = text[index]
        if ch == "\u0640" and out and out[-1][-1] in _DETACHABLE and _is_word_start(out):
            detached_at = len(origin) - 1
        folded = _FOLDED.get(ch)
        if folded is None:
            folded = _FOLDED[ch] = fold_char(ch)
        if not folded:
            continue
        if folded in " \n":
            if detached_at == len(origin) - 1 and folded == " ":
                continue  # "لـ قوات" -> "لقوات"
            if out and out[-1][-1] in " \n":
                if folded == "\n" and out[-1][-1] == " ":
                    out[-1] = out[-1][:-1] + "\n"
                    origin[-1] = index
                continue
        out.append(folded)
        origin.append(index)
    return detached_at


def _is_mark(ch: str) -> bool:
    return ch == "\u0640" or unicodedata.category(ch) == "Mn"


def _is_word_start(out: list[str]) -> bool:
    """True when the last character of the pieces `out` starts a word."""
    last = out[-1]
    if len(last) > 1:
        return not last[-2].isalpha()
    return len(out) == 1 or not out[-2][-1].isalpha()


@cache
def fold(text: str) -> str:
    """The folded form of a short string (lexicon keys, lookups); whitespace is trimmed."""
    return normalize(text).text.strip()
