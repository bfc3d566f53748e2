"""The extraction pipeline: a fixed order of small stages over one immutable article.

normalise -> recognise (triggers, modes, actors, places, cues, dates, casualties)
          -> units (sentences, clauses, background filtering) -> draft and merge events
          -> window (drop recalled history, plans, drafts with nothing to code, unplaced mentions)
          -> records (ACLED columns, notes, evidence in original offsets)
"""

from __future__ import annotations

from rasd.doc import Doc
from rasd.model import Article, Event
from rasd.stages.assemble import draft_events
from rasd.stages.recognise import recognise
from rasd.stages.record import to_event
from rasd.stages.units import event_units
from rasd.stages.window import codable, placed_news


def run_pipeline(article: Article) -> list[Event]:
    """Events of one article, in order of first mention."""
    doc = recognise(Doc.from_article(article))
    drafts = placed_news([d for d in draft_events(doc, event_units(doc)) if codable(d, article.published)])
    return [to_event(doc, draft, index) for index, draft in enumerate(drafts)]
