"""Assembly: turn each event unit into a draft event, merge drafts that tell the same event.

Type: the unit's highest-priority trigger decides; families are resolved by the actors
("attack" on civilians is Violence against civilians, on an armed group a Battle), and a
weapon word ("طائرات", "قذائف") refines an attack into its remote-violence sub-type.
Date: the unit's own date expression; else the context date moved by a context offset
("بعد يوم من"); else the date the article was last talking about (at first: publication).
Merging (ACLED's granularity): drafts with the same date, event type and actor pair, at the
same place or at places of the same district, are one event; the finest place wins. A later
telling with no place or date of its own continues the event before it (see `_continuation`);
it may make a generic type specific ("هجوم" -> "غارة"), never change a specific one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from datetime import date, timedelta

from rasd.doc import Doc, Mention, within
from rasd.kb import lexicon
from rasd.kb.gazetteer import FEATURE_RANK, anaphoric_place_nouns
from rasd.kb.lexicon import EventType, TriggerEntry
from rasd.kb.loader import load_yaml
from rasd.model import Evidence
from rasd.stages.places import PlaceChoice, choose_places
from rasd.stages.roles import Participant, Roles, assign_roles, country_names_in
from rasd.stages.units import Unit

_ARTICLE = "\u0627\u0644"  # al-
_WAW = "\u0648"  # the conjunction "and", glued
_CLITICS = "\u0648\u0628\u0644\u0641"  # و ب ل ف glued before a noun
_REFINABLE = frozenset({"attack", "killing", "Shelling/artillery/missile attack"})
_ARMED = frozenset({1, 2, 3, 4, 8})
_GENERIC_FAMILIES = frozenset({"attack", "killing", "protest"})
_CHEMICAL = "Chemical weapon"
_VIOLENT_GENERIC = frozenset({"attack", "killing"})
# Families whose definite nouns ("الهجوم", "المعارك") refer to fighting already told or known:
# alone (no date, no toll) they never start an event of their own.
_BACK_REFERRING = frozenset({"attack", "Armed clash"})
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_SPECIFIC = 4  # trigger priority of words that name an event's kind (a clash, a strike, a capture)


@dataclass(slots=True)
class Casualties:
    killed: int = 0
    killed_known: bool = True
    injured: int | None = None
    arrested: int | None = None
    abducted: int | None = None
    evidence: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Draft:
    """An event before it becomes a record; offsets are into the folded text."""

    kind: EventType
    trigger: Mention
    roles: Roles
    place: PlaceChoice | None
    day: date | None
    time_precision: int
    date_span: tuple[int, int] | None
    casualties: Casualties
    civilian_targeting: bool
    definite: bool = False  # every trigger carries the article: "الهجوم" refers to a known event
    pointed: bool = False  # a demonstrative before the trigger: "هذه المعركة" is an event already told
    specific: bool = False  # the type comes from a specific word or a weapon, not "هجوم"/"مقتل"
    opener: bool = False  # the unit opened with "فيما"/"كما": the writer announces another event
    another: bool = False  # "غارة أخرى": the writer says this is not the event told before
    armed_victims: bool = False  # those hit were fighters or a military site ("مقتل 26 مسلحا")
    drone: bool = False  # a drone, not a manned aircraft, struck
    ongoing: bool = False  # told as a campaign going on, with no day of its own
    place_told: bool = False  # the unit names a place, known or not ("في بلدة غضم", "في سوريا")
    evidence: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass(slots=True)
class DateContext:
    day: date | None
    precision: int = 1


def draft_events(doc: Doc, units: list[Unit]) -> list[Draft]:
    """One draft per unit that holds a trigger (one per listed place), then merged (see the
    module docstring)."""
    context = DateContext(doc.article.published)
    drafts: list[Draft] = []
    sentence_place: tuple[int, PlaceChoice] | None = None  # (sentence start, its last place)
    for unit in units:
        places = choose_places(doc, unit.start, unit.end)
        if places:
            sentence_place = (unit.sentence.start, places[0])
        elif unit.opener and sentence_place is not None and sentence_place[0] == unit.sentence.start:
            places = [sentence_place[1]]  # "..., في حين اندلعت اشتباكات": where the sentence is
        draft = _draft(doc, unit, context, places[0] if places else None)
        if draft is None:
            continue
        _merge_into(drafts, draft)
        drafts.extend(_at_another_place(draft, place) for place in places[1:])
    return drafts


def _at_another_place(draft: Draft, place: PlaceChoice) -> Draft:
    """The same event at the next place of a list: ACLED's one event per place."""
    return replace(draft, place=place, roles=Roles(draft.roles.actor1, draft.roles.actor2),
                   casualties=Casualties(killed=0, killed_known=not _has_toll(draft.casualties)),
                   evidence=list(draft.evidence), another=True)


