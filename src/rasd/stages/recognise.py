"""Recognition: find triggers, weapon modes, actors, places, cues, dates and casualty counts.

Every finder runs once over the whole folded text with a compiled matcher; the results are
stored on the `Doc` for the assembly stage. Weak names (ordinary words that are also names)
are kept only with the context they need.
"""

from __future__ import annotations

import re

from collections import Counter
from datetime import date

from rasd.doc import Doc, Mention
from rasd.kb import lexicon
from rasd.kb.gazetteer import Gazetteer, anaphoric_place_nouns, is_weak_name, load_gazetteer, place_rank
from rasd.kb.lexicon import TriggerEntry
from rasd.kb.matcher import Hit
from rasd.model import Place
from rasd.stages.dates import find_dates
from rasd.stages.quantities import find_casualties

CUE_GROUPS = (
    "background_sentence", "background_clause", "negation", "threat", "plan", "call",
    "condition", "rumour", "holding", "back_reference", "civilian_objects", "reaction", "claim", "ongoing",
)


def recognise(doc: Doc) -> Doc:
    """Fill every mention list of `doc` (see the module docstring)."""
    text = doc.text
    gazetteer = load_gazetteer()
    doc.triggers = [Mention("trigger", h.start, h.end, h.value) for h in lexicon.triggers().find(text)
                    if not (_negated(text, h.start) or _heard(text, h.start) or _anchored(text, h.start, h.value) or _cared_for(text, h.start, h.value) or _described_place(text, h.start, h.value) or _verbal_attack(text, h.start, h.end) or _purpose(text, h.start, h.value)
                            or _unreported(text, h.start, h.value))]
    doc.modes = [Mention("mode", h.start, h.end, h.value) for h in lexicon.modes().find(text)]
    doc.triggers = sorted(doc.triggers + _launched(text, doc.modes, doc.triggers) + _split_phrases(text, doc.triggers),
                          key=lambda m: m.start)
    doc.cues = [Mention("cue", h.start, h.end, h.value) for h in lexicon.cue_matcher(*CUE_GROUPS).find(text)]
    doc.dates = find_dates(text, doc.article.published)
    actor_hits = lexicon.actors().matcher.find(text)
    # A trigger word inside a group's name is part of the name ("هيئة تحرير الشام"); category
    # words such as "المتظاهرون" are both an actor and a trigger.
    index = lexicon.actors()
    names = [(h.start, h.end) for h in actor_hits if not index.by_id[h.value].generic]
    doc.triggers = [t for t in doc.triggers if not _overlaps(t.start, t.end, names)]
    taken = [(h.start, h.end) for h in actor_hits] + [(d.start, d.end) for d in doc.dates]
    taken += [(t.start, t.end) for t in doc.triggers]
    places = _places(text, gazetteer, taken)
    doc.country = _main_country(places)
    doc.places = [m for m in places if not _stray_foreign_place(text, m, doc.country)]
    doc.actors = _actors(actor_hits, doc.country, doc.article.published)
    doc.casualties = find_casualties(text)
    return doc


_AIMED_FAMILIES = frozenset({"takeover"})
# Verbs that make a weapon word an attack: (cue group of verbs, the mode's sub-event type,
# how many words may stand between verb and weapon). "أطلقت ميليشيات الحوثي صاروخا": a missile
# a few words after a verb of firing; "دمرت مقاتلات التحالف تعزيزات": aircraft right after a
# verb of destroying struck from the air.
_CLAUSE_END = re.compile(r"[.،؛:!?]")
_ASIDE = re.compile(r"^\s*،([^،.؛]{1,20})،")  # a word or two set off by commas right after a verb
_SENTENCE_END = re.compile(r"[.؛!?\n]")
_WORD = re.compile(r"\w+")
_WEAPON_VERBS = (
    ("launch_verbs", "Shelling/artillery/missile attack", 4),
    ("destroy_verbs", "Air/drone strike", 1),
)


def _launched(text: str, modes: list[Mention], triggers: list[Mention]) -> list[Mention]:
    """Weapon words made attacks by a verb before them (`_WEAPON_VERBS`), where no trigger
    already covers them; the subject may stand between verb and weapon. The trigger is the
    verb: the weapon may be part of a name ("مقاتلات التحالف")."""
    found: list[Mention] = []
    for mode in modes:
        if any(t.start <= mode.start < t.end for t in triggers):
            continue
        window = text[max(0, mode.start - 80):mode.start]
        clause_start = mode.start - len(_CLAUSE_END.split(window)[-1])
        words = list(_WORD.finditer(text, clause_start, mode.start))
        for group, sub_event_type, reach in _WEAPON_VERBS:
            if mode.value != sub_event_type:
                continue
            verb = next((w for w in reversed(words[-reach - 1:]) if w.group() in lexicon.cue_set(group)), None)
            if verb is not None:
                found.append(Mention("trigger", verb.start(), verb.end(), TriggerEntry(sub_event_type, 5)))
                break
    return found


