"""Date expressions: find them in normalised text and resolve them against the publication date.

`find_dates(norm_text, published)` works on `Normalized.text` (see rasd.text.normalize) and
returns `DateMention`s with offsets into that text, sorted by start and non-overlapping (the
longest candidate wins; ties go to the more specific kind).

Every Arabic word lives in ``lexicons/dates.yml`` (folded on load); this module only turns the
lexicon into regular expressions, once, and resolves what they match:

* ``relative``  today, yesterday, the day before, "N days ago", optionally with a weekday and
  a time of day ("فجر اليوم الجمعة", "ليلة أمس"); precision 1. When a weekday is named, the day
  is the one of that weekday nearest to the relative day, so a publication date one day off
  (time zones, late posting) still gives the day the text means.
* ``weekday``   a bare weekday: the latest such day on or before publication ("الماضي": strictly
  before; "المقبل": strictly after); precision 1. A night named by two weekdays ("ليل الاثنين
  الثلاثاء") is the second.
* ``absolute``  explicit dates ("15 آب 2018", "الخامس عشر من آب", "2018/8/15", "15-08-2018",
  "15 الجاري"); without a year, the latest such date not more than a week after publication.
* ``span``      weeks ("الأسبوع الماضي", "مطلع الأسبوع", "قبل أسبوع"), coded to a day inside the
  week (weeks start on ``week_starts_on``); precision 2.
* ``month``     month names with a part, qualifier, year or context ("منتصف تموز", "أواخر شهر
  تموز الفائت", "في آذار"), "الشهر الماضي", "قبل شهرين"; coded to the 15th; precision 3.
* ``context_offset``  "بعد يوم من", "غداة", "في اليوم التالي" ...: no value; `offset_days` is the
  date of the event referred to minus the date of the sentence's event.
* ``background``  durations and vague years that are not event dates ("خلال خمس سنوات",
  "منذ عام 2014", "منذ بداية العام", "عام 2014", "منذ آذار 2011"); no value.

`dateparser` is not used: every form above is cheaper and more complete with the lexicon
(dateparser takes ~2 ms a call, does not know the Maghrebi month names or ordinal days, and would
have to be given the unfolded text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from rasd.text.normalize import fold

__all__ = ["DateMention", "find_dates"]

_LEXICON = Path(__file__).resolve().parent.parent / "lexicons" / "dates.yml"
_NOT_WORD = re.compile(r"[^\w ]")
_DIGITS = re.compile(r"\d+")

RELATIVE = "relative"
WEEKDAY = "weekday"
ABSOLUTE = "absolute"
SPAN = "span"
MONTH = "month"
CONTEXT = "context_offset"
BACKGROUND = "background"

# Equal-length candidates: the earlier kind in this list wins.
_KIND_RANK = {k: i for i, k in enumerate(
    [ABSOLUTE, MONTH, RELATIVE, WEEKDAY, SPAN, CONTEXT, BACKGROUND])}

_VAGUE_DAYS_AGO = 3  # "قبل أيام" (a few days ago): coded to three days before, precision 2
_FUTURE_SLACK = timedelta(days=7)  # a day-month date without a year may lie this far ahead


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # offsets into the NORMALIZED text (Normalized.text)
    end: int
    value: date | None  # precision 2: middle of the span; 3: the 15th; None if unresolvable
    precision: int  # ACLED time_precision: 1 exact day, 2 within a week or so, 3 month only
    kind: str  # relative, weekday, absolute, span, month, context_offset, background
    offset_days: int | None = None  # context_offset only: referred event's date minus this one's


# ----------------------------------------------------------------------------- lexicon -> regex

def _key(text: str) -> str:
    """Lookup form of matched text: single spaces, the joiner waw glued to its word."""
    return re.sub(r"(?<= )\u0648 ", "\u0648", " ".join(text.split()))


def _esc(word: str, article: str) -> str:
    parts = []
    for i, part in enumerate(word.split()):
        if i and part.startswith("\u0648" + article):  # "و العشرين" as well as "والعشرين"
            parts.append("\u0648\\s?" + re.escape(part[1:]))
        elif part.startswith(article) and len(part) > len(article):
            # lam proclitic + article elides the alef: "للأسبوع" = lam + "الأسبوع"
            lam = article[1:]
            parts.append(f"(?:{re.escape(article)}|(?<={lam}){lam})" + re.escape(part[len(article):]))
        else:
            parts.append(re.escape(part))
    return r"\s+".join(parts)


class _Lex:
    """The folded lexicon and the regular expressions built from it."""

    def __init__(self, raw: dict[str, Any]) -> None:
        f = self._fold
        self.article = fold(raw["article"])
        conj = "".join(f(raw["conjunctions"]))
        prep = "".join(f(raw["prepositions"]))
        lam = self.article[1:]
        art = re.escape(self.article)
        # Start of an expression: a word start, or after a conjunction letter, or after a
        # preposition letter when the word carries the article ("بالأمس", "للأسبوع"), or a
        # number typed glued to the word before it ("في19 نيسان").
        self.B = (
            rf"(?:(?<!\w)|(?<=(?<!\w)[{conj}])|(?<=[\u0621-\u064a])(?=\d)"
            rf"|(?:(?<=(?<!\w)[{prep}])|(?<=(?<!\w)[{conj}][{prep}]))(?={art})"
            rf"|(?:(?<=(?<!\w){lam})|(?<=(?<!\w)[{conj}]{lam}))(?={lam}))"
        )

        self.weekdays = self._table(raw["weekdays"])
        self.months = self._table(raw["months"])
        self.ordinals = self._table(raw["ordinal_days"])
        self.cardinals = self._table(raw["cardinals"])
        self.relative = self._table(raw["relative_days"])
        self.context = self._table(raw["context_phrases"])
        self.week_start = int(raw["week_starts_on"])
        self.week_part_days = {str(k): int(v) for k, v in raw["week_part_days"].items()}
        q = raw["qualifiers"]
        self.qual = self._table({"past": q["past"], "current": q["current"], "next": q["next"]})
        self.parts = self._table(raw["period_parts"])
        self.units: dict[str, tuple[str, str]] = {}
        for unit, forms in raw["units"].items():
            for count, words in forms.items():
                for w in f(words):
                    self.units[w] = (unit, count)
        self.ago = set(f(raw["ago"]))
        self.ctx_after = set(f(raw["context_after"]))
        self.ctx_before = set(f(raw["context_before"]))

        A = self.alt
        WD = A(self.weekdays)
        MON = A(self.months)
        Q = A(self.qual)
        PART = A(self.parts)
        PARTS = rf"{PART}(?:\s+\u0648\s?{PART})*"  # "أواخر ومنتصف"
        DAYW = A(f(raw["day_words"]))
        CARD = A(self.cardinals)
        NUM = rf"(?:{CARD}|\d{{1,3}}(?!\d))"
        APPROX = A(f(raw["approximately"]))
        OF = A(f(raw["of_words"]))
        YEAR = r"(?:19|20)\d\d(?!\d)"
        YSUF = A(f(raw["year_suffixes"]))
        YEARW = A(f(raw["year_words"]))
        YEARN = A(f(raw["year_nouns"]))
        SINCE = A(f(raw["since"]))
        MON_PAIR = rf"(?:\s*[/(\-\u2013]\s*(?P<mon2>{MON})(?:\s*\))?)?"  # "تموز/يوليو", "تموز (يوليو)"
        YEAR_TAIL = (
            rf"(?:\s*[,\u060c]?\s*(?:{OF}\s+)?(?:{YEARW}\s+)?(?P<year>{YEAR})(?:\s?{YSUF})?"
            rf"|\s+{OF}\s+{YEARN}\s+(?P<yq>{Q}))?"
        )
        blockers = f(raw["today_blockers"]) + list(self.ordinals)
        rel0 = [w for w, n in self.relative.items() if n == 0]
        relx = [w for w, n in self.relative.items() if n != 0]
        tod = A(f(raw["times_of_day"]))
        toda = A(f(raw["times_of_day_after"]))
        nj = A(f(raw["night_joiners"]))
        bg_units = [w for w, (u, c) in self.units.items()
                    if u in ("year", "decade") or (u in ("month", "day") and c != "one")
                    or (u == "week" and c == "many")]
        bg_units += [self.article + w for w in bg_units]
        recent = A(f(q["recent"]) + [w for w, v in self.qual.items() if v == "past"])
        B = self.B

        # Searching a text with a dozen patterns that open on lookbehinds costs ~1 ms each, so
        # the text is cut into words once and each pattern is only tried (`match`) where a word
        # that can open it stands: `leads` maps such a first word to its patterns. A weak lead
        # ("في") is too common for that: the word after it is the lead, and the pattern is
        # tried from the weak word too.
        self.patterns: list[tuple[re.Pattern[str], Callable[..., Any]]] = []
        self.weak = frozenset(f(raw["weak_leads"]))
        self.conj = frozenset(conj)
        leads: dict[str, set[int]] = {}
        digit_leads: set[int] = set()
        self.weak_patterns: set[int] = set()

        def add(regex: str, handler: Callable[..., Any], *lead_lists: Iterable[str],
                digits: bool = False, after_weak: Iterable[str] = ()) -> None:
            index = len(self.patterns)
            self.patterns.append((re.compile(regex), handler))
            for words in (*lead_lists, after_weak):
                for entry in words:
                    first, *rest = entry.split()
                    if first not in self.weak:
                        leads.setdefault(first, set()).add(index)
                    else:
                        self.weak_patterns.add(index)
                        if rest:
                            leads.setdefault(rest[0], set()).add(index)
            if digits:
                digit_leads.add(index)

        add(
            rf"{B}(?:(?P<since>{SINCE})\s+)?"
            rf"(?:(?:{DAYW}\s+)?(?P<wd>{WD})\s*[,\u060c]?\s*(?:{A(f(raw['as_of_words']))}\s+)?)?"
            rf"(?:(?:(?:{art}\s?)?(?P<d>\d{{1,2}})(?!\d)|(?P<dord>{A(self.ordinals)}))"
            rf"\s*(?:(?P<of>{OF})\s+)?"
            rf"(?:(?:{A(f(raw['month_words']))}\s+)?(?P<mon>{MON}){MON_PAIR}"
            rf"(?:\s+(?P<q>{Q}))?{YEAR_TAIL}"
            rf"|(?P<mn>{A(f(raw['month_nouns']))}\s+)?(?P<mq>{Q}))"
            rf"|(?P<y1>{YEAR})(?P<s1>[/.\-])(?P<m1>\d{{1,2}})(?P=s1)(?P<d1>\d{{1,2}})(?![\d/\-]|\.\d)"
            rf"|(?P<d2>\d{{1,2}})(?P<s2>[/.\-])(?P<m2>\d{{1,2}})(?P=s2)(?P<y2>{YEAR})(?![/\-]|\.\d))",
            _absolute, f(raw["since"]), f(raw["day_words"]), self.weekdays, self.ordinals,
            [self.article], digits=True,
        )
        add(
            rf"(?:{B}(?P<ctx>{A(f(raw['month_context']))})\s+)?"
            rf"(?P<core>{B}(?:(?P<since>{SINCE})\s+)?(?:(?P<part>{PARTS})\s+)?"
            rf"(?:(?P<mw>{A(f(raw['month_words']))})\s+)?(?P<mon>{MON}){MON_PAIR}"
            rf"(?:\s+(?P<q>{Q}))?{YEAR_TAIL})",
            _month_name, f(raw["month_context"]), f(raw["since"]), self.parts,
            f(raw["month_words"]), self.months,
        )
        add(
            rf"{B}(?:(?P<tod>{tod})\s+)?(?:{DAYW}\s+)?"
            rf"(?:(?:(?P<rel>{A(relx)})|(?P<today>{A(rel0)})(?!\s+{A(blockers)}))"
            rf"(?:\s+(?:{DAYW}\s+)?(?P<wd>{WD}))?"
            rf"|(?P<wd1>{WD})(?:\s*(?:[/\-\u2013]|{nj})?\s*(?P<wd2>{WD}))?(?:\s+(?P<q>{Q}))?)"
            rf"(?:\s+{toda})?",
            _relative, f(raw["times_of_day"]), f(raw["day_words"]), self.relative, self.weekdays,
        )
        add(
            rf"{B}(?P<prep>{A(self.ago | self.ctx_after | self.ctx_before)})\s+(?:{APPROX}\s+)?"
            rf"(?:(?P<n>{NUM})\s+(?P<un>{A(self.units)})|(?P<u>{A(self.units)})"
            rf"(?:\s+{A(w for w, n in self.cardinals.items() if n == 1)})?)"
            rf"(?:\s+(?P<link>{A(f(raw['context_links']))}))?",
            _ago, self.ago, self.ctx_after, self.ctx_before,
        )
        for noun, handler in ((raw["week_nouns"], _week), (raw["month_nouns"], _month_noun),
                              (raw["year_nouns"], _year_noun)):
            extra = f"|{A(f(raw['background_preps']))}" if handler is _year_noun else ""
            add(
                rf"{B}(?:(?P<since>{SINCE}{extra})\s+)?(?:(?P<part>{PARTS})\s+)?"
                rf"(?:(?P<this>{A(f(raw['this']))})\s+)?{A(f(noun))}(?:\s+(?P<q>{Q}))?",
                handler, f(raw["since"]), f(raw["background_preps"]) if extra else [],
                self.parts, f(raw["this"]), f(noun),
            )
        add(rf"{B}(?P<c>{A(self.context)})", _context_phrase, self.context)
        add(
            rf"{B}(?P<prep>{A(f(raw['background_preps']))})\s+(?:{APPROX}\s+)?"
            rf"(?:(?:{art})?(?P<n>{NUM})\s+)?(?P<u>{A(bg_units)})"
            rf"(?:\s+(?:{art})?(?P<n2>{NUM}))?(?:\s+(?P<q>{recent}))?",
            _duration, f(raw["background_preps"]),
            after_weak=[*self.cardinals, *(art + w for w in self.cardinals), *bg_units],
        )
        add(
            rf"{B}(?:(?P<prep>{SINCE}|{A(f(raw['background_preps']))})\s+)?"
            rf"(?:(?P<yw>{YEARW})\s+)?{YEAR}(?:\s?{YSUF})?",
            _bare_year, f(raw["since"]), f(raw["background_preps"]), f(raw["year_words"]),
            digits=True,
        )
        bg_phrases = f(raw["background_phrases"])
        add(rf"{B}{A(bg_phrases)}", lambda lex, m, pub: (BACKGROUND, None, 3), bg_phrases)
        self.digit_leads = tuple(sorted(digit_leads))
        # Every spelling a lead can take with its proclitics -> (offset of the lead, patterns).
        self.surface: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        lam = self.article[1:]
        for word, indices in leads.items():
            forms = [(word, 0)] + [(c + word, 1) for c in conj]
            if word.startswith(self.article) and len(word) > len(self.article):
                elided = lam + word[len(self.article):]  # "للأسبوع": lam + article
                forms += [(p + word, 1) for p in prep] + [(lam + elided, 1)]
                forms += [(c + p + word, 2) for c in conj for p in prep]
                forms += [(c + lam + elided, 2) for c in conj]
            for form, offset in forms:
                self.surface.setdefault(form, []).append((offset, tuple(sorted(indices))))
        self.weak_surface = {c + w: 1 for w in self.weak for c in conj} | {w: 0 for w in self.weak}
        self.surface_keys = frozenset(self.surface)

    def starts(self, text: str) -> Iterable[tuple[int, tuple[int, ...]]]:
        """Offsets where a pattern may start, each with the patterns to try there.

        Done with C-level string operations: punctuation becomes spaces (same length), the set
        of words is intersected with the lead spellings, and only the words present are found.
        """
        flat = _NOT_WORD.sub(" ", text)
        padded = f" {flat} "
        surface = self.surface
        for word in self.surface_keys.intersection(flat.split()):
            needle = f" {word} "
            found = surface[word]
            at = padded.find(needle)
            while at >= 0:  # `at` is the word's offset in `flat` (padded has one more char)
                yield from self._at(flat, at, found)
                at = padded.find(needle, at + len(word) + 1)
        if not any(d in text for d in "0123456789"):  # faster than a regex search
            return
        for run in _DIGITS.finditer(flat):
            at = run.start()
            head = flat[flat.rfind(" ", 0, at) + 1:at]  # the token's letters before the digits
            if not head:
                yield from self._at(flat, at, [(0, self.digit_leads)])
            elif head == self.article:  # "الـ15" folds to "ال15"
                yield at - len(head), surface[head][0][1]
            else:  # "و15", or a number typed glued to the word before it ("في19 نيسان")
                yield at, self.digit_leads

    def _at(self, flat: str, pos: int, found: list[tuple[int, tuple[int, ...]]]
            ) -> Iterable[tuple[int, tuple[int, ...]]]:
        for offset, indices in found:
            yield pos + offset, indices
        if pos < 2 or flat[pos - 1] != " ":
            return
        prev_start = flat.rfind(" ", 0, pos - 1) + 1
        weak_offset = self.weak_surface.get(flat[prev_start:pos - 1])
        if weak_offset is None:
            return
        for _offset, indices in found:
            weak = tuple(i for i in indices if i in self.weak_patterns)
            if weak:
                yield prev_start + weak_offset, weak

    @staticmethod
    def _fold(words: Iterable[str]) -> list[str]:
        return [fold(str(w)) for w in words]

    def _table(self, data: dict[Any, list[str]]) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for value, words in data.items():
            value = int(value) if isinstance(value, int) or str(value).lstrip("-").isdigit() else value
            for w in words:
                table[_key(fold(str(w)))] = value
        return table

    def alt(self, words: Iterable[str]) -> str:
        """One alternation of whole words, longest first, ending at a word boundary."""
        unique = sorted(set(words), key=lambda w: (-len(w), w))
        return "(?:" + "|".join(_esc(w, self.article) for w in unique) + r")(?!\w)"

    def look(self, table: dict[str, Any], text: str) -> Any:
        key = _key(text)
        if key not in table and key.startswith(self.article[1:]):  # elided alef after lam
            key = self.article[0] + key
        return table[key]


@cache
def _lexicon() -> _Lex:
    import yaml  # here, not at import time: `rasd extract` must start fast

    with _LEXICON.open(encoding="utf-8") as fh:  # libyaml's loader when present: ~10x faster
        return _Lex(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


# ------------------------------------------------------------------------------- date helpers

def _on_or_before(pub: date, weekday: int) -> date:
    return pub - timedelta(days=(pub.weekday() - weekday) % 7)


def _nearest(base: date, weekday: int) -> date:
    back = (base.weekday() - weekday) % 7  # 0..6 days back; prefer the past on a tie
    return base - timedelta(days=back) if back <= 3 else base + timedelta(days=7 - back)


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _month_year(pub: date, month: int, when: str | None) -> int:
    """Year of the named month: latest not after publication, or as the qualifier says."""
    if when == "past":
        return pub.year if month < pub.month else pub.year - 1
    if when == "next":
        return pub.year if month > pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _week_day(lex: _Lex, pub: date, when: str | None, parts: list[str], this: bool) -> date:
    offset = lex.week_part_days[parts[0] if len(parts) == 1 else "whole"]
    current = pub - timedelta(days=(pub.weekday() - lex.week_start) % 7)
    if when == "past":
        return current - timedelta(days=7 - offset)
    if when == "next":
        return current + timedelta(days=7 + offset)
    day = current + timedelta(days=offset)
    if day <= pub:
        return day
    return pub if (this or when == "current") else day - timedelta(days=7)


def _parts(lex: _Lex, text: str | None) -> list[str]:
    if not text:
        return []
    found = []
    for word in re.findall(r"\w+", text):
        if word not in lex.parts:
            word = word[1:]  # glued joiner waw: "ومنتصف"
        if word in lex.parts:
            found.append(lex.parts[word])
    return found


# ------------------------------------------------------------------------------------ handlers
# Each handler gets (lexicon, match, published) and returns (kind, value, precision[, offset]),
# or None to drop the match. The span is the match, or its "core" group when it has one.

Result = tuple[str, date | None, int] | tuple[str, date | None, int, int] | None


def _absolute(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    if m["since"]:
        return BACKGROUND, None, 3
    if m["y1"] or m["y2"]:
        y, mo, d = (m["y1"], m["m1"], m["d1"]) if m["y1"] else (m["y2"], m["m2"], m["d2"])
        value = _safe_date(int(y), int(mo), int(d))
        return (ABSOLUTE, value, 1) if value else None
    day = int(m["d"]) if m["d"] else lex.look(lex.ordinals, m["dord"])
    if not 1 <= day <= 31:
        return None
    if m["mq"]:
        if m["dord"] and not (m["of"] or m["mn"]):
            return None  # "كانون الثاني الجاري" is a month, not "the 2nd of this month"
        if pub is None:
            return ABSOLUTE, None, 1
        when = lex.look(lex.qual, m["mq"])
        year, month = _shift_month(pub.year, pub.month, {"past": -1, "next": 1}.get(when, 0))
        value = _safe_date(year, month, day)
        return (ABSOLUTE, value, 1) if value else None
    month = lex.look(lex.months, m["mon"])
    if m["year"]:
        value = _safe_date(int(m["year"]), month, day)
        return (ABSOLUTE, value, 1) if value else None
    if pub is None:
        return ABSOLUTE, None, 1
    if m["yq"]:
        year = pub.year + {"past": -1, "next": 1}.get(lex.look(lex.qual, m["yq"]), 0)
        value = _safe_date(year, month, day)
        return (ABSOLUTE, value, 1) if value else None
    when = lex.look(lex.qual, m["q"]) if m["q"] else None
    if when == "current":
        value = _safe_date(pub.year, month, day)
        return (ABSOLUTE, value, 1) if value else None
    if when == "next":
        years: Iterable[int] = (pub.year, pub.year + 1)
        limit = None
    else:  # latest such date; "الماضي" allows none after publication, a bare date a week
        years = (pub.year + 1, pub.year, pub.year - 1, pub.year - 2)
        limit = pub if when == "past" else pub + _FUTURE_SLACK
    for year in years:
        value = _safe_date(year, month, day)
        if value and (value <= limit if limit else value > pub):
            return ABSOLUTE, value, 1
    return None


def _month_name(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    if m["since"]:
        return BACKGROUND, None, 3
    if not (m["ctx"] or m["part"] or m["mw"] or m["q"] or m["year"] or m["yq"] or m["mon2"]):
        return None  # a bare month name: too often another word (آب "father", مارس "practised")
    month = lex.look(lex.months, m["mon"])
    if m["year"]:
        return MONTH, date(int(m["year"]), month, 15), 3
    if pub is None:
        return MONTH, None, 3
    if m["yq"]:
        year = pub.year + {"past": -1, "next": 1}.get(lex.look(lex.qual, m["yq"]), 0)
    else:
        when = lex.look(lex.qual, m["q"]) if m["q"] else None
        year = _month_year(pub, month, when)
    return MONTH, date(year, month, 15), 3


def _relative(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    if m["wd1"]:
        # "ليل الاثنين الثلاثاء", "ليل الأربعاء على الخميس": a night is coded to the day it ends on
        weekday = lex.look(lex.weekdays, m["wd2"] or m["wd1"])
        if pub is None:
            return WEEKDAY, None, 1
        when = lex.look(lex.qual, m["q"]) if m["q"] else None
        if when == "past":
            return WEEKDAY, _on_or_before(pub - timedelta(days=1), weekday), 1
        if when == "next":
            return WEEKDAY, _on_or_before(pub + timedelta(days=7), weekday), 1
        return WEEKDAY, _on_or_before(pub, weekday), 1
    if pub is None:
        return RELATIVE, None, 1
    offset = 0 if m["today"] else lex.look(lex.relative, m["rel"])
    base = pub + timedelta(days=offset)
    if m["wd"]:
        base = _nearest(base, lex.look(lex.weekdays, m["wd"]))
    return RELATIVE, base, 1


def _count(lex: _Lex, m: re.Match[str]) -> tuple[str, int | None]:
    """Unit and count of "ثلاثة أيام", "يومين", "أيام" (None: an unspecified few)."""
    if m["n"]:
        unit = lex.units[_key(m["un"])][0]
        n = m["n"]
        return unit, int(n) if n.isdigit() else lex.look(lex.cardinals, n)
    unit, form = lex.units[_key(m["u"])]
    return unit, {"one": 1, "two": 2}.get(form)


def _ago(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    prep = _key(m["prep"])
    unit, n = _count(lex, m)
    if m["link"] and prep in lex.ctx_after | lex.ctx_before:
        sign = -1 if prep in lex.ctx_after else 1
        if unit == "hour":
            return CONTEXT, None, 1, 0
        if unit in ("month", "year", "decade"):
            return BACKGROUND, None, 3  # "قبل عام من": relates two old events
        if n is None:
            return None
        return (CONTEXT, None, 1, sign * n) if unit == "day" else (CONTEXT, None, 2, sign * 7 * n)
    if prep not in lex.ago:
        return None  # "بعد يومين" alone is the future
    since = prep not in lex.ctx_before  # "منذ" can also mean "for": "منذ أشهر" is a duration
    if unit in ("year", "decade") or (unit == "month" and (since or n is None)):
        return BACKGROUND, None, 3
    if unit == "week" and n is None:
        return BACKGROUND, None, 3
    if pub is None:
        return {"hour": (RELATIVE, None, 1), "day": (RELATIVE if n else SPAN, None, 1 if n else 2),
                "week": (SPAN, None, 2), "month": (MONTH, None, 3)}[unit]
    if unit == "hour":
        return RELATIVE, pub, 1
    if unit == "day":
        if n is None:
            return SPAN, pub - timedelta(days=_VAGUE_DAYS_AGO), 2
        return RELATIVE, pub - timedelta(days=n), 1
    if unit == "week":
        return SPAN, pub - timedelta(days=7 * n), 2
    year, month = _shift_month(pub.year, pub.month, -(n or 1))
    return MONTH, date(year, month, 15), 3


def _week(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    if not (m["part"] or m["this"] or m["q"]):
        return None
    if m["since"]:
        return BACKGROUND, None, 3
    if pub is None:
        return SPAN, None, 2
    when = lex.look(lex.qual, m["q"]) if m["q"] else None
    return SPAN, _week_day(lex, pub, when, _parts(lex, m["part"]), bool(m["this"])), 2


def _month_noun(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    if not (m["part"] or m["this"] or m["q"]):
        return None
    if m["since"]:
        return BACKGROUND, None, 3
    if pub is None:
        return MONTH, None, 3
    when = lex.look(lex.qual, m["q"]) if m["q"] else None
    year, month = _shift_month(pub.year, pub.month, {"past": -1, "next": 1}.get(when, 0))
    return MONTH, date(year, month, 15), 3


def _year_noun(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    if not (m["part"] or m["this"] or m["q"]):
        return None
    return BACKGROUND, None, 3


def _context_phrase(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    return CONTEXT, None, 1, lex.look(lex.context, m["c"])


def _duration(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    word = _key(m["u"])
    _unit, form = lex.units.get(word) or lex.units[word.removeprefix(lex.article)]
    if form == "one" and not (m["n"] or m["n2"] or m["q"]) and word.startswith(lex.article):
        return None  # "في العام" alone
    return BACKGROUND, None, 3


def _bare_year(lex: _Lex, m: re.Match[str], pub: date | None) -> Result:
    if not (m["prep"] or m["yw"]):
        return None  # a bare four-digit number may be a count
    return BACKGROUND, None, 3


# --------------------------------------------------------------------------------- public API

def find_dates(norm_text: str, published: date | None) -> list[DateMention]:
    """Date expressions in normalised text, sorted by start, non-overlapping (longest wins)."""
    lex = _lexicon()
    candidates: list[DateMention] = []
    tried: set[tuple[int, int]] = set()
    for pos, indices in lex.starts(norm_text):
        for index in indices:
            if (pos, index) in tried:
                continue
            tried.add((pos, index))
            regex, handler = lex.patterns[index]
            m = regex.match(norm_text, pos)
            if m is None:
                continue
            result = handler(lex, m, published)
            if result is None:
                continue
            start, end = m.span("core") if "core" in regex.groupindex and m["core"] else m.span()
            kind, value, precision = result[:3]
            offset = result[3] if len(result) > 3 else None
            candidates.append(DateMention(start, end, value, precision, kind, offset))
    candidates.sort(key=lambda c: (c.start - c.end, _KIND_RANK[c.kind], c.start))
    chosen: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for c in candidates:
        if all(c.end <= a or c.start >= b for a, b in taken):
            chosen.append(c)
            taken.append((c.start, c.end))
    chosen.sort(key=lambda c: c.start)
    return chosen