def _has_toll(casualties: Casualties) -> bool:
    return casualties.killed > 0 or not casualties.killed_known


def _draft(doc: Doc, unit: Unit, context: DateContext, place: PlaceChoice | None) -> Draft | None:
    triggers = [t for part in unit.parts for t in within(doc.triggers, part.start, part.end)]
    if not triggers:
        return None
    # the highest priority decides (the first on a tie); among words of its family a word without
    # the article tells the event itself ("خرج الآلاف في مظاهرة"), one with it a known one
    # ("موجة الاحتجاجات")
    first = max(triggers, key=lambda t: t.value.priority)
    kin = [t for t in triggers if t.value == first.value]
    trigger = next((t for t in kin if not doc.text.startswith(_ARTICLE, t.start)), first)
    told = [t for t in triggers if t.value.priority >= _SPECIFIC and not doc.text.startswith(_ARTICLE, t.start)
            and not lexicon.ends_with_cue_word(doc.text[max(0, t.start - 12):t.start], "time_anchor_before")]
    # ("بعد اعتراض طائرة" names a time, not the clause's event)
    if doc.text.startswith(_ARTICLE, trigger.start) and told:
        # "وتزامنت الغارات مع مواجهات بين ...": the definite word points back at an event told
        # before; the indefinite one tells this clause's own event
        trigger = max(told, key=lambda t: t.value.priority)
    roles = assign_roles(doc, unit.start, unit.end)
    casualties = _casualties(doc, unit)
    kind = _event_type(doc, unit, trigger, roles, casualties)
    day, precision, span = _date(doc, unit, context, trigger)
    definite = all(doc.text.startswith(_ARTICLE, t.start) for t in triggers)
    specific = trigger.value.family not in _GENERIC_FAMILIES or kind.event_type == "Explosions/Remote violence"
    return Draft(kind, trigger, roles, place, day, precision, span,
                 casualties, _targets_civilians(roles, kind), definite=definite, specific=specific,
                 pointed=definite and _after_demonstrative(doc, trigger),
                 opener=unit.opener, another=unit.another, armed_victims=_armed_target(doc, unit, roles),
                 drone=_names_drone(doc, unit), ongoing=unit.ongoing,
                 place_told=place is not None or _names_a_place(doc, unit))


def _names_a_place(doc: Doc, unit: Unit) -> bool:
    """Does the unit say where, even where the gazetteer cannot: a place noun ("في بلدة غضم",
    "جبهة", "جنوب البلاد"), the countryside, a country, or a gazetteer name it did not choose?"""
    if within(doc.places, unit.start, unit.end):
        return True
    nouns = _place_words()
    for word in doc.text[unit.start:unit.end].replace("\u060c", " ").split():
        if word in nouns or (len(word) > 3 and word[0] in _CLITICS and word[1:] in nouns):
            return True
    return bool(country_names_in(doc.text, unit.start, unit.end))


@cache
def _place_words() -> frozenset[str]:
    return lexicon.cue_set("place_nouns") | lexicon.cue_set("countryside") | anaphoric_place_nouns()


def _targets_civilians(roles: Roles, kind: EventType) -> bool:
    """ACLED's civilian_targeting: civilians are the one-sided target of violence."""
    one_sided = kind.event_type in ("Violence against civilians", "Explosions/Remote violence")
    return one_sided and roles.actor2 is not None and roles.actor2.inter == 7


