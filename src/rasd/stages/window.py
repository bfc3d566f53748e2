"""The last filter: drafts a coder would not record.

- an event dated more than two weeks before publication (three for a week, `RECALL_DAYS`
  for a month told vaguely) is history recalled by the article, not news (ACLED codes it from
  a report of its own time);
- an event dated after publication (+1 day for time zones) is a plan or a forecast;
- a violent event with no named armed actor, no known place and only a vague trigger ("a man
  was killed", "an attack"), or a
  battle told only by a death with no side named, has nothing a coder could anchor it to;
  protests keep their protesters even where the place is unknown;
- a death toll above `MAX_EVENT_FATALITIES` is a war's or a campaign's cumulative toll
  ("قتل أكثر من 500 ألف مدني"), not one event's;
- in an article that places its events, one it does not place at all (no gazetteer place, no
  place noun, no country) is a passing mention (`placed_news`); an event at a place the
  gazetteer lacks ("في بلدة ...") is still emitted, with empty place fields.
"""

from __future__ import annotations

from datetime import date

from rasd.stages.assemble import Draft

RECALL_DAYS = 45  # long enough for "منتصف الشهر الماضي" (precision 3), short enough to drop anniversaries
# A day told exactly is news only when recent: an event named by its date two weeks back
# ("وفي 24 حزيران الماضي") is recalled, whatever the article adds.
RECALL_DAYS_BY_PRECISION = {1: 14, 2: 21, 3: RECALL_DAYS}
FUTURE_DAYS = 1
MAX_EVENT_FATALITIES = 1000
SPECIFIC_TRIGGER = 4  # trigger priority from which the words alone say an attack happened (a bombing, a clash)


def codable(draft: Draft, published: date | None) -> bool:
    """True when the draft is an event of the article's news window with something to code."""
    if not _anchored(draft):
        return False
    if draft.casualties.killed > MAX_EVENT_FATALITIES:
        return False
    if published is None or draft.day is None:
        return True
    age = (published - draft.day).days
    return -FUTURE_DAYS <= age <= RECALL_DAYS_BY_PRECISION.get(draft.time_precision, RECALL_DAYS)


def placed_news(drafts: list[Draft]) -> list[Draft]:
    """In an article that places its events, one it does not place at all (no gazetteer place,
    no place noun, no country) is a passing mention: ACLED codes no event it cannot place.
    A place the gazetteer lacks still counts as placed, and so does a strike told as another
    one ("غارة أخرى"). Where nothing is placed (a lone sentence), the events stay."""
    if all(d.place is None for d in drafts):
        return drafts
    return [d for d in drafts if d.place is not None or d.place_told or d.another]


def _anchored(draft: Draft) -> bool:
    participants = [p for p in (draft.roles.actor1, draft.roles.actor2) if p is not None]
    named = [p for p in participants if not p.entry.generic]
    if draft.kind.event_type in ("Protests", "Riots"):
        return bool(participants) or draft.place is not None
    specific = draft.trigger.value.priority >= SPECIFIC_TRIGGER
    if not named and draft.place is None and not specific:
        return False
    casualty_only = draft.trigger.value.family == "killing"
    return not (draft.kind.event_type == "Battles" and casualty_only and not named)
