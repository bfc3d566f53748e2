"""Numbers and casualty counts in normalised Arabic text.

`find_quantities(norm_text)` returns every number the text states and `find_casualties(norm_text,
start, end)` the casualty phrases (killed, injured, arrested, abducted) with their counts. Both
work on `Normalized.text` (rasd.text.normalize) and report offsets into it.

Every Arabic word lives in ``lexicons/quantities.yml`` (folded on load). The text is split into
tokens (words, digit groups, punctuation) once; lexicon look-ups are dict hits on whole tokens,
with the proclitics a group allows spelled out at load time, so nothing matches inside a word.
pyarabic is called only for runs of two or more number words.

Quantity coding (ACLED "most conservative figure"):

* exact numbers: ``value = low = high``; ranges ("بين 5 و7"): ``value = low``;
* ``at_least`` / ``more_than``: ``low = value``, ``high = None``; ``up_to``: ``high = value``,
  ``low = None``; ``about``: no bounds;
* vague plurals by the table in the lexicon (عشرات 10, مئات 100, آلاف 1000, dozens 12);
  ``low = value``; "عدد من", "بعض" ...: ``value = None``;
* a dual noun ("قتيلان", "عنصرين") is a quantity of two spanning the noun.

Casualty constructions: trigger + count ("مقتل 3 مدنيين", "قتل ثلاثة أشخاص وجرح سبعة",
"أودى بحياة 5", "مقتل ما لا يقل عن 7"), count + noun ("12 قتيلا", "عشرات القتلى", "قتيلان"),
count + verb ("ثلاثة مدنيين لقوا حتفهم"), frames ("لقي 4 مدنيين حتفهم"), a singular noun for
one ("مقتل مدني"), coordinated triggers or nouns sharing one count ("مقتل وجرح عدد من المدنيين",
"عشرات القتلى والجرحى": no split known, ``split_unknown``), "بين قتيل وجريح", tolls ("ارتفع عدد
القتلى إلى 12"), coordinated victims summed ("مقتل عنصرين و3 مدنيين" = 5). Negated phrases
("دون وقوع إصابات") are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import yaml
from pyarabic import number as _ar_number
from pyarabic import number_const as _ar_number_const

from rasd.text.normalize import fold

__all__ = ["KINDS", "CasualtyCount", "Quantity", "find_casualties", "find_quantities"]

_LEXICON = Path(__file__).resolve().parent.parent / "lexicons" / "quantities.yml"

KINDS = ("killed", "injured", "arrested", "abducted")
AT_LEAST, ABOUT, MORE_THAN, UP_TO = "at_least", "about", "more_than", "up_to"

_TOKEN = re.compile(
    r"(?P<n>[0-9]+(?:[.,\u066b\u066c][0-9]+)*)"
    r"|(?P<w>[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+|[a-z]+)"
    r"|(?P<p>\n|[^\s\w])"
)
_SENTENCE_END = frozenset(".!?\n;\u061f\u061b")  # . ! ? newline ; and Arabic ? ;
_DATE_GLUE = frozenset("/:")
_MAX_GAP = 3  # words allowed between a trigger and a count that has its counted noun
_NAME_SPAN = 7  # words of titles and names between one person and the end of "لقي ... مصرعه"
# find_casualties tokenises only the text around cue words: this many characters before a cue
# (counts, negation, carriers, "عدداً من ... بين قتيل وجريح") and after it (gap, count, noun,
# approximator, coordinated victims, frame tail).
_WINDOW_BEFORE = 100
_WINDOW_AFTER = 160


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int  # offsets into the NORMALIZED text (Normalized.text)
    end: int
    value: int | None  # ACLED coding: the most conservative figure; None when no number is given
    low: int | None
    high: int | None
    approx: str | None  # "at_least", "about", "more_than", "up_to" or None
    vague: bool


@dataclass(frozen=True, slots=True)
class CasualtyCount:
    kind: str  # "killed" | "injured" | "arrested" | "abducted"
    value: int | None  # None = reported without a number
    start: int  # normalized span of the whole casualty phrase
    end: int
    quantity: Quantity | None  # the number used, if any
    split_unknown: bool = False  # a total of killed + wounded without the split


# ----------------------------------------------------------------------------- lexicon

@dataclass(slots=True)
class _Lexicon:
    conj: tuple[str, ...]
    prep: tuple[str, ...]
    article: str
    waw: str
    partitive: frozenset[str]
    num_first: dict[str, str]  # surface (with allowed proclitics) -> folded number word
    num_value: dict[str, int]  # folded number word -> value
    ar_key_by_value: dict[int, str]  # value -> a pyarabic spelling it reads back
    multipliers: dict[str, int]
    vague: dict[str, list]  # phrase table -> value
    vague_scales: dict[str, int]
    approx_before: dict[str, list]
    approx_after: dict[str, list]
    open_and: dict[str, list]
    open_from: dict[str, list]
    range_to: frozenset[str]
    person: dict[str, str]  # surface -> "sg" | "pl" | "du"
    nouns: dict[str, tuple[str, str]]  # surface -> (kind, "sg" | "pl" | "du")
    triggers: dict[str, list]  # phrase table -> kind
    after_count: dict[str, list]
    frame_heads: dict[str, str]
    frame_tails: dict[str, frozenset[str]]
    tail_counts: dict[str, int]  # frame tail -> the number its pronoun gives (1 or 2)
    split_open: dict[str, list]
    carriers: frozenset[str]
    toll_heads: frozenset[str]
    release_before: frozenset[str]
    negators: frozenset[str]
    fillers: frozenset[str]
    cue_words: frozenset[str]  # every surface that starts a cue (stops a gap)
    bare: frozenset[str]  # lexicon words without an added proclitic
    clitic_letters: frozenset[str]  # one-letter conjunctions and prepositions
    starters: frozenset[str]  # words that can open a quantity (a cheap pre-check)
    core_starters: frozenset[str]  # words that can open a bare number
    cue_first: frozenset[str]  # words that can open a casualty phrase (a cheap pre-check)
    cue_finder: Any  # Aho-Corasick automaton over cue_first (2+ letters): where to look at all


def _words(items: Any) -> list[str]:
    return [fold(str(w)) for w in (items or [])]


class _Builder:
    def __init__(self, raw: dict[str, Any]) -> None:
        procl = raw["proclitics"]
        self.conj = ("", *_words(procl["conj"]))
        self.prep = ("", *_words(procl["prep"]))
        self.article = fold(procl["article"])
        self.bare: set[str] = set()  # lexicon words as listed (no proclitic added)

    def variants(self, word: str, *, prep: bool = True, art: bool = False, conj: bool = True) -> set[str]:
        """`word` with the proclitics a group allows (lam + article contract: "للقتلى")."""
        bases = {word}
        if art and not word.startswith(self.article):
            bases.add(self.article + word)
        self.bare.update(bases)
        out: set[str] = set()
        for base in bases:
            for p in self.prep if prep else ("",):
                if p and base.startswith(self.article) and p == self.article[-1]:
                    pb = p + base[1:]
                else:
                    pb = p + base
                for c in self.conj if conj else ("",):
                    out.add(c + pb)
        return out

    def phrases(self, table: dict[str, list], phrases: list[str], payload: Any, **kw: bool) -> None:
        """Add several-word phrases keyed by their first token (proclitics on it only)."""
        for phrase in phrases:
            words = phrase.split()
            if not words:
                continue
            for first in self.variants(words[0], **kw):
                entries = table.setdefault(first, [])
                entry = (tuple(words[1:]), payload)
                if entry not in entries:
                    entries.append(entry)
        for entries in table.values():
            entries.sort(key=lambda e: -len(e[0]))


@cache
def _lexicon() -> _Lexicon:
    raw = yaml.load(_LEXICON.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    b = _Builder(raw)
    article = b.article

    # Number words: pyarabic's list (folded) plus ours; ours wins for single words.
    # pyarabic strips a leading wa/fa/bi.. from every word but one, so only spellings it reads
    # back to their own value are handed to it.
    ar_key_by_value: dict[int, str] = {}
    num_value: dict[str, int] = {}
    for key, value in _ar_number_const.NUMBER_WORDS.items():
        folded = fold(key)
        num_value.setdefault(folded, int(value))
        if _ar_number.text2number(key) == value:
            ar_key_by_value.setdefault(int(value), key)
    for word, value in (raw.get("number_words") or {}).items():
        num_value[fold(str(word))] = int(value)
    multipliers = {fold(str(w)): int(v) for w, v in raw["multipliers"].items()}
    num_value.update({w: v for w, v in multipliers.items() if w not in num_value})
    num_first: dict[str, str] = {}
    for word in num_value:
        for surface in b.variants(word, prep=False):  # no bi/li: "لست" is not six
            num_first.setdefault(surface, word)
        num_first[word] = word

    vague: dict[str, list] = {}
    for phrase, value in raw["vague"].items():
        b.phrases(vague, [fold(str(phrase))], None if value is None else int(value))
    vague_scales = {fold(str(w)): int(v) for w, v in raw["vague_scales"].items()}

    approx_before: dict[str, list] = {}
    for kind, phrases in raw["approx_before"].items():
        b.phrases(approx_before, _words(phrases), kind)
    approx_after: dict[str, list] = {}
    for kind, phrases in raw["approx_after"].items():
        b.phrases(approx_after, _words(phrases), kind, prep=False, conj=False)

    rng = raw["range"]
    open_and: dict[str, list] = {}
    b.phrases(open_and, _words(rng["open_and"]), True, prep=False)
    open_from: dict[str, list] = {}
    b.phrases(open_from, _words(rng["open_from"]), True, prep=False)

    person: dict[str, str] = {}
    pn = raw["person_nouns"]
    suffixes = _words(raw["possessive_suffixes"])
    teh = fold(raw["teh"])
    heh = fold(raw["teh_marbuta"])
    for number in ("dual", "plural", "singular"):  # later groups win on a clash
        tag = {"singular": "sg", "plural": "pl", "dual": "du"}[number]
        for word in _words(pn[number]):
            if " " in word:
                continue
            for surface in b.variants(word, art=tag != "du"):
                person[surface] = tag
            if tag == "sg":
                stem = word[:-1] + teh if word.endswith(heh) else word
            elif tag == "du" and len(word) > 3:
                stem = word[:-1]  # construct dual before a possessive: "طفليها"
            else:
                continue
            for suffix in suffixes:
                for surface in b.variants(stem + suffix):
                    person.setdefault(surface, tag)

    nouns: dict[str, tuple[str, str]] = {}
    triggers: dict[str, list] = {}
    after_count: dict[str, list] = {}
    frame_heads: dict[str, str] = {}
    frame_tails: dict[str, frozenset[str]] = {}
    tail_counts: dict[str, int] = {}
    cue_words: set[str] = set()
    for kind in KINDS:
        group = raw["kinds"][kind]
        b.phrases(triggers, _words(group.get("triggers")), kind)
        b.phrases(after_count, _words(group.get("after_count")), kind, prep=False)
        for head in _words(group.get("frame_heads")):
            for surface in b.variants(head, prep=False):
                frame_heads[surface] = kind
        frame_tails[kind] = frozenset(_words(group.get("frame_tails")))
        tail_counts.update({w: 1 for w in _words(group.get("frame_tails_one"))})
        tail_counts.update({w: 2 for w in _words(group.get("frame_tails_two"))})
        for number, tag in (("nouns_singular", "sg"), ("nouns_plural", "pl"), ("nouns_dual", "du")):
            for word in _words(group.get(number)):
                for surface in b.variants(word, art=tag != "du"):
                    nouns[surface] = (kind, tag)
    cue_words.update(triggers, after_count, frame_heads, nouns)

    core_starters = (set(num_first) | set(vague) | {w for w, tag in person.items() if tag == "du"}
                     | {w for w, (_, tag) in nouns.items() if tag == "du"})

    split_open: dict[str, list] = {}
    b.phrases(split_open, _words(raw["split_open"]), True, prep=False)
    carriers: set[str] = set()
    for word in _words(raw["carriers"]):
        carriers.update(b.variants(word, prep=False))
    toll_heads: set[str] = set()
    for word in _words(raw["toll_heads"]):
        toll_heads.update(b.variants(word))
    release_before: set[str] = set()
    for word in _words(raw["release_before"]):
        release_before.update(b.variants(word))
    neg = raw["negation"]
    fillers: set[str] = set()
    for word in _words(neg["fillers"]):
        fillers.update(b.variants(word, prep=False))

    return _Lexicon(
        conj=b.conj, prep=b.prep, article=article, waw=fold(raw["and"]),
        partitive=frozenset(_words(raw["partitive"])),
        num_first=num_first, num_value=num_value, ar_key_by_value=ar_key_by_value,
        multipliers=multipliers, vague=vague, vague_scales=vague_scales,
        approx_before=approx_before, approx_after=approx_after,
        open_and=open_and, open_from=open_from, range_to=frozenset(_words(rng["to"])),
        person=person, nouns=nouns, triggers=triggers, after_count=after_count,
        frame_heads=frame_heads, frame_tails=frame_tails, tail_counts=tail_counts, split_open=split_open,
        carriers=frozenset(carriers), toll_heads=frozenset(toll_heads),
        release_before=frozenset(release_before), negators=frozenset(_words(neg["negators"])), fillers=frozenset(fillers),
        cue_words=frozenset(cue_words), bare=frozenset(b.bare | set(num_value)),
        clitic_letters=frozenset(c for c in b.conj + b.prep if c),
        starters=frozenset(set(core_starters) | set(approx_before) | set(open_and) | set(open_from)
                           | {article + w for w in num_value}),  # "الجنود الثلاثة"
        core_starters=frozenset(core_starters),
        cue_first=frozenset(set(cue_words) | set(split_open)),
        cue_finder=_automaton(w for w in cue_words if len(w) > 2),  # "بين" splits need nouns
    )


def _automaton(words: Any) -> Any:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def _windows(text: str, start: int, end: int, lex: _Lexicon) -> list[tuple[int, int]]:
    """Merged stretches of [start, end) around whole-word cue hits, cut at spaces."""
    out: list[tuple[int, int]] = []
    last = -1
    for hit_end, length in lex.cue_finder.iter(text, start, end):
        hit_end += 1
        hit_start = hit_end - length
        if hit_start > start and text[hit_start - 1].isalpha() or hit_end < end and text[hit_end].isalpha():
            continue
        if hit_start < last:
            continue
        ws = max(start, hit_start - _WINDOW_BEFORE)
        cut = text.rfind(" ", start, ws)
        ws = start if ws == start or cut < 0 else cut + 1
        we = min(end, hit_end + _WINDOW_AFTER)
        cut = text.find(" ", we, end)
        we = end if we == end or cut < 0 else cut
        if out and ws <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], we))
        else:
            out.append((ws, we))
        last = out[-1][1] - _WINDOW_AFTER
    return out


# ----------------------------------------------------------------------------- tokens

class _Core(NamedTuple):
    value: int | None
    low: int | None
    high: int | None
    vague: bool
    end: int  # token after the number
    mult: int  # multiplier word used ("آلاف"), 1 if none
    dual: bool = False


@dataclass(slots=True)
class _Q:
    q: Quantity
    i0: int  # first token (approximator or range opener included)
    core_end: int  # token after the number itself (where its counted noun would stand)
    i1: int  # token after everything (post approximator included)
    dual: bool = False


class _Scan:
    """Tokens of one text window and the quantities found in it."""

    def __init__(self, text: str, start: int, end: int, lex: _Lexicon) -> None:
        self.text = text
        self.lex = lex
        matches = list(_TOKEN.finditer(text, start, end))
        self.n = len(matches)
        self.ts = [m.start() for m in matches]
        self.te = [m.end() for m in matches]
        self.tx = tx = [m.group() for m in matches]
        self.ty = ty = [m.lastgroup or "p" for m in matches]
        self.quantities: list[_Q] = []
        starters = lex.starters
        i = 0
        n = self.n
        while i < n:
            found = self._quantity_at(i) if ty[i] == "n" or tx[i] in starters else None
            if found is None:
                i += 1
                continue
            self.quantities.append(found)
            i = found.i1
        self.by_start = {q.i0: q for q in self.quantities}
        self.by_core_end = {q.core_end: q for q in self.quantities}
        self.by_end = {q.i1: q for q in self.quantities}

    # -- phrase matching

    def match(self, table: dict[str, list], i: int) -> tuple[int, Any] | None:
        if i >= self.n:
            return None
        entries = table.get(self.tx[i])
        if not entries:
            return None
        tx, n = self.tx, self.n
        for rest, payload in entries:
            k = i + 1
            for word in rest:
                if k >= n or tx[k] != word:
                    break
                k += 1
            else:
                return k, payload
        return None

    def adjacent(self, a: int, b: int) -> bool:
        return self.te[a] == self.ts[b]

    def start_of(self, i: int) -> int:
        """Start of token i without the proclitics the matcher allowed ("وإصابة" -> "إصابة",
        "لأكثر من" -> "أكثر من")."""
        word = self.tx[i]
        lex = self.lex
        if word in lex.bare:
            return self.ts[i]
        for cut in (1, 2):
            if len(word) > cut + 1 and word[cut - 1] in lex.clitic_letters and word[cut:] in lex.bare:
                return self.ts[i] + cut
        return self.ts[i]

    # -- quantities

    def _quantity_at(self, i: int) -> _Q | None:
        lex = self.lex
        approx = None
        j = i
        if self.tx[i] in lex.approx_before:
            m = self.match(lex.approx_before, i)
            if m is not None:
                j, approx = m
        core = None
        if j < self.n and (self.tx[j] in lex.open_and or self.tx[j] in lex.open_from):
            for table, how in ((lex.open_and, "and"), (lex.open_from, "from")):
                m = self.match(table, j)
                if m is not None:
                    first = self._core_at(m[0]) if self.may_core(m[0]) else None
                    core = self._range_after(first, how) if first is not None else None
                    break
        if core is None:
            if not self.may_core(j):
                return None
            core = self._core_at(j)
            if core is None:
                return None
            core = self._range_after(core, None) or core
        value, low, high = core.value, core.low, core.high
        end = core.end
        m = self.match(lex.approx_after, core.end)
        if m is None and core.end < self.n and self.is_counted_noun(core.end):
            m = self.match(lex.approx_after, core.end + 1)
        if m is not None:
            end = m[0]
            approx = approx or m[1]
        if approx in (AT_LEAST, MORE_THAN):
            low, high = value, None
        elif approx == UP_TO:
            low = None
        elif approx == ABOUT and low == high:
            low = high = None
        q = Quantity(self.start_of(i), self.te[end - 1], value, low, high, approx, core.vague)
        return _Q(q, i, core.end, end, core.dual)

    def may_core(self, k: int) -> bool:
        """Cheap test: can a bare number start at token k?"""
        if k >= self.n:
            return False
        if self.ty[k] == "n":
            return True
        word = self.tx[k]
        lex = self.lex
        return word in lex.core_starters or (word.startswith(lex.article) and k > 0
                                             and lex.person.get(self.tx[k - 1]) == "pl")

    def is_counted_noun(self, k: int) -> bool:
        return 0 <= k < self.n and (self.tx[k] in self.lex.person or self.tx[k] in self.lex.nouns)

    def _core_at(self, j: int) -> _Core | None:
        """A bare number (digits, number words, vague count, dual noun) at token j."""
        if j >= self.n:
            return None
        lex, tx, ty = self.lex, self.tx, self.ty
        if ty[j] == "n":
            if self._date_glued(j):
                return None
            number = _parse_digits(tx[j])
            k = j + 1
            mult = 1
            if k < self.n and tx[k] in lex.multipliers:
                mult = lex.multipliers[tx[k]]
                k += 1
            value = int(number * mult)
            return _Core(value, value, value, False, k, mult)
        if ty[j] != "w":
            return None
        m = self.match(lex.vague, j)
        if m is not None:
            k, value = m
            if value is not None and k < self.n and tx[k] in lex.vague_scales:
                value *= lex.vague_scales[tx[k]]
                k += 1
            return _Core(value, value, None, True, k, 1)
        run = self._number_run(j)
        if run is not None:
            return run
        word = tx[j]
        if lex.person.get(word) == "du" or lex.nouns.get(word, ("", ""))[1] == "du":
            return _Core(2, 2, 2, False, j + 1, 1, True)
        # "المدنيين الثلاثة": a number after a definite plural noun takes the article
        art = lex.article
        if (j > 0 and word.startswith(art) and word[len(art):] in lex.num_value
                and tx[j - 1].startswith(art) and lex.person.get(tx[j - 1]) == "pl"):
            value = lex.num_value[word[len(art):]]
            return _Core(value, value, value, False, j + 1, 1)
        return None

    def _date_glued(self, j: int) -> bool:
        """Digits in a date or a time ("15/8/2023", "10:30", "2023-05-01") are not quantities."""
        tx, ty, n = self.tx, self.ty, self.n
        glue: set[str] = set()
        chain = 1
        for step in (1, -1):
            k = j
            while (0 <= k + 2 * step < n and ty[k + step] == "p" and ty[k + 2 * step] == "n"
                   and (tx[k + step] in _DATE_GLUE or tx[k + step] == "-")
                   and self.adjacent(min(k, k + step), max(k, k + step))
                   and self.adjacent(min(k + step, k + 2 * step), max(k + step, k + 2 * step))):
                glue.add(tx[k + step])
                chain += 1
                k += 2 * step
        return bool(glue & _DATE_GLUE) or chain >= 3

    def _number_run(self, j: int) -> tuple | None:
        lex, tx, ty = self.lex, self.tx, self.ty
        stem = lex.num_first.get(tx[j])
        if stem is None:
            return None
        stems = [stem]
        joins = [False]
        k = j + 1
        waw = lex.waw
        while k < self.n and ty[k] == "w":
            word = tx[k]
            prev = lex.num_value[stems[-1]]
            if word in lex.num_value and word not in lex.vague_scales or word in lex.multipliers:
                cur = lex.num_value[word]
                if not _plain_join_ok(prev, stems[-1], cur, word, lex):
                    break
                stems.append(word)
                joins.append(False)
            elif word.startswith(waw) and word[len(waw):] in lex.num_value:
                cur = lex.num_value[word[len(waw):]]
                if not _and_join_ok(prev, stems[-1], cur, lex):
                    break
                stems.append(word[len(waw):])
                joins.append(True)
            else:
                break
            k += 1
        if len(stems) == 1:
            value = lex.num_value[stem]
        else:
            value = _compound_value(stems, joins, lex)
            if not value:
                return None
        mult = lex.multipliers.get(stems[-1], 1) if len(stems) > 1 else 1
        return _Core(value, value, value, False, k, mult)

    def _range_after(self, core: _Core, opener: str | None) -> _Core | None:
        """Extend `core` to a range "X و Y" (after an opener) or "X إلى/أو/- Y"."""
        k = core.end
        if core.vague or core.dual or core.value is None or k >= self.n:
            return None
        lex, tx = self.lex, self.tx
        second = None
        if opener == "and":
            if tx[k] == lex.waw:
                second = self._core_at(k + 1)
            elif tx[k].startswith(lex.waw) and self.ty[k] == "w":
                second = self._core_at(k)
        if second is None and tx[k] in lex.range_to:
            second = self._core_at(k + 1)
        if second is None or second.vague or second.dual or second.value is None:
            return None
        value, high = core.value, second.value
        if second.mult > 1 and core.mult == 1 and value * second.mult <= high:
            value *= second.mult  # "بين 5 و7 آلاف"
        if high <= value:
            return None
        return _Core(value, value, high, False, second.end, core.mult)

    # -- casualties

    def person_at(self, k: int) -> str | None:
        return self.lex.person.get(self.tx[k]) if 0 <= k < self.n else None

    def negated(self, start: int, strict: bool) -> bool:
        lex = self.lex
        loose = 0 if strict else 1
        k = start - 1
        steps = 0
        while k >= 0 and steps < 6 and self.ty[k] == "w":
            word = self.tx[k]
            if word in lex.negators:
                return True
            if word not in lex.fillers:
                if loose == 0:
                    return False
                loose -= 1
            k -= 1
            steps += 1
        return False


def _parse_digits(s: str) -> float:
    parts = re.split(r"[.,\u066b\u066c]", s)
    if len(parts) == 1:
        return int(s)
    if all(len(p) == 3 for p in parts[1:]) and "\u066b" not in s:
        return int("".join(parts))
    if len(parts) == 2:
        return float(parts[0] + "." + parts[1])
    return int(parts[0])


def _plain_join_ok(prev: int, prev_word: str, cur: int, word: str, lex: _Lexicon) -> bool:
    if word in lex.multipliers:
        return prev_word not in lex.multipliers
    if 1 <= prev <= 9 and cur == 10:  # "خمسة عشر"
        return True
    return 3 <= prev <= 9 and cur == 100  # "ثلاث مئة"


def _and_join_ok(prev: int, prev_word: str, cur: int, lex: _Lexicon) -> bool:
    if 1 <= prev <= 9:
        return cur in (20, 30, 40, 50, 60, 70, 80, 90)  # "ثلاثة وعشرون"
    if prev_word in lex.multipliers or prev >= 1000:
        return cur < 1000
    if prev >= 100 and prev % 100 == 0:
        return cur < 100
    return False


def _compound_value(stems: list[str], joins: list[bool], lex: _Lexicon) -> int:
    """Sum a run of number words with pyarabic, handing it its own spellings."""
    items: list[list[int | bool]] = []  # [value, joined]
    for stem, joined in zip(stems, joins, strict=True):
        value = lex.num_value[stem]
        if not joined and value == 100 and items and 3 <= int(items[-1][0]) <= 9:
            items[-1][0] = int(items[-1][0]) * 100  # "ثلاث مئة" -> one word, as pyarabic wants
            continue
        items.append([value, joined])
    keys: list[str] = []
    for value, joined in items:
        key = lex.ar_key_by_value.get(int(value))
        if key is None:
            return 0
        keys.append((lex.waw if joined else "") + key)
    return int(_ar_number.text2number(" ".join(keys)))


# ----------------------------------------------------------------------------- public API

def find_quantities(norm_text: str) -> list[Quantity]:
    """Every number stated in `norm_text` (digits, number words, ranges, vague counts, duals)."""
    scan = _Scan(norm_text, 0, len(norm_text), _lexicon())
    return [q.q for q in scan.quantities]


def find_casualties(norm_text: str, start: int = 0, end: int | None = None) -> list[CasualtyCount]:
    """Casualty phrases inside [start, end) of `norm_text`, in text order."""
    end = len(norm_text) if end is None else min(end, len(norm_text))
    lex = _lexicon()
    out: list[CasualtyCount] = []
    for ws, we in _windows(norm_text, start, end, lex):
        out.extend(_Casualties(_Scan(norm_text, ws, we, lex)).run())
    return out


# A found phrase before it becomes a CasualtyCount: kind, value, first and end token, quantity.
@dataclass(slots=True)
class _Rec:
    kind: str
    value: int | None
    t0: int
    t1: int
    quantity: _Q | None
    split: bool = False
    from_noun: bool = False


class _Casualties:
    def __init__(self, scan: _Scan) -> None:
        self.s = scan
        self.lex = scan.lex
        self.used: set[int] = set()
        self.recs: list[_Rec] = []

    def run(self) -> list[CasualtyCount]:
        s = self.s
        cue_first = self.lex.cue_first
        tx = s.tx
        i = 0
        while i < s.n:
            if tx[i] not in cue_first:
                i += 1
                continue
            found = (self._split(i) or self._trigger(i) or self._frame(i) or self._after(i)
                     or self._noun(i))
            if not found:
                i += 1
                continue
            recs, nxt = found
            for rec in recs:
                if rec.quantity is not None:
                    self.used.add(rec.quantity.i0)
            self.recs.extend(recs)
            i = max(nxt, i + 1)
        out = []
        for r in self.recs:
            out.append(CasualtyCount(
                r.kind, r.value, s.start_of(r.t0), s.te[r.t1 - 1],
                r.quantity.q if r.quantity is not None else None, r.split))
        return out

    def _free(self, q: _Q | None) -> _Q | None:
        return q if q is not None and q.i0 not in self.used else None

    # -- "بين قتيل وجريح"
    def _split(self, i: int):
        s, lex = self.s, self.lex
        m = s.match(lex.split_open, i)
        if m is None:
            return None
        k = m[0]
        if k + 1 >= s.n:
            return None
        a = lex.nouns.get(s.tx[k])
        b = lex.nouns.get(s.tx[k + 1])
        if not a or not b or a[0] == b[0] or not s.tx[k + 1].startswith(lex.waw):
            return None
        q = self._quantity_before(i)
        t0 = q.i0 if q is not None and i - q.i1 <= _MAX_GAP else i
        recs = [_Rec(kind, None, t0, k + 2, q, True) for kind in (a[0], b[0])]
        return recs, k + 2

    def _quantity_before(self, i: int) -> _Q | None:
        """The nearest free quantity with a counted noun earlier in the sentence."""
        s = self.s
        k = i - 1
        while k >= 0 and s.tx[k] not in _SENTENCE_END:
            q = self._free(s.by_start.get(k))
            if q is not None:
                c = q.core_end
                if c < s.n and s.tx[c] in self.lex.partitive:
                    c += 1
                if q.dual or q.q.vague or s.is_counted_noun(c):
                    return q
            k -= 1
        return None

    # -- trigger + count
    def _trigger(self, i: int):
        s, lex = self.s, self.lex
        m = s.match(lex.triggers, i)
        if m is None:
            return None
        k, kind = m
        chain = [kind]
        while k < s.n and s.tx[k].startswith(lex.waw):
            m2 = s.match(lex.triggers, k)
            if m2 is None or m2[1] in chain:
                break
            k, kind2 = m2
            chain.append(kind2)
        count = self._count_after(k, chain[-1])
        if count is None:
            return None
        value, q, e = count
        if len(chain) == 1:
            value, e = self._continue(e, value)
            recs = [_Rec(kind, value, i, e, q)]
        else:
            recs = [_Rec(kd, None, i, e, q, True) for kd in chain]
        if s.negated(i, strict=True):
            return [], e
        return recs, e

    def _count_after(self, k: int, kind: str) -> tuple[int | None, _Q | None, int] | None:
        s, lex = self.s, self.lex
        for gap in range(_MAX_GAP + 1):
            j = k + gap
            if j >= s.n or s.ty[j] == "p":
                break
            q = self._free(s.by_start.get(j))
            if gap and (s.tx[j] == lex.waw or q is not None and s.start_of(j) != s.ts[j]):
                break  # "مقتل شاب و3 آخرين", "مقتل امرأة وطفليها": coordination, see _continue
            if q is not None:
                if q.dual:
                    return 2, q, j + 1
                c = q.core_end
                c2 = c + 1 if c < s.n and s.tx[c] in lex.partitive else c
                noun = c2 < s.n and (s.tx[c2] in lex.person or lex.nouns.get(s.tx[c2], ("",))[0] == kind)
                if noun:
                    e = max(q.i1, c2 + 1)
                    m = s.match(lex.approx_after, e)
                    return q.q.value, q, e if m is None else m[0]
                if gap == 0:
                    return q.q.value, q, q.i1
                continue  # "قتل يوم 15 آب 3 أشخاص": a date in the gap
            if s.ty[j] != "w" or s.tx[j] in lex.cue_words or s.tx[j] in lex.num_first:
                break
        tag = s.person_at(k)
        if tag == "sg":
            q = self._free(s.by_start.get(k + 1))  # "مقتل شخص واحد"
            if q is not None and q.q.value == 1 and q.core_end == k + 2:
                return 1, q, q.i1
            return 1, None, k + 1
        if tag == "pl":
            q = self._free(s.by_start.get(k + 1))
            if q is not None and not q.q.vague and q.q.value is not None and q.i0 == k + 1 and not q.dual:
                return q.q.value, q, q.i1
            return None, None, k + 1
        return None

    def _continue(self, e: int, value: int | None) -> tuple[int | None, int]:
        """Coordinated victims after a count: "مقتل عنصرين و3 مدنيين", "مقتل 3 عناصر وطفل",
        "مقتل عنصرين من قسد وثلاثة من التنظيم" (a short "من ..." may describe each group)."""
        s, lex = self.s, self.lex
        while True:
            k = self._descriptor_end(e)
            if k >= s.n or not s.tx[k].startswith(lex.waw):
                break
            j = k + 1 if s.tx[k] == lex.waw else k
            q = self._free(s.by_start.get(j))
            if q is not None and q.i0 == j:
                if q.dual and (j > k or s.tx[j] in lex.person):
                    add, nxt = 2, j + 1
                elif q.dual or q.q.vague:
                    break
                else:
                    c = q.core_end
                    if c < s.n and s.tx[c] in lex.partitive:  # "وثلاثة من التنظيم"
                        add, nxt = q.q.value, max(q.i1, self._descriptor_end(c))
                    elif c < s.n and s.tx[c] in lex.person:
                        add, nxt = q.q.value, max(q.i1, c + 1)
                    else:
                        break
                self.used.add(q.i0)
            elif j == k and s.person_at(j) == "sg":
                add, nxt = 1, j + 1
            else:
                break
            value = None if value is None or add is None else value + add
            e = nxt
        return value, e

    def _descriptor_end(self, k: int) -> int:
        """After "من" + up to three plain words ("من قوات النظام"), else k itself."""
        s, lex = self.s, self.lex
        if k >= s.n or s.tx[k] not in lex.partitive:
            return k
        j = k + 1
        while (j < s.n and j - k <= 3 and s.ty[j] == "w" and not s.tx[j].startswith(lex.waw)
               and s.tx[j] not in lex.cue_first and j not in s.by_start):
            j += 1
        return j if j > k + 1 else k

    # -- "لقي 4 مدنيين حتفهم"
    def _frame(self, i: int):
        s, lex = self.s, self.lex
        kind = lex.frame_heads.get(s.tx[i])
        if kind is None or i + 1 >= s.n or s.tx[i + 1] in lex.frame_tails[kind]:
            return None
        count = self._count_after(i + 1, kind)
        value, q, e = count if count is not None else (None, None, i + 1)
        tail = self._tail(e if count is not None else i + 1, kind)
        if tail is None:
            return None
        if tail != e:  # titles, names, a description or a coordinated person before the tail
            value, e = lex.tail_counts.get(s.tx[tail], value), tail
        e += 1
        m = s.match(lex.approx_after, e)
        if m is not None:
            e = m[0]
        if s.negated(i, strict=True):
            return [], e
        return [_Rec(kind, value, i, e, q)], e

    def _tail(self, j: int, kind: str) -> int | None:
        """The frame's tail ("مصرعه", "حتفهما") within a short run of words from j."""
        s, tails = self.s, self.lex.frame_tails[kind]
        for k in range(j, min(s.n, j + _NAME_SPAN + 1)):
            if s.tx[k] in tails:
                return k
            if s.ty[k] != "w" and s.tx[k] != "\u060c" or s.tx[k] in self.lex.cue_first:
                return None
        return None

    # -- count + verb: "ثلاثة مدنيين لقوا حتفهم"
    def _after(self, i: int):
        s, lex = self.s, self.lex
        m = s.match(lex.after_count, i)
        if m is None:
            return None
        k, kind = m
        q = self._free(s.by_end.get(i))
        t0 = None
        value = None
        if q is not None and self._describes_a_thing(q):  # "أربعة أشخاص من عائلة واحدة قتلوا"
            q = self._quantity_before(q.i0)
            if q is None:
                return None
            value, t0 = q.q.value if not q.dual else 2, q.i0
        elif q is not None and (q.core_end < i or q.dual):  # "3 أشخاص على الأقل قتلوا"
            value, t0 = q.q.value if not q.dual else 2, q.i0
        else:
            j = i - 1
            tag = s.person_at(j)
            if tag is not None:
                j2 = j - 1 if j - 1 >= 0 and s.tx[j - 1] in lex.partitive else j
                q = self._free(s.by_core_end.get(j2))
                if tag == "du":
                    q = self._free(s.by_start.get(j))
                    value, t0 = 2, j
                elif q is not None:
                    value, t0 = q.q.value, q.i0
                else:
                    value, t0 = (1 if tag == "sg" else None), j
                    q = None
            else:
                q = self._free(s.by_core_end.get(i))
                if q is None:
                    return None
                value, t0 = q.q.value, q.i0
        if s.negated(t0, strict=True):
            return [], k
        return [_Rec(kind, value, t0, k, q)], k

    def _describes_a_thing(self, q: _Q) -> bool:
        """"عائلة واحدة": "one" after a noun that counts no people is that noun's adjective."""
        before = q.i0 - 1
        return q.q.value == 1 and not q.dual and before >= 0 and self.s.ty[before] != "p" \
            and not self.s.is_counted_noun(before) and self.s.tx[before] not in self.lex.partitive \
            and not self.s.by_end.get(before)

    # -- victims named by a noun: "12 قتيلا", "عشرات القتلى", "سقوط قتلى", "عدد القتلى 12"
    def _noun(self, i: int):
        s, lex = self.s, self.lex
        entry = lex.nouns.get(s.tx[i])
        if entry is None:
            return None
        kind, tag = entry
        if tag == "du":
            q = self._free(s.by_start.get(i))
            e = q.i1 if q is not None else i + 1
            rec = _Rec(kind, 2, i, e, q, from_noun=True)
            return ([] if s.negated(i, strict=True) else [rec]), e
        q = self._free(s.by_core_end.get(i))
        if q is None and i > 0 and s.tx[i - 1] in lex.partitive:
            q = self._free(s.by_core_end.get(i - 1))
        if q is not None:
            e = max(i + 1, q.i1)
            m = s.match(lex.approx_after, e)
            if m is not None:
                e = m[0]
            rec = _Rec(kind, q.q.value, q.i0, e, q, from_noun=True)
            return ([] if s.negated(q.i0, strict=True) or self._released(kind, q.i0) else [rec]), e
        if i > 0 and s.tx[i - 1] in lex.toll_heads:
            return self._toll(i, kind)
        prev = self.recs[-1] if self.recs else None
        coordinated = (prev is not None and prev.t1 == i and prev.kind != kind and prev.from_noun
                       and s.tx[i].startswith(lex.waw))
        if coordinated:
            assert prev is not None
            if prev.quantity is not None and not prev.split:
                prev.value, prev.split = None, True
                return [_Rec(kind, None, i, i + 1, prev.quantity, True, True)], i + 1
            return [_Rec(kind, None, i, i + 1, None, prev.split, True)], i + 1
        if not self._licensed(i) or self._released(kind, i):
            return None
        if s.negated(i, strict=False):
            return [], i + 1
        return [_Rec(kind, 1 if tag == "sg" else None, i, i + 1, None, from_noun=True)], i + 1

    def _released(self, kind: str, i: int) -> bool:
        """Detainees or hostages named after a release, rescue or exchange word."""
        if kind not in ("arrested", "abducted"):
            return False
        s = self.s
        for k in range(i - 1, max(-1, i - 5), -1):
            if s.ty[k] != "w":
                return False
            if s.tx[k] in self.lex.release_before:
                return True
        return False

    def _licensed(self, i: int) -> bool:
        s = self.s
        for k in range(i - 1, max(-1, i - 4), -1):
            if s.ty[k] != "w":
                return False
            if s.tx[k] in self.lex.carriers:
                return True
        return False

    def _toll(self, i: int, kind: str):
        s, lex = self.s, self.lex
        for k in range(i + 1, min(s.n, i + 6)):
            if s.ty[k] == "p" or s.tx[k] in lex.triggers or s.tx[k] in lex.nouns and k > i + 1:
                break
            q = self._free(s.by_start.get(k))
            if q is not None and q.q.value is not None:
                e = q.i1
                if q.core_end < s.n and s.is_counted_noun(q.core_end):
                    e = max(e, q.core_end + 1)
                return [_Rec(kind, q.q.value, i - 1, e, q, from_noun=True)], e
        return [_Rec(kind, None, i - 1, i + 1, None, from_noun=True)], i + 1