def _event_type(doc: Doc, unit: Unit, trigger: Mention, roles: Roles, casualties: Casualties) -> EventType:
    types = lexicon.event_types()
    family = trigger.value.family
    if family in _REFINABLE:
        mode = _weapon(doc, unit)
        if mode is not None:
            return types[mode]
    if family == "attack" and (roles.actor1 is not None and roles.actor1.inter in lexicon.CROWD_INTERS
                               or _crowd_after(doc, trigger)):
        return types["Violent demonstration"]  # "اقتحم مئات المحتجين المطار": demonstrators attack
    crowd_side = any(p is not None and p.inter in lexicon.CROWD_INTERS for p in (roles.actor1, roles.actor2))
    if family == "Armed clash" and crowd_side:
        return types["Violent demonstration"]  # "مواجهات بين متظاهرين والشرطة": crowds are no armed side
    if family == "attack" and _strikes_from_the_air(doc, roles):
        return types["Air/drone strike"]  # "استهدفت طائرات التحالف ..., كما استهدفت معاقل ..."
    if family in ("attack", "killing"):
        return types[_assault_type(roles, _armed_target(doc, unit, roles), casualties)]
    if family == "protest":
        return types[_protest_type(doc, unit, casualties)]
    return _by_actor(family, roles) or types[family]


_CROWD_REACH = 3  # words after the verb where "مئات العراقيين" may stand


def _crowd_after(doc: Doc, trigger: Mention) -> bool:
    """"اقتحم مئات العراقيين مطار النجف": a crowd (a large number of people, not of fighters)
    as the subject of a storming is a riot, not an armed attack."""
    words = doc.text[trigger.end:trigger.end + 60].split()[:_CROWD_REACH]
    sizes, people = lexicon.cue_set("crowd_sizes"), lexicon.cue_set("crowd_people")
    return any(a in sizes and b in people for a, b in zip(words, words[1:]))


def _strikes_from_the_air(doc: Doc, roles: Roles) -> bool:
    """An attack by a force that fights in the article's country only from the air
    (event_types.yml `strikes_from_the_air`: the Saudi-led coalition in Yemen, Israel in Syria)."""
    if roles.actor1 is None or doc.country is None:
        return False
    table = load_yaml("event_types.yml")["default_actors"].get("strikes_from_the_air") or {}
    return doc.country in (table.get(roles.actor1.entry.actor.id) or ())


def _by_actor(family: str, roles: Roles) -> EventType | None:
    """Types decided by who acted: territory taken by the state or not, detention by the state
    (an arrest) or by others (an abduction)."""
    types = lexicon.event_types()
    if family == "takeover":
        state = roles.actor1 is not None and roles.actor1.inter == 1
        return types["Government regains territory" if state else "Non-state actor overtakes territory"]
    if family == "detention":
        state = roles.actor1 is not None and roles.actor1.inter in (1, 8)
        return types["Arrests" if state else "Abduction/forced disappearance"]
    return None


def _weapon(doc: Doc, unit: Unit) -> str | None:
    """The weapon that types an attack: a chemical agent wherever it is named in the clause
    ("قصفت الطائرات ... بغاز الكلور"), else the first weapon named."""
    modes = [m.value for m in within(doc.modes, unit.start, unit.end)]
    if _CHEMICAL in modes:
        return _CHEMICAL
    return modes[0] if modes else None


def _names_drone(doc: Doc, unit: Unit) -> bool:
    window = doc.text[unit.start:unit.end]
    return any(form in window for form in lexicon.cue_forms("drone"))


def _assault_type(roles: Roles, armed_target: bool, casualties: Casualties) -> str:
    """Civilians or protesters on either side: an attack on civilians. Otherwise a battle,
    unless only one side is armed and named and the people it hurt were not fighters."""
    inters = {p.inter for p in (roles.actor1, roles.actor2) if p is not None}
    if 7 in inters or 6 in inters:
        return "Attack"
    hurt = casualties.killed or not casualties.killed_known or casualties.injured
    if roles.actor2 is None and hurt and not armed_target:
        return "Attack"
    return "Armed clash"


def _without_actors(doc: Doc, unit: Unit) -> str:
    """The unit's text with actor names blanked ("مسلحين مجهولين" names the attacker)."""
    chars = list(doc.text[unit.start:unit.end])
    for mention in within(doc.actors, unit.start, unit.end):
        chars[mention.start - unit.start:mention.end - unit.start] = " " * (mention.end - mention.start)
    return "".join(chars)


def _armed_target(doc: Doc, unit: Unit, roles: Roles) -> bool:
    """Does the unit name fighters or a military site among those attacked?"""
    if roles.actor2 is not None:
        return roles.actor2.inter != 7
    window = _without_actors(doc, unit)
    words = set(window.replace("\u060c", " ").split())
    forms = lexicon.cue_forms("military_victims")
    return any(f in words or (" " in f and f in window) for f in forms)


