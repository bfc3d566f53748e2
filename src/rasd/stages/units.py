"""Event units: the stretches of text that each report one event, and what is background.

A sentence is split into clauses. A clause is *background* (it reports no event of the news
window) when it holds a background, negation, threat, plan, call, condition, rumour or holding cue, a
background date span ("خلال خمس سنوات"), opens with a back-reference ("ويأتي ..."), or follows
a background clause of the same sentence without a date of its own. A sentence that opens with
a background cue ("يشار إلى أن") is background as a whole.

Consecutive non-background clauses form one unit; a clause that opens with a context-offset
date ("بعد يوم من ...") starts a new unit, because it tells an earlier event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rasd.doc import Doc, within
from rasd.kb import lexicon
from rasd.text.segment import Segment, clauses, sentences

_NON_EVENT_CUES = frozenset({"background_clause", "negation", "threat", "plan", "call", "condition", "rumour", "holding", "reaction"})
_OWN_DATE_KINDS = frozenset({"relative", "weekday", "absolute", "span", "month"})


@dataclass(slots=True)
class Unit:
    """One candidate event's text: a run of clauses inside one sentence."""

    sentence: Segment
    parts: list[Segment] = field(default_factory=list)
    context_offset: int | None = None  # days relative to the date the article is talking about
    opener: bool = False  # opens with "فيما"/"كما"/"من جهة أخرى": may tell another event
    another: bool = False  # "غارة أخرى", "هجوم ثان": says it tells another event
    ongoing: bool = False  # "لا تزال المعارك مستمرة" with no date: a campaign, not one day's event

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end


def event_units(doc: Doc) -> list[Unit]:
    """All units of the document, in text order."""
    units: list[Unit] = []
    for sentence in sentences(doc.text):
        if not _is_background_sentence(doc, sentence) and not _in_link_title(doc.text, sentence):
            units.extend(_sentence_units(doc, sentence))
    return units


_TITLE_MAX_WORDS = 16
_TERMINAL = ".!?\u061f\"\u201d\u00bb)"  # what ends a sentence of prose (؟ is the Arabic question mark)


def _in_link_title(text: str, sentence: Segment) -> bool:
    """A short line with no closing punctuation after the article's first line is the title of
    another story linked in the page ("غارة للتحالف تقتل رئيس الذراع السياسي ..."), not news
    told here; the development gold codes no event from such a line."""
    line_start = text.rfind("\n", 0, sentence.start) + 1
    if line_start == 0:
        return False  # the first line: the article's own headline or lead
    line_end = text.find("\n", sentence.start)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    return bool(line) and line[-1] not in _TERMINAL and len(line.split()) <= _TITLE_MAX_WORDS


def _is_background_sentence(doc: Doc, sentence: Segment) -> bool:
    opening = sentence.start + 3  # allow a glued conjunction before the cue
    return any(
        c.value == "background_sentence" and sentence.start <= c.start <= opening for c in doc.cues
    )


def _sentence_units(doc: Doc, sentence: Segment) -> list[Unit]:
    offsets = [d for d in within(doc.dates, sentence.start, sentence.end) if d.kind == "context_offset"]
    parts = clauses(doc.text, sentence, lexicon.clause_breaks(), extra=(d.start for d in offsets))
    units: list[Unit] = []
    current: Unit | None = None
    previous_background = False
    previous: Segment | None = None
    for part in parts:
        offset = next((d.offset_days for d in offsets if d.start == part.start), None)
        # "يأتي ذلك فيما قصفت ...": what comes with the event just told is news, not background
        concurrent = previous_background and _is_back_reference(doc, previous) and _starts_with_opener(doc, part)
        background = _is_background_clause(doc, part, previous_background and offset is None and not concurrent)
        previous_background, previous = background, part
        if background:
            current = None
            continue
        if current is None or offset is not None or _opens_new_event(doc, current, part):
            current = Unit(sentence, context_offset=offset, opener=_starts_with_opener(doc, part))
            units.append(current)
        current.parts.append(part)
    for unit in units:
        unit.another = _announces_another(doc, unit)
        unit.ongoing = _ongoing(doc, unit)
    return units


def _ongoing(doc: Doc, unit: Unit) -> bool:
    """"تتواصل الاحتجاجات للأسبوع الثاني", "المواجهات لا تزال مستمرة": a campaign said to go on,
    with no day of its own."""
    cues = [c for p in unit.parts for c in within(doc.cues, p.start, p.end)]
    if not any(c.value == "ongoing" for c in cues):
        return False
    dates = [d for p in unit.parts for d in within(doc.dates, p.start, p.end)]
    return not any(d.kind in _OWN_DATE_KINDS for d in dates)


def _announces_another(doc: Doc, unit: Unit) -> bool:
    """"في غارة أخرى", "هجوم ثان": the writer says this is not the event told before."""
    words = lexicon.cue_set("another_event")
    for trigger in within(doc.triggers, unit.start, unit.end):
        following = doc.text[trigger.end:trigger.end + 12].split()
        if following and following[0].strip("،.,") in words:
            return True
    return False


def _opens_new_event(doc: Doc, current: Unit, part: Segment) -> bool:
    """A clause with its own trigger after "فيما"/"كما"..., or after "و" with its own armed
    actor, tells another event than the clauses before it."""
    if not within(doc.triggers, part.start, part.end) or not _has_trigger(doc, current):
        return False
    if _starts_with_opener(doc, part):
        return True
    conjunction = doc.text[part.start:part.start + 1] in lexicon.cue_forms("conjunction_openers")
    return conjunction and _names_armed_actor(doc, part) and _names_armed_actor(doc, current)


def _starts_with_opener(doc: Doc, part: Segment) -> bool:
    opening = doc.text[part.start:part.end].lstrip("، ")
    if opening[:1] in lexicon.cue_forms("conjunction_openers") and not opening.startswith(lexicon.cue_forms("new_event_openers")):
        opening = opening[1:]
    return any(opening.startswith(f + " ") for f in lexicon.cue_forms("new_event_openers"))


def _has_trigger(doc: Doc, unit: Unit) -> bool:
    return any(within(doc.triggers, p.start, p.end) for p in unit.parts)


def _names_armed_actor(doc: Doc, span: Segment | Unit) -> bool:
    return any(not m.value.generic for m in within(doc.actors, span.start, span.end))


def _is_back_reference(doc: Doc, part: Segment | None) -> bool:
    """"يأتي ذلك", "جاء ذلك": the clause points back at the event just told."""
    return part is not None and any(
        c.value == "back_reference" and c.start - part.start <= 3 for c in within(doc.cues, part.start, part.end))


def _is_background_clause(doc: Doc, part: Segment, after_background: bool) -> bool:
    cues = within(doc.cues, part.start, part.end)
    if any(c.value in _NON_EVENT_CUES for c in cues):
        return True
    if _is_back_reference(doc, part):
        return True
    dates = within(doc.dates, part.start, part.end)
    if any(d.kind == "background" for d in dates):
        return True
    has_own_date = any(d.kind in _OWN_DATE_KINDS for d in dates)
    return after_background and not has_own_date
