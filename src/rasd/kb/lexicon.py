"""Compiled lexicons: actors, triggers, event types and context cues.

Each loader reads its YAML file once per process (``functools.cache``) and compiles the names
into a `NameMatcher`. Nothing here knows about sentences or events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from collections.abc import Sequence
from typing import Any

from rasd.errors import LexiconError
from rasd.kb.loader import load_yaml, require
from rasd.kb.matcher import NameMatcher
from rasd.model import Actor
from rasd.text.normalize import fold

# Endings a trigger may carry beyond its listed form: accusative alef, pronoun suffixes.
# ACLED inter codes by kind of actor: crowds (rioters 5, protesters 6) and armed organised
# forces (state 1, rebels 2, political 3 and identity 4 militias, external forces 8).
CROWD_INTERS = frozenset({5, 6})
ARMED_INTERS = frozenset({1, 2, 3, 4, 8})

_TRIGGER_SUFFIXES = ("", "\u0627", "\u0647", "\u0647\u0627", "\u0647\u0645", "\u0647\u0645\u0627")


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One actor with matching metadata."""

    actor: Actor
    generic: bool
    weak_names: frozenset[str]
    theatres: frozenset[str] = frozenset()  # countries a foreign force fights in (`theatres:`)

    def at_home_in(self, country: str | None) -> bool:
        """Does an article about `country` make this actor's weak names count?"""
        return country is not None and (self.actor.country == country or country in self.theatres)

    def display_name(self, country_name: str | None) -> str:
        """ACLED name, with "{country}" filled from the event's country."""
        if "{country}" in self.actor.name:
            return self.actor.name.replace("{country}", country_name or "International")
        return self.actor.name

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        after_start = self.actor.valid_from is None or day >= self.actor.valid_from
        before_end = self.actor.valid_to is None or day <= self.actor.valid_to
        return after_start and before_end


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    family: str
    priority: int
    needs_report: bool = False  # a noun that reports the event only after an announcing verb


@dataclass(frozen=True, slots=True)
class EventType:
    sub_event_type: str
    event_type: str
    disorder: str
    plover_event: str
    plover_mode: str | None
    note: str


class ActorIndex:
    def __init__(self, entries: list[ActorEntry]) -> None:
        self.by_id = {e.actor.id: e for e in entries}
        self.matcher: NameMatcher[str] = NameMatcher(suffixes=("", "\u0627"))  # accusative alef
        for entry in entries:
            for name in entry.actor.names_ar:
                self.matcher.add(name, entry.actor.id)
        self.matcher.build()

    def pick(self, ids: Sequence[str], day: date | None = None, country: str | None = None) -> str | None:
        """Which of several actors sharing one name the name stands for, as extraction chooses
        (stages/recognise.py): one valid on `day` (a period's successor repeats its
        predecessor's names), then one of the text's `country` or of no particular country
        (the country's own first), then the first listed. None for no ids."""
        if not ids:
            return None
        return min(ids, key=lambda actor_id: self._preference(actor_id, day, country))

    def national_military(self, country_name: str, day: date | None) -> ActorEntry | None:
        """A country's armed forces as ACLED names them ("Military Forces of Syria (2000-2024)"):
        the entry without a unit suffix, valid on `day` when one is."""
        prefixes = (f"Military Forces of {country_name} (", f"Military Forces of the {country_name} (")
        found = [e for e in self.by_id.values()
                 if e.actor.name.startswith(prefixes) and e.actor.name.endswith(")") and e.actor.affiliation is None]
        valid = [e for e in found if e.valid_on(day)]
        return (valid or found or [None])[0]

    def _preference(self, actor_id: str, day: date | None, country: str | None) -> tuple[bool, bool, bool]:
        return preference(self.by_id[actor_id], day, country)


def preference(entry: ActorEntry, day: date | None, country: str | None) -> tuple[bool, bool, bool]:
    """Sort key among actors sharing a name: valid on the day first; then not another
    country's; then the text's country's own over a country-less one ("الميليشيات الإيرانية"
    in an article about Yemen are the Houthis)."""
    return not entry.valid_on(day), entry.actor.country not in (None, country), entry.actor.country != country


@cache
def actors() -> ActorIndex:
    where = "lexicons/actors.yml"
    entries = [_actor_entry(raw, where) for raw in load_yaml("actors.yml")["actors"]]
    return ActorIndex(entries)