def _protest_type(doc: Doc, unit: Unit, casualties: Casualties) -> str:
    window = doc.text[unit.start:unit.end]
    if _rioting(set(window.replace("\u060c", " ").split())):
        return "Violent demonstration"
    killing = any(t.value.family == "killing" for t in within(doc.triggers, unit.start, unit.end))
    if killing or casualties.killed or not casualties.killed_known or any(f in window for f in lexicon.cue_forms("protest_lethal", file="triggers.yml")):
        return "Excessive force against protesters"
    if any(f in window for f in lexicon.cue_forms("protest_intervention", file="triggers.yml")):
        return "Protest with intervention"
    return "Peaceful protest"


def _rioting(words: set[str]) -> bool:
    """A violent act in the clause, as a word or after a glued "و"."""
    acts = lexicon.cue_set("protest_violent", file="triggers.yml")
    return any(w in acts or (w[:1] == _WAW and w[1:] in acts) for w in words)


def _date(doc: Doc, unit: Unit, context: DateContext,
          trigger: Mention | None = None) -> tuple[date | None, int, tuple[int, int] | None]:
    own = [d for d in within(doc.dates, unit.start, unit.end)
           if d.kind not in ("background", "context_offset") and d.value is not None]
    if own:
        # several dates in one unit: the one nearest the trigger dates the event ("من حيث انطلقت
        # الاحتجاجات في 8 تموز، خرج الآلاف الجمعة في مظاهرة": Friday)
        mention = min(own, key=lambda d: abs(d.start - trigger.start)) if trigger is not None else own[0]
        context.day, context.precision = mention.value, mention.precision
        return mention.value, mention.precision, (mention.start, mention.end)
    if unit.context_offset is not None and context.day is not None:
        offset = next(d for d in doc.dates if d.kind == "context_offset" and d.start == unit.start)
        day = context.day + timedelta(days=unit.context_offset)
        return day, context.precision, (offset.start, offset.end)
    return context.day, context.precision, None


def _casualties(doc: Doc, unit: Unit) -> Casualties:
    result = Casualties()
    counts = [c for part in unit.parts for c in within(doc.casualties, part.start, part.end)]
    killed_numbers = [c.value for c in counts if c.kind == "killed" and c.value is not None]
    result.killed = sum(killed_numbers)
    result.killed_known = bool(killed_numbers) or not any(c.kind == "killed" for c in counts)
    if not any(c.kind == "killed" for c in counts):
        one = _killing_of_one(doc, unit)
        if one is not None:
            result.killed = 1
            result.evidence.append(("fatalities", one.start, one.end))
    for kind in ("injured", "arrested", "abducted"):
        values = [c.value for c in counts if c.kind == kind and c.value is not None]
        if values:
            setattr(result, kind, sum(values))
    for count in counts:
        field_name = "fatalities" if count.kind == "killed" else count.kind
        span = (count.quantity.start, count.quantity.end) if count.quantity else (count.start, count.end)
        result.evidence.append((field_name, *span))
    return result


def _killing_of_one(doc: Doc, unit: Unit) -> Mention | None:
    """An assassination trigger ("اغتال", "اغتيل") in a unit that counts no dead: one was killed."""
    words = lexicon.cue_set("killing_of_one")
    return next((t for part in unit.parts for t in within(doc.triggers, part.start, part.end)
                 if doc.text[t.start:t.end] in words), None)


def _after_demonstrative(doc: Doc, trigger: Mention) -> bool:
    words = doc.text[max(0, trigger.start - 12):trigger.start].split()
    return bool(words) and words[-1] in lexicon.cue_set("demonstratives")


