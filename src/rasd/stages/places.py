"""Where a unit's event happened, with ACLED's geo_precision.

Each place mention in the unit is read with the words before it:
- a position word ("قرب", "غربي", "محيط") makes it *near* that place: geo_precision 2;
  when it follows another place of the unit ("السوسة قرب مدينة البوكمال") it only locates
  that other place (a *reference*), and is not the event's place;
- "ريف X" (the countryside of X) means X's governorate: geo_precision 3;
- a governorate or a country on its own: geo_precision 3; a named town otherwise: 1.
The event's place is the finest non-reference place; ties go to the first mentioned.
Same-named places are ranked by the article's country, then feature and population.
A place without coordinates takes those of its reference place or its governorate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rasd.doc import Doc, Mention, within
from rasd.kb import lexicon
from rasd.kb.gazetteer import FEATURE_RANK, Gazetteer, load_gazetteer
from rasd.model import Place

_WAW = "\u0648"  # "and"
_REFERENCE_WINDOW = 60  # characters: how far a "near" place may follow the place it locates


@dataclass(frozen=True, slots=True)
class PlaceChoice:
    place: Place
    mention: Mention
    precision: int
    latitude: float | None
    longitude: float | None
    origin: bool = False  # only where a weapon was launched from is named ("أطلق من صعدة")


def choose_place(doc: Doc, start: int, end: int) -> PlaceChoice | None:
    """The place of the event told in [start, end), or None when no known place is named."""
    places = choose_places(doc, start, end)
    return places[0] if places else None


def choose_places(doc: Doc, start: int, end: int) -> list[PlaceChoice]:
    """The event's place, then the places listed beside it ("في بلدتي بصر الحرير ومليحة
    العطش", "أطراف زبيد والجراحي والتحيتا"): ACLED codes one event per place. Places joined
    after "بين" are the ends of one front, not a list."""
    gazetteer = load_gazetteer()
    readings = [_read(doc, m, gazetteer) for m in within(doc.places, start, end)]
    candidates = [r for i, r in enumerate(readings)
                  if not _is_reference(r, readings[:i], doc.text) and not _stands_for_a_government(doc.text, r)]
    struck = [r for r in candidates if not _launched_from(doc.text, start, r)]
    origin = bool(candidates) and not struck
    candidates = struck or candidates
    if not candidates:
        return []
    home = [r for r in candidates if r.place.country == doc.country]
    if home and len(home) < len(candidates) and all(r.place.feature != "country" for r in candidates):
        candidates = home  # "حي المغار بمدينة درنة": a foreign namesake beside a place of the article's country
    best = min(candidates, key=lambda r: FEATURE_RANK.get(r.place.feature, 5))
    listed = _listed_with(best, candidates, doc.text)
    return [replace(_with_coordinates(r, readings, gazetteer), origin=origin) for r in [best, *listed]]


def _listed_with(best: _Reading, candidates: list[_Reading], text: str) -> list[_Reading]:
    """The other places of the list `best` stands in: places joined by "و"/"،" with only place
    nouns and position words between, of the same kind (towns with towns, provinces with
    provinces), in text order."""
    ordered = sorted(candidates, key=lambda r: r.mention.start)
    at = ordered.index(best)
    chain = [best]
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(ordered):
            a, b = (ordered[i + step], ordered[i]) if step < 0 else (ordered[i], ordered[i + step])
            if not _only_list_words(text[a.mention.end:b.mention.start]) or _coarse(ordered[i + step].place) != _coarse(best.place):
                break
            chain.append(ordered[i + step])
            i += step
    first = min(chain, key=lambda r: r.mention.start)
    if len(chain) == 1 or _between_before(text, first.mention.start):
        return []
    seen = {best.place.id}
    listed = []
    for reading in sorted(chain[1:], key=lambda r: r.mention.start):
        if reading.place.id not in seen:
            seen.add(reading.place.id)
            listed.append(reading)
    return listed


def _coarse(place: Place) -> bool:
    return place.feature in ("admin1", "country", "region")


def _only_list_words(gap: str) -> bool:
    """A gap of list connectors and place or position words only, with at least one "و"/"،"."""
    words = gap.replace("\u060c", " \u060c ").split()
    if not words or not any(w == "\u060c" or w.startswith(_WAW) for w in words):
        return False
    allowed = lexicon.cue_set("list_words")
    for word in words:
        bare = word[1:] if word.startswith(_WAW) and len(word) > 1 else word
        if word not in ("\u060c", _WAW) and bare not in allowed and word not in allowed:
            return False
    return True


def _between_before(text: str, position: int) -> bool:
    """"بين ريف دمشق والقنيطرة ودرعا": a "بين" shortly before, in the same clause, makes the
    places the ends of one area or front."""
    before = text[max(0, position - 40):position]
    clause = before.replace("\u060c", ".").split(".")[-1]
    return any(word in lexicon.cue_set("between") for word in clause.split())


@dataclass(frozen=True, slots=True)
class _Reading:
    place: Place
    mention: Mention
    position: str  # "in" | "near" | "countryside"


def _read(doc: Doc, mention: Mention, gazetteer: Gazetteer) -> _Reading:
    place = _rank_by_country(mention.value, doc.country)
    position = _position(doc.text, mention.start)
    if position == "countryside":
        region = gazetteer.admin1_of(place)
        place = region or place
    return _Reading(place, mention, position)


def _rank_by_country(places: list[Place], country: str | None) -> Place:
    return min(places, key=lambda p: candidate_rank(p, country))


def candidate_rank(place: Place, country: str | None) -> tuple[bool, bool, int, int]:
    """Order same-named places: the article's country first, then populated places before
    administrative units, then the most populous, then the finest."""
    administrative = place.feature in ("admin1", "admin2", "admin3", "country", "region")
    return place.country != country, administrative, -(place.population or 0), FEATURE_RANK.get(place.feature, 5)


def _without_place_noun(before: str) -> str:
    """The text before a place name, without its trailing comma and place noun ("قرب مدينة")."""
    before = before.rstrip(" \u060c,(\"\u00ab")  # "محافظة (صعدة)": an opening bracket or quote
    for noun in lexicon.cue_forms("place_nouns"):  # "قرب مدينة X": skip the place noun
        if before.endswith(noun):
            return before[: -len(noun)].rstrip()
    return before


def _position(text: str, start: int) -> str:
    before = _without_place_noun(text[max(0, start - 30):start])
    if any(before.endswith(f) for f in lexicon.cue_forms("countryside")):
        return "countryside"
    if any(before.endswith(f) for f in lexicon.cue_forms("near")):
        return "near"
    return "in"


def _is_reference(reading: _Reading, earlier: list[_Reading], text: str) -> bool:
    """A near/countryside place right after a finer place, or after a district, only says where
    that one is ("السوسة قرب مدينة البوكمال", "جبهة نهم شرق صنعاء"); after a province it narrows
    the province down ("مواقع في ريف دمشق قرب الضمير")."""
    if reading.position == "in" or not earlier:
        return False
    last = earlier[-1]
    district_by_city = last.place.feature in ("admin2", "admin3") and reading.place.feature == "city"
    if not district_by_city and FEATURE_RANK.get(last.place.feature, 5) > FEATURE_RANK.get(reading.place.feature, 5):
        return False  # a village near a town
    return reading.mention.start - last.mention.end <= _REFERENCE_WINDOW and "\n" not in text[last.mention.end:reading.mention.start]


_LAUNCH_REACH = 120  # characters before "من X" where the launch word may stand


def _launched_from(text: str, unit_start: int, reading: _Reading) -> bool:
    """"أطلقتهما الميليشيات من محافظة صعدة": the place a weapon was launched from."""
    words = _without_place_noun(text[max(unit_start, reading.mention.start - 30):reading.mention.start]).split()
    origins = lexicon.cue_set("origin_before")
    if not any(" ".join(words[-k:]) in origins for k in (1, 2) if len(words) >= k):
        return False
    window = text[max(unit_start, reading.mention.start - _LAUNCH_REACH):reading.mention.start]
    stems = lexicon.cue_forms("launch_stems")
    return any(word.lstrip(_WAW).startswith(stems) or word.startswith(stems) for word in window.split())


def _stands_for_a_government(text: str, reading: _Reading) -> bool:
    """"القوات الموالية لدمشق", "مناطق سيطرة دمشق": a capital named as whom a force serves or who
    holds an area (the cues that mark an actor as a qualifier, `non_participant_before`)."""
    before = text[max(0, reading.mention.start - 30):reading.mention.start].rstrip()
    return reading.place.feature in ("city", "country") and before.endswith(lexicon.cue_forms("non_participant_before"))


def _precision(reading: _Reading) -> int:
    if reading.position == "countryside" or reading.place.feature in ("admin1", "country", "region"):
        return 3
    if reading.position == "near" or reading.place.feature in ("admin2", "admin3"):
        return 2
    return 1


def _with_coordinates(best: _Reading, readings: list[_Reading], gazetteer: Gazetteer) -> PlaceChoice:
    precision = _precision(best)
    lat, lon = best.place.latitude, best.place.longitude
    if lat is None or lon is None:
        fallback = _fallback_place(best, readings, gazetteer)
        if fallback is not None:
            lat, lon = fallback.latitude, fallback.longitude
            precision = max(precision, 2)
    return PlaceChoice(best.place, best.mention, precision, lat, lon)


def _fallback_place(best: _Reading, readings: list[_Reading], gazetteer: Gazetteer) -> Place | None:
    """ACLED codes an unlocated village to a nearby town: its reference place, else its governorate."""
    after = [r.place for r in readings if r.mention.start > best.mention.start and r.place.latitude is not None]
    if after:
        return after[0]
    return gazetteer.admin1_of(best.place)