# Verbs whose completing word may come a few words later in the clause, once the subject or a
# time has been said: (cue group of verbs, cue group of completions, first word where the
# completion may stand, reach in words, characters looked at, trigger). "سيطرت صباح اليوم على"
# is a capture; "أطلق مسلحون مجهولون النار عليها" an attack (a subject first: the joined "أطلق
# النار" is a trigger of its own).
_SPLIT_PHRASES = (
    ("control_verbs", "control_particle", 0, 4, 60, TriggerEntry("takeover", 4)),
    ("gunfire_verbs", "gunfire_objects", 1, 3, 50, TriggerEntry("attack", 3)),
)


def _split_phrases(text: str, triggers: list[Mention]) -> list[Mention]:
    """Triggers told as a verb, a few words, then the word that completes them (`_SPLIT_PHRASES`)."""
    found: list[Mention] = []
    for verbs, completions, first, reach, window, entry in _SPLIT_PHRASES:
        ends = lexicon.cue_set(completions)
        for verb in lexicon.cue_matcher(verbs).find(text):
            if any(t.start <= verb.start < t.end for t in triggers) or _negated(text, verb.start):
                continue
            # "سيطرت، الاثنين، على": a short aside between commas does not end the clause
            clause = _CLAUSE_END.split(_ASIDE.sub(r" \1 ", text[verb.end:verb.end + window]))[0]
            if any(w in ends for w in clause.split()[first:reach + 1]):
                found.append(Mention("trigger", verb.start, verb.end, entry))
    return found


def _negated(text: str, start: int) -> bool:
    """"لا يستهدف", "لم تقصف", "لا تنفذ قصفا": a trigger right after a negation particle, or
    after a particle and a light verb, reports nothing."""
    before = text[max(0, start - 24):start]
    if before.endswith(lexicon.cue_words_before("negation_particles")):
        return True
    words = before.split()
    return len(words) >= 2 and words[-1] in lexicon.cue_set("light_verbs") and words[-2] in lexicon.cue_set("negation_particles")


def _heard(text: str, start: int) -> bool:
    """"سماع دوي انفجارات": the sound of an event is not its report."""
    before = text[max(0, start - 8):start]
    return before.endswith(lexicon.cue_words_before("sound_words"))


_ANCHOR_FAMILIES = frozenset({"attack", "killing"})
_ANCHOR_EVENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


def _anchored(text: str, start: int, trigger: TriggerEntry) -> bool:
    """"عقب مقتل الرئيس", "منذ الهجوم": a death or a definite attack named to date another
    event is not reported as new by it; "بعد معارك مع ..." (indefinite), "بعد طرد المسلحين"
    and "بعد الاتفاق" may still be the news itself."""
    kind = lexicon.event_types().get(trigger.family)
    if trigger.family == "takeover":
        if not _possessed(text, start):
            return False  # "بعد طرد المسلحين" may be the news; "بعد طردهم منها" recalls it
    elif trigger.family not in _ANCHOR_FAMILIES and (kind is None or kind.event_type not in _ANCHOR_EVENT_TYPES):
        return False
    elif trigger.family != "killing" and not text.startswith(_ARTICLE, start):
        return False
    before = text[max(0, start - 16):start]
    return lexicon.ends_with_cue_word(before, "time_anchor_before")


# -ha, -hum, -huma, and -hu after a feminine noun's t ("سيطرته"); a bare final ha is most often
# the folded taa marbuta of the noun itself ("استعادة")
_POSSESSIVE = ("\u0647\u0627", "\u0647\u0645", "\u0647\u0645\u0627", "\u062a\u0647")


def _possessed(text: str, start: int) -> bool:
    """"سيطرتها", "طردهم": a verbal noun with a possessive pronoun names a known event."""
    word = text[start:].split(maxsplit=1)[0] if text[start:].strip() else ""
    return word.endswith(_POSSESSIVE) and len(word) > 4


_CARE_REACH = 3  # words before a casualty word where a word of care may stand


def _cared_for(text: str, start: int, trigger: TriggerEntry) -> bool:
    """"علاج الجرحى", "استقبال المزيد من جرحى": wounded being treated or evacuated are not
    a report of how they were hurt."""
    if trigger.family != "killing":
        return False
    words = text[max(0, start - 60):start].split()[-_CARE_REACH:]
    return any(w in lexicon.cue_set("care_words") for w in words)


def _described_place(text: str, start: int, trigger: TriggerEntry) -> bool:
    """"المناطق التي استعادتها القوات", "المناطق التي تم تحريرها": a capture in a relative
    clause describes the place, it does not report the capture."""
    if trigger.family not in _AIMED_FAMILIES:
        return False
    words = text[max(0, start - 30):start].split()[-2:]
    relatives = lexicon.cue_set("relative_pronouns")
    return bool(words) and (words[-1] in relatives or len(words) == 2 and words[0] in relatives
                            and words[1] in lexicon.cue_set("passive_auxiliaries"))