def _merge_into(drafts: list[Draft], new: Draft) -> None:
    if new.pointed:
        if drafts:
            _fill_gaps(drafts[-1], new)
        return  # "وهذه المعركة تعد الأولى من نوعها": the event just told, again
    if new.another:
        drafts.append(new)
        return
    if drafts and _dates_the_last(drafts[-1], new):
        last = drafts[-1]
        last.day, last.time_precision, last.date_span = new.day, new.time_precision, new.date_span
        _fill_gaps(last, new)
        return
    for old in drafts:
        if _same_event(old, new):
            _absorb(old, new)
            return
    if drafts and _continuation(drafts[-1], new):
        _absorb(drafts[-1], new)
        return
    if drafts and new.definite and new.date_span is None and _places_compatible(drafts[-1].place, new.place):
        _fill_gaps(drafts[-1], new)
        return
    if new.definite and new.trigger.value.family in _BACK_REFERRING and new.date_span is None \
            and not _has_toll(new.casualties) and not (new.place is not None and len(_named(new)) == 2):
        return  # "الهجوم", "المواجهات" with no date, toll, or both sides at a place point back
    if new.ongoing and new.place is None and new.kind.event_type not in ("Protests", "Riots"):
        return  # a campaign said to go on, told of no day or place: no event of its own (ACLED
        # codes each day of a protest movement, so protests that go on are still events)
    drafts.append(new)


def _dates_the_last(last: Draft, new: Draft) -> bool:
    """"واندلعت الاشتباكات الإثنين": a definite mention with a date of its own, naming no new
    armed actor, dates the event just told when that event had only the article's date or a
    vaguer one ("هذا الأسبوع")."""
    if new.date_span is None or not new.definite:
        return False
    if last.date_span is not None and last.time_precision <= new.time_precision:
        return False  # the event has a date as fine as this one already
    if new.kind.event_type != last.kind.event_type:
        return False
    known = _actor_ids(last)
    named = {p.entry.actor.id for p in _named(new)}
    same_place = new.place is None or last.place is None or new.place.place.id == last.place.place.id
    return named <= known and same_place


def _fill_gaps(old: Draft, new: Draft) -> None:
    """"الهجوم"/"الغارة" with no date of its own refers back to the event just told: it may add
    a toll or a place that event lacked, never new actors."""
    if old.place is None:
        old.place = new.place
    old.place_told = old.place_told or new.place_told
    old.casualties = _conservative(old.casualties, new.casualties)


def _continuation(last: Draft, new: Draft) -> bool:
    """A unit with no place and no date of its own ("وأسفر القصف عن مقتل خمسة مدنيين",
    "وأعلنت الجماعة مسؤوليتها عن الهجوم") goes on telling the event before it, unless it is
    another kind of event by an armed actor the first did not name ("وقتلت قوات الأمن أحدهم")."""
    if new.place is not None or new.date_span is not None:
        return False
    if new.opener and new.specific and new.kind.event_type != last.kind.event_type:
        return False  # "في حين دمرت مقاتلات التحالف ...": another kind of event, announced as such
    named = {p.entry.actor.id for p in _named(new)}
    if not named:
        return True
    if new.definite and _agents_only(new):
        return True  # "وأعلن التنظيم مسؤوليته عن الهجوم": who carried out the event just told
    if new.opener:
        return False
    return new.kind.event_type == last.kind.event_type or (named <= _actor_ids(last) and not new.specific)


def _named(draft: Draft) -> list[Participant]:
    """The draft's actors that are named groups, not generic ones ("مسلحون", "مدنيون")."""
    return [p for p in (draft.roles.actor1, draft.roles.actor2) if p is not None and not p.entry.generic]


def _agents_only(draft: Draft) -> bool:
    return all(p.role == "agent" for p in _named(draft))


def _active_only(roles: Roles) -> Roles:
    """A continuation adds only actors it shows acting or acted upon: "توجهت سيارات الشرطة إلى
    الموقع" names responders, not a side of the event."""
    kept = [p for p in (roles.actor1, roles.actor2) if p is not None and (p.role != "neutral" or p.inter == 7)]
    return Roles(*(kept + [None, None])[:2])


def _same_event(a: Draft, b: Draft) -> bool:
    """ACLED's granularity: one event per day, place, actor pair and type."""
    if a.day == b.day and _launch_and_interception(a, b):
        return True
    if a.day != b.day or not _places_compatible(a.place, b.place):
        return False
    if a.kind.event_type != b.kind.event_type and not _one_is_a_vague_telling(a, b):
        return False
    if _roles_reversed(a, b):
        return False
    ids_a, ids_b = _sides(a), _sides(b)
    return ids_a <= ids_b or ids_b <= ids_a


