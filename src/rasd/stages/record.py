"""Records: a merged draft becomes an `Event` with ACLED's columns, notes and evidence."""

from __future__ import annotations

import hashlib

from rasd.doc import Doc, Mention
from rasd.kb.gazetteer import load_gazetteer
from rasd.kb.lexicon import ARMED_INTERS, CROWD_INTERS, ActorEntry, actors, event_types
from rasd.kb.loader import load_yaml
from rasd.model import Event, Plover
from rasd.stages.assemble import Draft, to_evidence
from rasd.stages.roles import Participant

_VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_FORCE_ON_PROTESTERS = frozenset({"Excessive force against protesters", "Protest with intervention"})
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def to_event(doc: Doc, draft: Draft, index: int) -> Event:
    """The event record of one draft; `index` numbers events within the article."""
    # The place decides the country; else the home of a side fighting at home (the Syrian
    # army, the Houthis: a reaction piece names many countries); else the article's own
    # country; a foreign force's home country (the Saudi-led coalition in Yemen) only when
    # nothing else is known.
    country_code = (draft.place.place.country if draft.place
                    else _home_side_country(draft) or doc.country or _actor_country(draft))
    country = load_gazetteer().country(country_code) if country_code else None
    country_name = country.name if country else None
    actor1, actor2 = _crowd_roles(draft)
    name1, inter1 = _named(_as_rioters(actor1, draft), country_name)
    name2, inter2 = _named(_as_rioters(actor2, draft), country_name)
    default1, default2 = default_actors(draft, actor1 is not None, actor2 is not None, country_code)
    if default1 is not None:
        name1, inter1 = default1.display_name(country_name), default1.actor.inter
    if default2 is not None:
        name2, inter2 = default2.display_name(country_name), default2.actor.inter
    place = draft.place.place if draft.place else None
    event = Event(
        event_id=event_id(doc.article.id, index),
        event_date=draft.day,
        year=draft.day.year if draft.day else None,
        time_precision=draft.time_precision,
        disorder_type=draft.kind.disorder,
        event_type=draft.kind.event_type,
        sub_event_type=draft.kind.sub_event_type,
        actor1=name1,
        assoc_actor_1=_associates(actor1, country_name),
        inter1=inter1,
        actor2=name2,
        assoc_actor_2=_associates(actor2, country_name),
        inter2=inter2,
        interaction=_interaction(inter1, inter2),
        civilian_targeting=draft.civilian_targeting or (default2 is not None and default2.actor.inter == 7),
        iso=country.iso if country else None,
        region=country.region if country else None,
        country=country_name,
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        admin3=place.admin3 if place else None,
        location=place.name if place else None,
        latitude=draft.place.latitude if draft.place else None,
        longitude=draft.place.longitude if draft.place else None,
        geo_precision=draft.place.precision if draft.place else None,
        source=doc.article.source,
        fatalities=draft.casualties.killed,
        fatalities_known=draft.casualties.killed_known,
        injured=draft.casualties.injured,
        arrested=draft.casualties.arrested,
        abducted=draft.casualties.abducted,
        location_ar=_span_text(doc, draft.place.mention) if draft.place else None,
        actor1_ar=_surface(doc, actor1),
        actor2_ar=_surface(doc, actor2),
        evidence=to_evidence(doc, _evidence_items(draft)),
        article_id=doc.article.id,
        sources=[doc.article.source or doc.article.id],
        confidence=_confidence(draft),
        plover=Plover(event=draft.kind.plover_event, mode=draft.kind.plover_mode),
    )
    event.notes = notes(event)
    return event


