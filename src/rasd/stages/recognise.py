"""Recognition: find triggers, weapon modes, actors, places, cues, dates and casualty counts.

Every finder runs once over the whole folded text with a compiled matcher; the results are
stored on the `Doc` for the assembly stage. Weak names (ordinary words that are also names)
are kept only with the context they need.
"""

from __future__ import annotations

from collections import Counter

from rasd.doc import Doc, Mention
from rasd.kb import lexicon
from rasd.kb.gazetteer import Gazetteer, load_gazetteer, place_rank
from rasd.stages.dates import find_dates
from rasd.stages.quantities import find_casualties

CUE_GROUPS = (
    "background_sentence", "background_clause", "negation", "threat", "plan", "call",
    "condition", "rumour", "back_reference", "civilian_objects",
)


def recognise(doc: Doc) -> Doc:
    """Fill every mention list of `doc` (see the module docstring)."""
    text = doc.text
    gazetteer = load_gazetteer()
    doc.triggers = [Mention("trigger", h.start, h.end, h.value) for h in lexicon.triggers().find(text)]
    doc.modes = [Mention("mode", h.start, h.end, h.value) for h in lexicon.modes().find(text)]
    doc.cues = [Mention("cue", h.start, h.end, h.value) for h in lexicon.cue_matcher(*CUE_GROUPS).find(text)]
    doc.places = _places(text, gazetteer)
    doc.country = _main_country(doc.places, gazetteer)
    doc.actors = _actors(text, doc.country)
    doc.dates = find_dates(text, doc.article.published)
    doc.casualties = find_casualties(text)
    return doc


def _places(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Place hits; a hit's value is the list of candidate places, weak ones only with a cue."""
    found: dict[tuple[int, int], list[str]] = {}
    for hit in gazetteer.find(text):
        found.setdefault((hit.start, hit.end), []).append(hit.value)
    mentions = []
    for (start, end), ids in sorted(found.items()):
        places = sorted((gazetteer.by_id[i] for i in ids), key=place_rank)
        if all(p.weak for p in places) and not _has_place_cue(text, start):
            continue
        mentions.append(Mention("place", start, end, places))
    return mentions


def _has_place_cue(text: str, start: int) -> bool:
    """A place noun, a position word or the preposition fi/bi right before a weak name."""
    before = text[max(0, start - 20):start]
    forms = lexicon.cue_forms("place_nouns") + lexicon.cue_forms("near") + lexicon.cue_forms("countryside")
    stripped = before.rstrip()
    if any(stripped.endswith(form) for form in forms):
        return True
    return stripped.endswith("\u0641\u064a") or before.endswith("\u0628")  # "fi" (in) / glued "bi"


def _main_country(places: list[Mention], gazetteer: Gazetteer) -> str | None:
    counts: Counter[str] = Counter(m.value[0].country for m in places)
    return counts.most_common(1)[0][0] if counts else None


def _actors(text: str, country: str | None) -> list[Mention]:
    """Actor hits; a weak name counts in an article about the actor's country, or when the
    same actor is also named unambiguously in the article."""
    index = lexicon.actors()
    hits = index.matcher.find(text)
    strong_ids = {h.value for h in hits if h.key not in index.by_id[h.value].weak_names}
    mentions = []
    for hit in hits:
        entry = index.by_id[hit.value]
        is_weak = hit.key in entry.weak_names
        home = entry.actor.country is not None and entry.actor.country == country
        if is_weak and not (home or hit.value in strong_ids):
            continue
        mentions.append(Mention("actor", hit.start, hit.end, entry))
    return _one_actor_per_span(mentions)


def _one_actor_per_span(mentions: list[Mention]) -> list[Mention]:
    """Where one name stands for several actors, keep the first listed (the lexicon's order)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for mention in mentions:
        if (mention.start, mention.end) not in seen:
            seen.add((mention.start, mention.end))
            kept.append(mention)
    return kept