def _verbal_attack(text: str, start: int, end: int) -> bool:
    """"هاجم الرئيس السوري مشاركة قوات ...": a president or minister "attacking" criticises."""
    if text[start:end] not in lexicon.cue_set("verbal_attack_verbs"):
        return False
    after = text[end:end + 30].split()
    return bool(after) and after[0] in lexicon.cue_set("speaker_titles")


def _purpose(text: str, start: int, trigger: TriggerEntry) -> bool:
    """"حملة لطرد التنظيم", "عملية لتحرير المدينة": a capture named as an aim (glued li-) has not
    happened; "تعرض للقصف" (li- before an attack) still reports one."""
    if trigger.family not in _AIMED_FAMILIES:
        return False
    prefix = _glued_prefix(text, start).lstrip("\u0648\u0641")  # and/so before li-
    return prefix.startswith("\u0644")


_REPORT_REACH = 8  # words before a verbal noun where its announcing verb may stand


def _unreported(text: str, start: int, trigger: TriggerEntry) -> bool:
    """A verbal noun of capture or agreement with no verb of accomplishment or announcement
    shortly before it in its clause ("تمكنت من تحرير", "أعلن التوصل إلى اتفاق") reports nothing."""
    if not trigger.needs_report:
        return False
    sentence = _SENTENCE_END.split(text[max(0, start - 80):start])[-1]  # commas may set off a date
    words = [w.lstrip("\u0648") or w for w in _WORD.findall(sentence)][-_REPORT_REACH:]
    return not any(w in lexicon.cue_set("accomplished") for w in words)


def _places(text: str, gazetteer: Gazetteer, taken: list[tuple[int, int]]) -> list[Mention]:
    """Place hits; a hit's value is the list of candidate places, finest first.

    A name that is also a date, an actor, a trigger or a place noun ("الخميس", "التحالف",
    "مدينة") is read as that word; a weak name counts only after a place cue.
    """
    found: dict[tuple[int, int, str], list[str]] = {}
    for hit in gazetteer.find(text):
        found.setdefault((hit.start, hit.end, hit.key), []).append(hit.value)
    nouns = lexicon.cue_set("place_nouns") | anaphoric_place_nouns()
    mentions: list[Mention] = []
    plural_lists: set[int] = set()  # where the next name of a list opened by "مديريات"/"بلدات" may start
    for (start, end, key), ids in sorted(found.items()):
        if key in nouns or _overlaps(start, end, taken) or _after_kunya(text, start):
            continue
        places = sorted((gazetteer.by_id[i] for i in ids), key=place_rank)
        # "محافظة حجة": the name starts with its place noun; "مديريات زبيد والدريهمي": the list
        # goes on from a place just read
        # a name continues a list opened by a plural place noun ("مديريات بيت الفقيه وزبيد
        # والدريهمي"): the noun cues every name of the list, not only the first
        listed = start in plural_lists and _listed_after(text, mentions, start)
        own_cue = key.split(" ", 1)[0] in nouns or listed
        weak = is_weak_name(key) or (all(p.weak for p in places) and not own_cue)
        if weak and not (listed or _has_place_cue(text, start)):
            continue
        if _all_small(places) and not (own_cue or _has_place_cue(text, start) or _has_locative(text, start)):
            continue
        mentions.append(Mention("place", start, end, places))
        if listed or _ends_with_plural_place_noun(text[max(0, start - 20):start].rstrip()):
            plural_lists.add(_next_word_start(text, end))
    return mentions


_ARTICLE = "\u0627\u0644"  # al-
_GLUED_PREPOSITIONS = "\u0628\u0644"  # beh (bi-, "in/at"), lam (li-, "to/for")

# Places this large are named abroad without any cue ("طهران", "الرياض").
_WELL_KNOWN = 1_000_000

# Below this population a place must be introduced by a preposition or a place word.
_SMALL_PLACE = 50_000


def _all_small(places: list[Place]) -> bool:
    return all(p.feature in ("village", "town", "neighbourhood", "site") and (p.population or 0) < _SMALL_PLACE for p in places)


def _has_locative(text: str, start: int) -> bool:
    """A preposition before the name, spaced ("في حلب") or glued ("بحلب", "لحلب")."""
    if any(letter in _GLUED_PREPOSITIONS for letter in _glued_prefix(text, start)):
        return True  # the matcher accepts only proclitic letters glued before a name
    before = text[max(0, start - 12):start].rstrip()
    return before.endswith(lexicon.cue_forms("locative"))