def default_actors(draft: Draft, has1: bool, has2: bool,
                   country_code: str | None = None) -> tuple[ActorEntry | None, ActorEntry | None]:
    """The actors an ACLED coder writes when the report names none: demonstrators not named
    are "Protesters (Country)" ("Rioters" in a riot); an unnamed attacker is an
    unidentified armed group; the unnamed victims of violence against civilians, or of an
    explosion that killed or wounded people, are civilians, unless they were fighters or a
    military post; an unnamed side of a battle is an unidentified armed group."""
    ids = load_yaml("event_types.yml")["default_actors"]
    index = actors()
    if draft.kind.sub_event_type in _FORCE_ON_PROTESTERS and has1 and not has2 and draft.roles.actor1 is not None \
            and draft.roles.actor1.inter not in (5, 6):
        return None, index.by_id[ids["protesters"]]
    if draft.kind.event_type in ("Protests", "Riots") and not has1:
        crowd = ids["rioters"] if draft.kind.event_type == "Riots" else ids["protesters"]
        return index.by_id[crowd], None  # "تظاهر الآلاف": the crowd is the actor all the same
    if draft.kind.event_type not in _VIOLENT:
        return None, None
    perpetrator = index.by_id[ids["unknown_perpetrator"]]
    raider = None if has1 else _raider(draft, ids, country_code)
    if raider is not None and draft.roles.actor2 is not None and draft.roles.actor2.entry.actor.id == raider.actor.id:
        raider = None  # a raid on the air force's own country's army was not flown by it
    default1 = None if has1 else raider or perpetrator
    default2 = None
    casualties = draft.casualties.killed or not draft.casualties.killed_known or draft.casualties.injured
    one_sided = draft.kind.event_type == "Violence against civilians" or (
        draft.kind.event_type == "Explosions/Remote violence" and casualties)
    opponent = _usual_opponent(draft, ids, default1)
    if not has2 and opponent is not None and (draft.armed_victims or not casualties):
        default2 = index.by_id[opponent]
    elif not has2 and one_sided and not draft.armed_victims:
        default2 = index.by_id[ids["civilians"]]
    elif not has2 and (draft.kind.event_type == "Battles" or (one_sided and draft.armed_victims)):
        default2 = perpetrator  # fighters or a military post were hit: an unnamed armed side
    return default1, default2


def _usual_opponent(draft: Draft, ids: dict, default1: ActorEntry | None) -> str | None:
    """The side `usual_opponents` names for the acting force, for battles and strikes."""
    actor1 = draft.roles.actor1.entry if draft.roles.actor1 is not None else default1
    if actor1 is None or draft.kind.event_type not in ("Battles", "Explosions/Remote violence"):
        return None
    opponents = dict(ids.get("usual_opponents") or {})
    if draft.kind.event_type == "Battles":
        opponents.update(ids.get("usual_opponents_in_battles") or {})
    return opponents.get(actor1.actor.id)


def _raider(draft: Draft, ids: dict, country_code: str | None) -> ActorEntry | None:
    """The force an unclaimed air raid is coded to in a country where only one side flies
    combat aircraft (event_types.yml `air_raid_by_country`)."""
    if draft.kind.sub_event_type != "Air/drone strike" or draft.drone or country_code is None:
        return None
    actor_id = (ids.get("air_raid_by_country") or {}).get(country_code)
    return actors().by_id[actor_id] if actor_id else None


def event_id(article_id: str, index: int) -> str:
    """Stable id: a hash of the article id and the event's index in it."""
    return hashlib.sha1(f"{article_id}\x1f{index}".encode()).hexdigest()[:16]


def _home_side_country(draft: Draft) -> str | None:
    """The country of a named side that fights in its own country (not an external force)."""
    for participant in (draft.roles.actor1, draft.roles.actor2):
        if participant is not None and participant.entry.actor.country and participant.inter != 8 \
                and not participant.entry.generic:
            return participant.entry.actor.country
    return None


def _actor_country(draft: Draft) -> str | None:
    for participant in (draft.roles.actor1, draft.roles.actor2):
        if participant is not None and participant.entry.actor.country:
            return participant.entry.actor.country
    return None


def _crowd_roles(draft: Draft) -> tuple[Participant | None, Participant | None]:
    """ACLED's sides of a disrupted attack (not the civilians it was aimed at) and of a
    demonstration: the crowd is actor 1 ("Protesters"/"Rioters (Country)",
    filled in by `default_actors` when unnamed); a peaceful protest has no actor 2; a protest
    met by force, or a riot, has the armed or state side it met. Other named actors (the
    government a protest is against, a party whose office burned) are not sides."""
    actor1, actor2 = draft.roles.actor1, draft.roles.actor2
    if draft.kind.sub_event_type == "Disrupted weapons use" and actor2 is not None and actor2.inter == 7:
        return actor1, None  # the civilians a missile was aimed at are not the side it belonged to
    if draft.kind.event_type not in ("Protests", "Riots") or draft.kind.sub_event_type == "Mob violence":
        return actor1, actor2
    present = [p for p in (actor1, actor2) if p is not None]
    crowd = next((p for p in present if p.inter in CROWD_INTERS), None)
    force = next((p for p in present if p.inter in ARMED_INTERS), None)
    return crowd, None if draft.kind.sub_event_type == "Peaceful protest" else force