def _launch_and_interception(a: Draft, b: Draft) -> bool:
    """"رصدت الدفاعات إطلاق صاروخ باليستي من قبل الحوثيين ... وتم اعتراضه": the launch of a
    weapon that was stopped is the interception's own event (ACLED codes it once, as
    Disrupted weapons use), wherever the launch itself is placed."""
    launch, stop = _split_launch(a, b)
    if launch is None or stop is None:
        return False
    if launch.place is not None and not launch.place.origin and not _places_compatible(launch.place, stop.place):
        return False  # "أطلقوا صاروخا على مأرب": a launch that struck elsewhere is its own event
    launcher = launch.roles.actor1.entry.actor.id if launch.roles.actor1 is not None else None
    target = stop.roles.actor2.entry.actor.id if stop.roles.actor2 is not None else None
    return launcher is None or target is None or launcher == target


def _split_launch(a: Draft, b: Draft) -> tuple[Draft | None, Draft | None]:
    kinds = {d.kind.sub_event_type: d for d in (a, b)}
    return kinds.get("Shelling/artillery/missile attack"), kinds.get("Disrupted weapons use")


def _roles_reversed(a: Draft, b: Draft) -> bool:
    """"قصفت طائرات التحالف مواقع الحوثيين" and "واستهدف الحوثيون الأحياء": the side hit in one
    telling acts in the other, so they are two events, not one told twice."""
    def flipped(x: Draft, y: Draft) -> bool:
        return (x.roles.actor2 is not None and y.roles.actor1 is not None
                and x.roles.actor2.entry.actor.id == y.roles.actor1.entry.actor.id
                and (x.roles.actor1 is None or x.roles.actor1.entry.actor.id != y.roles.actor1.entry.actor.id)
                and y.roles.actor1.role == "agent")
    return flipped(a, b) or flipped(b, a)


def _one_is_a_vague_telling(a: Draft, b: Draft) -> bool:
    """"الضربة التي استهدفت المطار" beside "الضربة العسكرية": an attack or a death told without
    a type of its own is the violent event of the same day and place, whatever its default type."""
    vague = [d for d in (a, b) if not d.specific and d.trigger.value.family in _VIOLENT_GENERIC]
    seizures = any(d.trigger.value.family == "detention" for d in (a, b))  # an abduction is no attack's detail
    return len(vague) == 1 and not seizures and all(d.kind.event_type in _VIOLENT_TYPES for d in (a, b))


def _places_compatible(a: PlaceChoice | None, b: PlaceChoice | None) -> bool:
    """The same place, places of one district, or a place and the province or country it is in."""
    if a is None or b is None:
        return True
    pa, pb = a.place, b.place
    if pa.id == pb.id:
        return True
    if pa.country != pb.country:
        return False
    if pa.admin2 is not None and pa.admin2 == pb.admin2:
        return True
    coarse = {"admin1", "country", "region"}
    return (pa.feature in coarse or pb.feature in coarse) and (
        pa.feature == "country" or pb.feature == "country" or pa.admin1 == pb.admin1)


def _sides(draft: Draft) -> frozenset[str]:
    """The draft's sides, a unit counted as the force it belongs to ("سلاح الجو السوري" is the
    Syrian military's side): two tellings naming a unit and its army are one event."""
    return frozenset(p.entry.actor.affiliation or p.entry.actor.id
                     for p in (draft.roles.actor1, draft.roles.actor2) if p is not None)


def _actor_ids(draft: Draft) -> frozenset[str]:
    return frozenset(p.entry.actor.id for p in (draft.roles.actor1, draft.roles.actor2) if p is not None)


def _absorb(old: Draft, new: Draft) -> None:
    """Fold a second report of the same event into the first. A report without a place is a
    later word on the event: only actors it shows acting or acted upon join it."""
    launch, stop = _split_launch(old, new)
    if launch is not None and stop is not None:
        _absorb_launch(old, launch, stop)
        return
    if new.place is None:
        new.roles = _active_only(new.roles)
    if new.place is not None and (old.place is None or _finer(new.place, old.place)):
        old.place = new.place
    old.roles = _union_roles(old.roles, new.roles)
    if _refines(old, new):
        old.kind, old.trigger, old.specific = new.kind, new.trigger, new.specific
    old.kind = _by_actor(old.trigger.value.family, old.roles) or old.kind
    old.armed_victims = old.armed_victims or new.armed_victims
    old.drone = old.drone or new.drone
    old.casualties = _conservative(old.casualties, new.casualties)
    old.civilian_targeting = _targets_civilians(old.roles, old.kind)
    old.date_span = old.date_span or new.date_span
    old.place_told = old.place_told or new.place_told
    old.evidence.append(("trigger", new.trigger.start, new.trigger.end))


