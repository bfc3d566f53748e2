"""The last filter: drafts a coder would not record.

- an event dated more than `RECALL_DAYS` before publication is history recalled by the
  article, not news (ACLED codes it from a report of its own time);
- an event dated after publication (+1 day for time zones) is a plan or a forecast;
- a draft with neither an actor nor a place says only that something violent happened
  somewhere ("a plot to kill"): nothing to code;
- a death toll above `MAX_EVENT_FATALITIES` is a war's or a campaign's cumulative toll
  ("قتل أكثر من 500 ألف مدني"), not one event's.
"""

from __future__ import annotations

from datetime import date

from rasd.stages.assemble import Draft

RECALL_DAYS = 45  # long enough for "منتصف الشهر الماضي" (precision 3), short enough to drop anniversaries
FUTURE_DAYS = 1
MAX_EVENT_FATALITIES = 1000


def codable(draft: Draft, published: date | None) -> bool:
    """True when the draft is an event of the article's news window with something to code."""
    if draft.roles.actor1 is None and draft.roles.actor2 is None and draft.place is None:
        return False
    if draft.casualties.killed > MAX_EVENT_FATALITIES:
        return False
    if published is None or draft.day is None:
        return True
    age = (published - draft.day).days
    return -FUTURE_DAYS <= age <= RECALL_DAYS
