"""Roles: which actors of a unit take part, who acts, who is acted upon, who stands beside whom.

Rules, in order:
- an actor inside parentheses describes another one ("(ميليشيا أفغانية يدعمها الحرس الثوري)");
  an actor after a non-participant cue ("مناطق سيطرة", "التابعة لـ") only locates or qualifies;
  one after a backing cue ("المدعومة من", "بإسناد من") backs the actor before it, as its associate;
  an actor right after a speech verb ("قالت الشرطة") is quoted as a source, unless it tells what
  it did itself ("قال الجيش التركي إن طائراته قصفت"); none of these takes part;
- an actor right after a trigger ("شن تنظيم الدولة", "بهجوم لـ تنظيم الدولة") or after an
  agent cue ("بنيران", "على يد", "طائرات") acts; one after a target cue ("على مواقع", "ضد",
  "من عناصر"), or owning a military site a few words before ("مستودعات أسلحة لحزب الله"), is
  acted upon;
- an actor joined to the previous one by "و" (with at most descriptor words such as
  "ميليشيا" between) is associated with it;
- actor 1 is the first actor that acts, else the first named; actor 2 the next one named that
  is not its ally (an ally becomes its associate); civilians are never actor 1 (named alone,
  they are actor 2 and the attacker is unknown), nor is a side named only as the one attacked
  ("قتل ضابط في الشرطة");
- with no actor 1, a country named as the attack's subject ("أطلقت إسرائيل صاروخا") or by the
  adjective of a weapon or force ("صاروخين إسرائيليين", "القوات الجوية العراقية") gives its
  armed forces; with no actor 2, a site named by a country's adjective ("موقعا سوريا") or a
  weapon shot down ("أسقطت طائرة سورية") gives that country's forces as the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Callable

from rasd.doc import Doc, Mention, within
from rasd.kb import lexicon
from rasd.kb.gazetteer import load_countries, name_core
from rasd.kb.lexicon import ActorEntry
from rasd.kb.loader import load_yaml
from rasd.text.normalize import fold

_DISRUPTED = "Disrupted weapons use"  # the trigger family of interceptions and shoot-downs
_WAW = "\u0648"  # the conjunction "and"
_LI = "\u0644"  # the preposition li- and the article's lam
_WORD = re.compile(r"\w+")
_ADJECTIVE_ENDINGS = ("", "\u0627\u0646", "\u064a\u0646", "\u0627")  # dual, oblique plural, accusative


@dataclass(slots=True)
class Participant:
    entry: ActorEntry
    mention: Mention
    role: str  # "agent" | "target" | "neutral"
    associates: list[Participant] = field(default_factory=list)

    @property
    def inter(self) -> int:
        return self.entry.actor.inter


@dataclass(slots=True)
class Roles:
    actor1: Participant | None
    actor2: Participant | None


def assign_roles(doc: Doc, start: int, end: int) -> Roles:
    """The main actor pair of the text [start, end), with associates attached."""
    participants = _participants(doc, start, end)
    if participants and _claims(doc, start, end):
        participants[0].role = "agent"  # "أعلنت X مسؤوليتها عن الهجوم": the claimant acted
    ordered = sorted(participants, key=lambda p: (p.role != "agent", p.mention.start))
    actor1 = ordered[0] if ordered else None
    actor2 = None
    for other in ordered[1:]:
        if actor1 is None or other.entry.actor.id == actor1.entry.actor.id:
            continue
        if allied(actor1.entry, other.entry) and actor1.inter != 7:
            actor1.associates.append(other)  # "ألوية العمالقة والمقاومة الوطنية": one side
            continue
        actor2 = other
        break
    if actor1 and actor2 and actor1.inter == 7 and actor2.inter != 7:
        actor1, actor2 = actor2, actor1
    if actor1 and actor2 is None and (actor1.inter == 7 or actor1.role == "target"):
        actor1, actor2 = None, actor1  # civilians alone, or a side only attacked, are acted upon
    if actor1 is None:
        actor1 = _country_agent(doc, start, end)
    weapon_owner = _national_weapon(doc, start, end) if actor1 is None or actor2 is None else None
    if weapon_owner is not None and actor1 is None and weapon_owner.role == "agent":
        actor1 = weapon_owner
    elif weapon_owner is not None and actor2 is None and weapon_owner.role == "target" and (
            actor1 is None or actor1.entry.actor.id != weapon_owner.entry.actor.id):
        actor2 = weapon_owner
    if actor1 is None or actor2 is None:
        actor1, actor2 = _with_national_soldiers(doc, start, end, actor1, actor2)
    if actor2 is None:
        site_owner = _national_site(doc, start, end)
        if site_owner is not None and (actor1 is None or site_owner.entry.actor.id != actor1.entry.actor.id):
            actor2 = site_owner
    return Roles(actor1, actor2)


def allied(a: ActorEntry, b: ActorEntry) -> bool:
    """Two actors on one side: state forces of one country (unless `rivals`), or one group of
    `allies` (event_types.yml `default_actors`)."""
    if any(a.actor.id in group and b.actor.id in group for group in _groups("rivals")):
        return False
    if a.actor.country is not None and a.actor.country == b.actor.country and a.actor.inter == b.actor.inter == 1:
        return True
    return any(a.actor.id in group and b.actor.id in group for group in _groups("allies"))


@cache
def _groups(key: str) -> tuple[frozenset[str], ...]:
    groups = load_yaml("event_types.yml")["default_actors"].get(key) or []
    return tuple(frozenset(g) for g in groups)


def _with_national_soldiers(doc: Doc, start: int, end: int, actor1: Participant | None,
                            actor2: Participant | None) -> tuple[Participant | None, Participant | None]:
    """Fill the side left open with soldiers named by their country ("جنديان عراقيان")."""
    soldiers = _national_soldiers(doc, start, end)
    present = {p.entry.actor.id for p in (actor1, actor2) if p is not None}
    if soldiers is None or soldiers.entry.actor.id in present:
        return actor1, actor2
    if soldiers.role == "target" and actor2 is None:
        return actor1, soldiers
    if soldiers.role == "agent" and actor1 is None:
        return soldiers, actor2
    return actor1, actor2


def _national_soldiers(doc: Doc, start: int, end: int) -> Participant | None:
    """"قتل جنديان عراقيان", "مقتل ثلاثة جنود أتراك": soldiers named by a country's adjective
    are its armed forces; counted among the dead, hurt or held they were acted upon."""
    triggers = within(doc.triggers, start, end)

    def role(noun_start: int) -> str:
        probe = Mention("actor", noun_start, noun_start + 1, None)
        if _counted_among_victims(doc, probe, start, end):
            return "target"
        return "agent" if _role(doc.text, probe, triggers) == "agent" else "target"
    return _national_force(doc, start, end, "soldier_nouns", role)


def _national_site(doc: Doc, start: int, end: int) -> Participant | None:
    """"استهدف موقعا سوريا", "مواقع عسكرية إيرانية": a military site named by a country's
    adjective was that country's armed forces' (their main ACLED actor on the article's date)."""
    return _national_force(doc, start, end, "military_sites", lambda _: "target")


def _country_agent(doc: Doc, start: int, end: int) -> Participant | None:
    """"أطلقت إسرائيل صاروخا", "شنت إسرائيل غارات", "إن إسرائيل استهدفت", "قالت إسرائيل إنها
    أسقطت": a country named as the subject of the attack stands for its armed forces."""
    triggers = within(doc.triggers, start, end)
    if not triggers:
        return None
    openers = lexicon.cue_set("country_subject_before")
    for name_start, name_end, country in country_names_in(doc.text, start, end):
        before = doc.text[max(start, name_start - 24):name_start].split()
        after = doc.text[name_end:end].split()[:3]  # "قالت إسرائيل اليوم إنها"
        right_after_trigger = any(0 <= name_start - t.end <= 1 for t in triggers)
        trigger_follows = any(0 <= t.start - name_end <= 12 for t in triggers)
        pronoun_then_trigger = any(w in lexicon.cue_set("subject_pronouns") for w in after) and any(
            0 <= t.start - name_end <= 30 for t in triggers)
        if right_after_trigger or pronoun_then_trigger or (trigger_follows and before and before[-1] in openers):
            entry = lexicon.actors().national_military(country, doc.article.published)
            if entry is not None:
                return Participant(entry, Mention("actor", name_start, name_end, entry), "agent")
    return None


def country_names_in(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Where country names (countries.yml, outside powers too) stand as whole words in [start, end)."""
    pattern, countries = _country_pattern()
    return [(m.start(1), m.end(1), countries[m.group(1)]) for m in pattern.finditer(text, start, end)]


@cache
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regular expression for every country name, longest first, whole words only (a glued
    "و" allowed before), and the folded name -> country table."""
    countries = {fold(n): name for name, names, _ in _powers() for n in names}
    names = sorted(countries, key=len, reverse=True)
    pattern = re.compile(rf"(?:(?<!\w)|(?<=(?<!\w){_WAW}))({'|'.join(map(re.escape, names))})(?!\w)")
    return pattern, countries


def _national_weapon(doc: Doc, start: int, end: int) -> Participant | None:
    """"صاروخين إسرائيليين", "غارات روسية": weapons named by a country's adjective were fired
    by that country's armed forces, unless the adjective says where they were made; weapons
    shot down or intercepted ("أسقطت طائرة مقاتلة سورية") were their owner's, who is the target."""
    def role(noun_start: int) -> str:
        stopped = any(t.value.family == _DISRUPTED and 0 <= noun_start - t.end <= 3 for t in doc.triggers)
        return "target" if stopped or _ends_with(doc.text, noun_start, "target_before", skip="one_of") else "agent"
    return _national_force(doc, start, end, "national_weapons", role)


def _national_force(doc: Doc, start: int, end: int, nouns_group: str,
                    role: Callable[[int], str]) -> Participant | None:
    """The armed forces of the country whose adjective follows one of the nouns of `nouns_group`;
    `role` tells, from where the noun starts, whether they acted or were acted upon."""
    text = doc.text[start:end]
    nouns = lexicon.cue_set(nouns_group)
    if not any(noun in text for noun in nouns):
        return None
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    for i, (noun_start, _, word) in enumerate(words):
        if word not in nouns:
            continue
        following = words[i + 1:i + 5]
        while following and following[0][2] in lexicon.cue_set("military_adjectives"):
            following = following[1:]  # "مواقع عسكرية إيرانية", "القوات الجوية العراقية"
        if not following or (len(following) > 1 and following[1][2] in lexicon.cue_set("made_in")):
            continue
        a, b, adjective = following[0]
        if any(m.start < start + b and start + noun_start < m.end for m in doc.actors):
            continue  # part of a group's own name ("قوات سوريا الديمقراطية")
        country = _adjective_country(adjective)
        if country is None:
            continue
        entry = lexicon.actors().national_military(country, doc.article.published)
        if entry is None:
            return None
        return Participant(entry, Mention("actor", start + a, start + b, entry), role(start + noun_start))
    return None


def _adjective_country(word: str) -> str | None:
    """The country whose adjective `word` is, with or without the accusative alef."""
    table = _adjectives()
    for ending in _ADJECTIVE_ENDINGS:  # "إسرائيليان", "إسرائيليين", "سوريا" -> "إسرائيلي", "سوري"
        stem = word[: len(word) - len(ending)]
        if word.endswith(ending) and stem in table:
            return table[stem]
    return None


@cache
def _powers() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(country, Arabic names, adjectives) of the countries rasd codes and of the outside powers
    fighting there (countries.yml `outside_powers`)."""
    powers = load_yaml("countries.yml").get("outside_powers") or []
    return tuple((c.name, c.names, c.adjectives) for c in load_countries()) + tuple(
        (p["name"], tuple(p.get("names") or []), tuple(p.get("adjectives") or [])) for p in powers)


@cache
def _adjectives() -> dict[str, str]:
    """Folded adjectives -> country name, each also without the article ("الإسرائيلية" ->
    "إسرائيلية") and in its feminine and masculine forms."""
    table: dict[str, str] = {}
    for name, _, adjectives in _powers():
        for adjective in adjectives:
            form = fold(adjective)
            bare = name_core(form)
            masculine = bare[:-1] if bare.endswith("\u0647") else bare  # folded taa marbuta
            for variant in (form, bare, masculine, masculine + "\u0647"):
                table.setdefault(variant, name)
    return table


def _claims(doc: Doc, start: int, end: int) -> bool:
    return any(c.value == "claim" for c in within(doc.cues, start, end))


_MEMBERSHIP_GAP = 28  # characters between "مسلحين" and the group they are said to belong to


def _participants(doc: Doc, start: int, end: int) -> list[Participant]:
    text = doc.text
    triggers = within(doc.triggers, start, end)
    result: list[Participant] = []
    by_id: dict[str, Participant] = {}
    previous: Participant | None = None
    for mention in within(doc.actors, start, end):
        if _in_parentheses(text, start, mention.start):
            continue  # describes another actor
        if _ends_with(text, mention.start, "speech_verbs") and not _tells_own_act(text, mention, end, triggers):
            continue  # quoted as a source
        if _ends_with(text, mention.start, "backers_before"):
            if previous is not None and mention.value.actor.id != previous.entry.actor.id:
                previous.associates.append(Participant(mention.value, mention, previous.role))
            continue  # "القوات المدعومة من التحالف": the backer is not a side
        if previous is not None and previous.entry.generic and _belongs_to(text, previous, mention):
            del by_id[previous.entry.actor.id]
            previous.entry, previous.mention = mention.value, mention  # "مسلحين ينتمون لتنظيم X": X acted
            by_id[previous.entry.actor.id] = previous
            continue
        owned = None
        if _ends_with(text, mention.start, "non_participant_before"):
            owned = _owned_thing(text, start, mention.start)
            if owned is None:
                continue  # "مناطق سيطرة X": X only locates or qualifies
        entry: ActorEntry = mention.value
        if previous is not None and _allied(text, previous, mention):
            if entry.actor.id not in by_id and entry.actor.id != previous.entry.actor.id:
                previous.associates.append(Participant(entry, mention, previous.role))
            continue
        if entry.actor.id in by_id:
            previous = by_id[entry.actor.id]
            if previous.role == "neutral":
                previous.role = _role(text, mention, triggers)
            continue
        role = ("target" if owned == "site" or _counted_among_victims(doc, mention, start, end)
                else "neutral" if owned == "force" else _role(text, mention, triggers))
        participant = Participant(entry, mention, role)
        by_id[entry.actor.id] = participant
        result.append(participant)
        previous = participant
    return result


def _belongs_to(text: str, fighters: Participant, group: Mention) -> bool:
    """"مسلحين ينتمون لتنظيم X", "مسلحون من تنظيم X", "مسلحون يعتقد أنهم من X": the generic
    fighters just named are members of X, so X acted."""
    if group.start - fighters.mention.end > _MEMBERSHIP_GAP:
        return False
    gap = text[fighters.mention.end:group.start].strip(" \u060c,")
    forms = lexicon.cue_set("membership_gap")
    if gap in forms or (gap.endswith(_LI) and gap[:-1] in forms):  # "ينتمون للحوثيين": li- glued to al-
        return True
    return _ends_with(text, group.start, "membership_before") and len(gap.split()) <= 3


def _counted_among_victims(doc: Doc, mention: Mention, start: int, end: int) -> bool:
    """"قتل 4 من عناصر الحشد الشعبي": a side named in a count of the dead, hurt or held was
    acted upon (the count's span reaches into the name or ends right before it)."""
    for count in within(doc.casualties, start, end):
        if count.start <= mention.start < count.end:
            return True
        if 0 <= mention.start - count.end <= 4 and doc.text[count.end:mention.start].strip() in ("", "من"):
            return True
    return False


def _tells_own_act(text: str, mention: Mention, end: int, triggers: list[Mention]) -> bool:
    """"قال الجيش التركي إنه استهدف", "قال الجيش إن ضربة نفذتها طائراته": a force that speaks of
    what it did itself (a pronoun of its own before the attack, or "its aircraft") is its author."""
    if mention.value.actor.inter not in lexicon.ARMED_INTERS:
        return False
    after = text[mention.end:min(end, mention.end + 60)]
    words = after.split()
    own = lexicon.cue_set("own_forces")
    pronoun = any(w in lexicon.cue_set("subject_pronouns") for w in words[:3])
    soon = [t for t in triggers if 0 <= t.start - mention.end <= 60]
    return bool(soon) and (pronoun or any(w in own for w in words))


def _owned_thing(text: str, unit_start: int, position: int) -> str | None:
    """What "التابع لـ X" qualifies, from the nearest noun before it: a force ("القوات التابعة
    للنظام": X is that force's side) -> "force"; a military site or post ("مطار التيفور العسكري
    التابع للنظام": X owns what was hit) -> "site"; anything else -> None (X is not a side)."""
    words = text[max(unit_start, position - 60):position].replace("\u060c", " ").split()[:-1]
    forces, sites = lexicon.cue_set("actor_descriptors"), lexicon.cue_set("military_sites")
    for word in reversed(words[-5:]):
        core = name_core(word)  # without al-
        if word in forces or core in forces:
            return "force"
        if word in sites or core in sites:
            return "site"
    return None


def _role(text: str, mention: Mention, triggers: list[Mention]) -> str:
    if _expelled(text, mention, triggers):
        return "target"
    if _right_after_trigger(text, mention, triggers) or _ends_with(text, mention.start, "agent_before"):
        return "agent"
    if _ends_with(text, mention.start, "target_before") or _site_owner(text, mention.start):
        return "target"
    return "neutral"


def _site_owner(text: str, position: int) -> bool:
    """"مستودعات أسلحة لحزب الله", "مواقع عدة لـ X": X, glued to li- a few words after a
    military site, owns what was hit."""
    before = text[max(0, position - 40):position].rstrip()
    if not before.endswith(_LI):
        return False
    sites = lexicon.cue_set("military_sites")
    words = before[:-1].replace("\u060c", " ").split()[-3:]
    return any(word in sites or name_core(word) in sites for word in words)


def _expelled(text: str, mention: Mention, triggers: list[Mention]) -> bool:
    """"بعد طرد قوات موالية للحكومة": after a time word, a capture is a verbal noun and the
    side named right after it is the one driven out."""
    for trigger in triggers:
        if trigger.end <= mention.start and text[trigger.end:mention.start].strip(" ،,") == "" \
                and getattr(trigger.value, "family", None) == "takeover":
            before = text[max(0, trigger.start - 8):trigger.start]
            return lexicon.ends_with_cue_word(before, "time_anchor_before")
    return False


def _right_after_trigger(text: str, mention: Mention, triggers: list[Mention]) -> bool:
    """True for "شن X" / "هجوم X" / "بهجوم لـ X": a trigger, then only a glued li- or spaces."""
    for trigger in triggers:
        if trigger.end <= mention.start:
            gap = text[trigger.end:mention.start].strip(" \u060c,")
            if gap in ("", "\u0644"):  # nothing, or the glued preposition li-
                return True
    return False


def _ends_with(text: str, position: int, group: str, skip: str | None = None) -> bool:
    """Does the text before `position` end with a cue of `group` (glued or spaced), once the
    words of cue group `skip` ("إحدى") right before `position` are passed over?"""
    before = text[max(0, position - 30):position]
    trimmed = before.rstrip(" \u060c,")
    if skip is not None:
        words = trimmed.split()
        while words and words[-1] in lexicon.cue_set(skip):
            words.pop()
        trimmed = " ".join(words)
    forms = lexicon.cue_forms(group)
    if trimmed.endswith(forms):
        return True
    # "التابع للنظام": li- before the article's lam ("لل") ends a cue written with a glued "لـ"
    return trimmed.endswith(_LI + _LI) and trimmed[:-1].endswith(forms)


def _allied(text: str, previous: Participant, mention: Mention) -> bool:
    """"X و Y" makes Y an associate of X, except in "بين X و Y" (two sides)."""
    if _ends_with(text, previous.mention.start, "between"):
        return False
    return _coordinated(text, previous.mention.end, mention.start)


def _coordinated(text: str, previous_end: int, start: int) -> bool:
    gap = text[previous_end:start].split()
    if not gap or not gap[0].startswith(_WAW):
        return False
    words = [gap[0][1:]] + gap[1:]
    descriptors = lexicon.cue_set("actor_descriptors")
    return all(w in descriptors or w == "" for w in words)


def _in_parentheses(text: str, unit_start: int, position: int) -> bool:
    before = text[unit_start:position]
    return before.count("(") > before.count(")")