def _actor_entry(raw: dict[str, Any], where: str) -> ActorEntry:
    strong = [str(n) for n in require(raw, "names", where)]
    weak = [str(n) for n in raw.get("names_weak") or []]
    try:
        actor = Actor(
            id=require(raw, "id", where), name=require(raw, "name", where), inter=require(raw, "inter", where),
            names_ar=strong + weak, country=raw.get("country"), affiliation=raw.get("affiliation"),
            valid_from=raw.get("valid_from"), valid_to=raw.get("valid_to"),
        )
    except ValueError as exc:
        raise LexiconError(f"{where}: entry {raw.get('id')!r}: {exc}") from exc
    theatres = frozenset(str(c) for c in raw.get("theatres") or [])
    return ActorEntry(actor, bool(raw.get("generic")), frozenset(fold(n) for n in weak), theatres)


@cache
def actor_rows() -> tuple[dict[str, Any], ...]:
    """The raw entries of lexicons/actors.yml, in file order (with `source`, `acled_aliases`
    and the other fields `ActorEntry` does not carry)."""
    return tuple(load_yaml("actors.yml")["actors"])


def actor_records() -> list[dict[str, Any]]:
    """Every actor as a JSON-ready record (CLI.md `actors export`): id, name, names_ar, inter,
    country, affiliation, valid_from, valid_to, plus names_weak, generic, acled_aliases and
    source."""
    index = actors()
    records = []
    for raw in actor_rows():
        entry = index.by_id[raw["id"]]
        record = entry.actor.model_dump(mode="json")
        record["names_weak"] = [str(n) for n in raw.get("names_weak") or []]
        record["generic"] = entry.generic
        record["acled_aliases"] = [str(n) for n in raw.get("acled_aliases") or []]
        record["source"] = raw.get("source", "")
        records.append(record)
    return records


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """One candidate actor for one name found in a text (see `explain_actors`).

    `start`/`end`/`text` point into the ORIGINAL text; `key` is the folded lexicon name that
    matched and `proclitic` the folded letters glued before it (wa-, bi-, li-...)."""

    start: int
    end: int
    text: str
    key: str
    proclitic: str
    entry: ActorEntry
    weak: bool
    kept: bool  # passes the weak-name rule of extraction
    chosen: bool  # the actor this span stands for
    reason: str


def explain_actors(text: str, country: str | None = None, day: date | None = None) -> list[ActorMatch]:
    """Every actor name in `text` with every actor it may stand for, and why each is kept,
    dropped or chosen. The rules are extraction's (stages/recognise.py): a weak name counts in
    an article about the actor's country (`country`, ISO alpha-2) or when the same actor is
    also named by a strong name; where one name stands for several actors the first listed
    wins, except that with a `day` the first listed actor valid on that day wins."""
    from rasd.text.normalize import normalize

    norm = normalize(text)
    index = actors()
    hits = index.matcher.find(norm.text)
    strong_ids = {h.value for h in hits if h.key not in index.by_id[h.value].weak_names}
    spans: dict[tuple[int, int], list[Any]] = {}
    for hit in hits:
        spans.setdefault((hit.start, hit.end), []).append(hit)
    matches: list[ActorMatch] = []
    for (start, end), group in spans.items():
        verdicts = [_weak_rule(index.by_id[h.value], h.key, country, h.value in strong_ids) for h in group]
        kept_ids = [h.value for h, (_, kept, _) in zip(group, verdicts, strict=True) if kept]
        chosen = index.pick(kept_ids, day, country)
        a, b = norm.span(start, end)
        prefix_start = start
        while prefix_start > 0 and norm.text[prefix_start - 1].isalpha():
            prefix_start -= 1
        for hit, (weak, kept, reason) in zip(group, verdicts, strict=True):
            entry = index.by_id[hit.value]
            if kept:
                reason += _choice_reason(index, entry, chosen, day, country)
            matches.append(ActorMatch(a, b, text[a:b], hit.key, norm.text[prefix_start:start], entry,
                                      weak, kept, hit.value == chosen, reason))
    return matches


def _weak_rule(entry: ActorEntry, key: str, country: str | None, strong_elsewhere: bool) -> tuple[bool, bool, str]:
    """(weak, kept, reason) of one name for one actor under extraction's weak-name rule."""
    if key not in entry.weak_names:
        return False, True, "strong name"
    home = entry.actor.country
    if home is not None and home == country:
        return True, True, f"weak name, kept: the text is about {home}, the actor's country"
    if entry.at_home_in(country):
        return True, True, f"weak name, kept: the text is about {country}, where the actor fights"
    if strong_elsewhere:
        return True, True, "weak name, kept: the same actor is also named by a strong name"
    where = f"an article about {home}" if home else "an article"
    seen = f"this text is about {country}" if country else "no country for this text"
    return True, False, f"weak name, dropped: counts only in {where} or beside a strong name of the same actor ({seen})"


