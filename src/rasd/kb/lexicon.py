"""Compiled lexicons: actors, triggers, event types and context cues.

Each loader reads its YAML file once per process (``functools.cache``) and compiles the names
into a `NameMatcher`. Nothing here knows about sentences or events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from rasd.errors import LexiconError
from rasd.kb.loader import load_yaml, require
from rasd.kb.matcher import NameMatcher
from rasd.model import Actor
from rasd.text.normalize import fold

# Endings a trigger may carry beyond its listed form: accusative alef, pronoun suffixes.
_TRIGGER_SUFFIXES = ("", "\u0627", "\u0647", "\u0647\u0627", "\u0647\u0645", "\u0647\u0645\u0627")


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One actor with matching metadata."""

    actor: Actor
    generic: bool
    weak_names: frozenset[str]

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
    return ActorEntry(actor, bool(raw.get("generic")), frozenset(fold(n) for n in weak))


@cache
def triggers() -> NameMatcher[TriggerEntry]:
    matcher: NameMatcher[TriggerEntry] = NameMatcher(suffixes=_TRIGGER_SUFFIXES, optional_article=True)
    known = event_types()
    families = {"attack", "killing", "protest", "takeover", "detention"}
    for group in load_yaml("triggers.yml")["triggers"]:
        family = group["family"]
        if family not in families and family not in known:
            raise LexiconError(f"lexicons/triggers.yml: unknown family or sub-event type {family!r}")
        entry = TriggerEntry(family, int(group["priority"]))
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
def clause_breaks() -> tuple[str, ...]:
    """Clause connectives folded but with their edge spaces kept (they are part of the cue)."""
    from rasd.text.normalize import normalize

    return tuple(normalize(str(f)).text for f in load_yaml("cues.yml")["clause_breaks"])