def _glued_prefix(text: str, start: int) -> str:
    """The proclitic letters the matcher accepted glued before a name or trigger ("ول" in "ولتحرير")."""
    prefix_start = start
    while prefix_start > 0 and text[prefix_start - 1].isalpha():
        prefix_start -= 1
    return text[prefix_start:start]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    for a, b in spans:  # a plain loop: twice as fast as any() here, and asked per candidate
        if start < b and a < end:
            return True
    return False


def _after_kunya(text: str, start: int) -> bool:
    """"أبو عمارة": a place name right after a kinship word belongs to a person's name."""
    before = text[max(0, start - 6):start]
    return before.endswith(lexicon.cue_words_before("kunya"))


def _ends_with_plural_place_noun(before: str) -> bool:
    return before.endswith(lexicon.cue_forms("plural_place_nouns"))


def _next_word_start(text: str, end: int) -> int:
    """Where the name after a list connector begins ("وزبيد": after the glued "و")."""
    at = end
    while at < len(text) and text[at] in " \u060c,":
        at += 1
    return at + 1 if text[at:at + 1] == "\u0648" else at


def _listed_after(text: str, mentions: list[Mention], start: int) -> bool:
    """The name follows a place already read with only "و" or a comma between."""
    if not mentions:
        return False
    gap = text[mentions[-1].end:start].strip()
    return gap in ("\u0648", "\u060c", ",") or (gap == "" and text[start - 1:start] == "\u0648")


def _has_place_cue(text: str, start: int) -> bool:
    """A place noun or a position word right before a weak name."""
    before = text[max(0, start - 20):start].rstrip()
    return before.endswith(lexicon.cue_forms_of("near", "countryside")) or _ends_with_place_noun(before)


def _ends_with_place_noun(before: str) -> bool:
    """"مدينة X", "بمدينة X": a place noun in construct before a name. With the article
    ("المدينة المطلة على البحر") the noun is described by an adjective, not named."""
    for noun in lexicon.cue_forms("place_nouns"):
        if before.endswith(noun) and not before[: len(before) - len(noun)].endswith(_ARTICLE):
            return True
    return False


# How much a mention of each kind of place says about the article's country.
_COUNTRY_VOTE = {"country": 3, "admin1": 3, "admin2": 2, "city": 2}


def _main_country(places: list[Mention]) -> str | None:
    """The country the article is about: each mention votes for its candidates' countries,
    countries, provinces and cities more than villages (which are often common words)."""
    counts: Counter[str] = Counter()
    for mention in places:
        votes: dict[str, int] = {}
        for place in mention.value:
            votes[place.country] = max(votes.get(place.country, 0), _COUNTRY_VOTE.get(place.feature, 1))
        counts.update(votes)
    return counts.most_common(1)[0][0] if counts else None


def _stray_foreign_place(text: str, mention: Mention, country: str | None) -> bool:
    """A place abroad, in an article about another country, named without a place noun (a
    village) or without a preposition (a town or province), is far more often a common word
    than a place ("المصدر", "الزعيم", "ضالع في")."""
    if country is None or any(p.country == country for p in mention.value):
        return False
    if any(p.feature == "country" or (p.population or 0) >= _WELL_KNOWN for p in mention.value):
        return False
    small = all(p.feature in ("village", "town", "neighbourhood", "site") for p in mention.value)
    if small:
        return not _has_place_noun(text, mention.start)
    return not (_has_place_noun(text, mention.start) or _has_locative(text, mention.start))


def _has_place_noun(text: str, start: int) -> bool:
    before = text[max(0, start - 20):start].rstrip()
    return _ends_with_place_noun(before)


def _actors(hits: list[Hit[str]], country: str | None, day: date | None) -> list[Mention]:
    """Actor hits; a weak name counts in an article about the actor's country or a country it
    fights in (`theatres`), or when the same actor is also named unambiguously in the article."""
    index = lexicon.actors()
    strong_ids = {h.value for h in hits if h.key not in index.by_id[h.value].weak_names}
    mentions = []
    for hit in hits:
        entry = index.by_id[hit.value]
        is_weak = hit.key in entry.weak_names
        if is_weak and not (entry.at_home_in(country) or hit.value in strong_ids):
            continue
        mentions.append(Mention("actor", hit.start, hit.end, entry))
    return _one_actor_per_span(mentions, day, country)


def _one_actor_per_span(mentions: list[Mention], day: date | None, country: str | None) -> list[Mention]:
    """Where one name stands for several actors, keep the one whose name was in use on the
    article's date ("Police Forces of Iraq (2014-2022)" before 2022), then one of the article's
    country (before one of no country), then the first listed (the lexicon's order)."""
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for mention in mentions:
        by_span.setdefault((mention.start, mention.end), []).append(mention)
    return [min(group, key=lambda m: lexicon.preference(m.value, day, country)) for group in by_span.values()]