def _choice_reason(index: ActorIndex, entry: ActorEntry, chosen: str | None, day: date | None,
                   country: str | None) -> str:
    """Why a kept candidate was or was not chosen for its span."""
    if chosen is None:
        return ""
    if entry.actor.id == chosen:
        if day is not None and not entry.valid_on(day):
            return f"; chosen although not valid on {day.isoformat()} (no candidate is)"
        return ""
    winner = index.by_id[chosen]
    if entry.actor.affiliation == chosen and winner.generic:
        return (f"; identity group: ACLED codes the actor as {winner.actor.name} with this group as "
                "an associated actor")
    if day is not None and not entry.valid_on(day):
        return f"; not chosen: not valid on {day.isoformat()}"
    if entry.actor.country not in (None, country) and winner.actor.country in (None, country):
        return f"; not chosen: {chosen} is preferred, being of {country or 'no particular country'}"
    hint = " (a date chooses by period)" if day is None and (entry.actor.valid_from or entry.actor.valid_to) else ""
    return f"; not chosen: {chosen} is listed first for this name{hint}"


@cache
def triggers() -> NameMatcher[TriggerEntry]:
    matcher: NameMatcher[TriggerEntry] = NameMatcher(suffixes=_TRIGGER_SUFFIXES, optional_article=True)
    known = event_types()
    families = {"attack", "killing", "protest", "takeover", "detention"}
    for group in load_yaml("triggers.yml")["triggers"]:
        family = group["family"]
        if family not in families and family not in known:
            raise LexiconError(f"lexicons/triggers.yml: unknown family or sub-event type {family!r}")
        entry = TriggerEntry(family, int(group["priority"]), bool(group.get("needs_report")))
        for form in group["forms"]:
            matcher.add(str(form), entry)
    matcher.build()
    return matcher


@cache
def modes() -> NameMatcher[str]:
    matcher: NameMatcher[str] = NameMatcher(optional_article=True)
    for sub_event_type, forms in load_yaml("triggers.yml")["modes"].items():
        for form in forms:
            matcher.add(str(form), sub_event_type)
    matcher.build()
    return matcher


@cache
def event_types() -> dict[str, EventType]:
    table = load_yaml("event_types.yml")["sub_event_types"]
    return {
        name: EventType(name, row["event_type"], row["disorder"], row["plover"][0], row["plover"][1], row["note"])
        for name, row in table.items()
    }


@cache
def cue_matcher(*groups: str, file: str = "cues.yml") -> NameMatcher[str]:
    """One matcher over several cue lists; each hit's value is its list name."""
    data = load_yaml(file)
    matcher: NameMatcher[str] = NameMatcher()
    for group in groups:
        for form in data[group]:
            matcher.add(str(form), group)
    matcher.build()
    return matcher


@cache
def cue_forms(group: str, file: str = "cues.yml") -> tuple[str, ...]:
    """The folded forms of one cue list, longest first (for "does the text end with" tests)."""
    forms = {fold(str(f)) for f in load_yaml(file)[group]}
    return tuple(sorted(forms, key=len, reverse=True))


@cache
def cue_words_before(group: str, file: str = "cues.yml") -> tuple[str, ...]:
    """One cue list's forms each followed by a space: "does the text before a word end with a
    cue word" tests ("بعد " before "مقتل")."""
    return tuple(f + " " for f in cue_forms(group, file))


def ends_with_cue_word(before: str, group: str) -> bool:
    """Does `before` end with a whole cue word of `group` and a space ("بعد " before "مقتل")?
    Whole words only: "اليوم من" does not hold the cue "يوم من"."""
    return any(before.endswith(cue) and (len(before) == len(cue) or not before[-len(cue) - 1].isalpha())
               for cue in cue_words_before(group))


@cache
def cue_set(group: str, file: str = "cues.yml") -> frozenset[str]:
    """The folded forms of one cue list as a set, for whole-word membership tests."""
    return frozenset(cue_forms(group, file))


@cache
def cue_forms_of(*groups: str) -> tuple[str, ...]:
    """The folded forms of several cue lists together, longest first (built once per call shape)."""
    forms = {form for group in groups for form in cue_forms(group)}
    return tuple(sorted(forms, key=len, reverse=True))


@cache
def clause_breaks() -> tuple[str, ...]:
    """Clause connectives folded but with their edge spaces kept (they are part of the cue)."""
    from rasd.text.normalize import normalize

    return tuple(normalize(str(f)).text for f in load_yaml("cues.yml")["clause_breaks"])