def _named(entry: ActorEntry | None, country_name: str | None) -> tuple[str | None, int]:
    return (entry.display_name(country_name), entry.actor.inter) if entry is not None else (None, 0)


def _as_rioters(participant: Participant | None, draft: Draft) -> ActorEntry | None:
    """The participant's actor; demonstrators in a riot are "Rioters (Country)", as ACLED
    codes them (event_types.yml `default_actors` names both generic actors)."""
    if participant is None:
        return None
    ids = load_yaml("event_types.yml")["default_actors"]
    if draft.kind.event_type == "Riots" and participant.entry.actor.id == ids["protesters"]:
        return actors().by_id[ids["rioters"]]
    return participant.entry


def _associates(participant: Participant | None, country_name: str | None) -> list[str]:
    if participant is None:
        return []
    return [p.entry.display_name(country_name) for p in participant.associates]


def _interaction(inter1: int, inter2: int) -> int:
    """ACLED: the two inter codes, lower first; a sole actor gives N0."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return 0
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def _surface(doc: Doc, participant: Participant | None) -> str | None:
    return _span_text(doc, participant.mention) if participant is not None else None


def _span_text(doc: Doc, mention: Mention) -> str:
    """The original words behind a mention of the folded text."""
    start, end = doc.norm.span(mention.start, mention.end)
    return doc.article.text[start:end]


def _evidence_items(draft: Draft) -> list[tuple[str, int, int]]:
    items = [("trigger", draft.trigger.start, draft.trigger.end)] + draft.evidence
    for field_name, participant in (("actor1", draft.roles.actor1), ("actor2", draft.roles.actor2)):
        if participant is not None:
            items.append((field_name, participant.mention.start, participant.mention.end))
            suffix = field_name[-1]
            items.extend((f"assoc_actor_{suffix}", p.mention.start, p.mention.end) for p in participant.associates)
    if draft.place is not None:
        items.append(("location", draft.place.mention.start, draft.place.mention.end))
    if draft.date_span is not None:
        items.append(("event_date", *draft.date_span))
    items.extend(draft.casualties.evidence)
    return items


def _confidence(draft: Draft) -> float:
    score = 0.35
    score += 0.2 if draft.place is not None else 0.0
    score += 0.15 if draft.roles.actor1 is not None else 0.0
    score += 0.1 if draft.roles.actor2 is not None else 0.0
    score += 0.1 if draft.date_span is not None else 0.05 if draft.day is not None else 0.0
    return round(min(score, 0.95), 2)


def notes(event: Event) -> str:
    """An ACLED-style English summary built from the record's own fields."""
    template = event_types()[event.sub_event_type].note
    where = _where(event)
    sentence = template.format(
        a1=event.actor1 or "an unidentified armed group",
        a2=_object(event),
        loc=f"{_preposition(event)} {where}" if where else "",
        loc_name=where or "an unknown place",
    )
    sentence = " ".join(sentence.split())
    when = _when(event)
    parts = [f"{when}, {sentence}." if when else f"{sentence[0].upper()}{sentence[1:]}."]
    parts.append(_toll(event))
    return " ".join(p for p in parts if p)


def _object(event: Event) -> str:
    if event.actor2 is None:
        return "unidentified targets"
    names = [event.actor2, *event.assoc_actor_2]
    return " and ".join(names)


def _where(event: Event) -> str:
    if event.location is None:
        return ""
    context = [n for n in (event.admin1, event.country) if n and n != event.location]
    return f"{event.location} ({', '.join(context)})" if context else event.location


def _preposition(event: Event) -> str:
    return "near" if event.geo_precision == 2 else "in"


def _when(event: Event) -> str:
    if event.event_date is None:
        return ""
    d = event.event_date
    if event.time_precision == 3:
        return f"In {_MONTHS[d.month - 1]} {d.year}"
    prefix = "Around" if event.time_precision == 2 else "On"
    return f"{prefix} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def _toll(event: Event) -> str:
    parts = []
    if not event.fatalities_known:
        parts.append("an unknown number were killed")
    elif event.fatalities:
        parts.append(f"{event.fatalities} killed")
    if event.injured:
        parts.append(f"{event.injured} injured")
    if event.arrested:
        parts.append(f"{event.arrested} arrested")
    if event.abducted:
        parts.append(f"{event.abducted} abducted")
    if not parts:
        return "Fatalities: none reported."
    return f"Casualties: {', '.join(parts)}."