def _absorb_launch(old: Draft, launch: Draft, stop: Draft) -> None:
    """The interception tells the event: its stopper acts, the launcher is the side stopped,
    its place is where the weapon was stopped (else the launch's)."""
    launcher = launch.roles.actor1
    old.kind, old.trigger, old.specific = stop.kind, stop.trigger, stop.specific
    old.roles = Roles(stop.roles.actor1, stop.roles.actor2 or launcher)
    launched_from = launch.place if launch.place is not None and not launch.place.origin else None
    old.place = stop.place or launched_from  # never where the weapon came from
    other = launch if old is stop else stop
    old.casualties = _conservative(old.casualties, other.casualties)
    old.civilian_targeting = False
    old.date_span = old.date_span or launch.date_span or stop.date_span
    old.evidence.append(("trigger", launch.trigger.start, launch.trigger.end))
    old.evidence.append(("trigger", stop.trigger.start, stop.trigger.end))


def _refines(old: Draft, new: Draft) -> bool:
    """A second telling makes the type more specific ("هجوم" -> "غارة") only when the first was
    told with a generic word; "اشتباكات" stays a clash whatever weapons are listed after it."""
    if new.kind.sub_event_type == old.kind.sub_event_type or old.specific:
        return False
    return new.specific or new.trigger.value.priority > old.trigger.value.priority


def _finer(a: PlaceChoice, b: PlaceChoice) -> bool:
    return FEATURE_RANK.get(a.place.feature, 5) < FEATURE_RANK.get(b.place.feature, 5)


def _union_roles(a: Roles, b: Roles) -> Roles:
    """Roles of one event told twice: keep the first telling's, fill its gaps from the second."""
    present = {p.entry.actor.id for p in (a.actor1, a.actor2) if p is not None}
    spare = [p for p in (b.actor1, b.actor2) if p is not None and p.entry.actor.id not in present]
    actor1, actor2 = a.actor1, a.actor2
    if actor1 is not None and actor1.role == "target" and actor2 is None and spare and spare[0].role == "agent":
        actor1, actor2 = spare.pop(0), actor1  # the later telling names who acted ("أعلن X مسؤوليته")
    actor1 = actor1 or (spare.pop(0) if spare else None)
    actor2 = actor2 or (spare.pop(0) if spare else None)
    if actor1 is not None and actor1.inter == 7 and (actor2 is None or actor2.inter == 7):
        actor1, actor2 = None, actor2 or actor1  # civilians are never the side that acts
    if actor1 is not None and actor2 is not None and actor1.inter == 7 and actor2.inter != 7:
        actor1, actor2 = actor2, actor1
    for target, other in ((actor1, b.actor1), (actor2, b.actor2), (actor1, b.actor2), (actor2, b.actor1)):
        if target is not None and other is not None and target.entry.actor.id == other.entry.actor.id:
            _add_associates(target, other.associates)
    return Roles(actor1, actor2)


def _add_associates(target: Participant, extra: list[Participant]) -> None:
    known = {p.entry.actor.id for p in target.associates}
    for participant in extra:
        if participant.entry.actor.id not in known:
            target.associates.append(participant)
            known.add(participant.entry.actor.id)


def _conservative(a: Casualties, b: Casualties) -> Casualties:
    """Two reports of one event: keep the lower known death toll (ACLED), the spread in evidence."""
    merged = Casualties(evidence=a.evidence + b.evidence)
    known = [c.killed for c in (a, b) if c.killed_known and c.killed]
    merged.killed = min(known) if known else 0
    merged.killed_known = bool(known) or (a.killed_known and b.killed_known)
    for kind in ("injured", "arrested", "abducted"):
        values = [getattr(c, kind) for c in (a, b) if getattr(c, kind) is not None]
        setattr(merged, kind, min(values) if values else None)
    return merged


def to_evidence(doc: Doc, items: list[tuple[str, int, int]]) -> list[Evidence]:
    """Evidence records (original offsets), without duplicates, in text order."""
    unique = sorted(set(items), key=lambda item: (item[1], item[2], item[0]))
    return [doc.evidence(name, start, end) for name, start, end in unique]
