"""One event from several reports of it: which report codes the event, and the ACLED tolls.

The merged record is coded from one *lead* report, so that every field and every evidence
offset comes from the same article and agree with one another (mixing the place of one
report with the evidence of another would point the analyst at the wrong words). The lead
is the most detailed report: the finest place (geo_precision), then the finest date
(time_precision), then the most named actors, then the highest confidence; ties go to the
report stored first, so the choice is deterministic.

Across reports the record takes:
- fatalities: ACLED's most conservative credible figure, i.e. the lowest number that any
  report states (a report that gives no number does not pull the figure to zero); when no
  report states a number but one says people were killed, `fatalities_known` is false.
  The spread of figures is kept (`FatalitySpread`) and said in the notes.
- injured, arrested, abducted: the lowest stated figure, for the same reason.
- source: every outlet, joined with "; " as ACLED joins them; sources: every article.
- confidence: the highest of the reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rasd.dedupe.compare import all_actors
from rasd.model import Event

Describe = Callable[[Event], str]
_UNSET_PRECISION = 4


@dataclass(frozen=True)
class FatalityFigure:
    """What one report says about deaths."""

    event_id: str
    article_id: str
    source: str
    fatalities: int
    known: bool
    stated: bool  # the report gives a number (it has evidence for the figure)

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id, "article_id": self.article_id, "source": self.source,
            "fatalities": self.fatalities if self.stated else None, "known": self.known,
        }


@dataclass(frozen=True)
class FatalitySpread:
    """Every report's figure, the lowest and the highest stated."""

    figures: tuple[FatalityFigure, ...]

    @property
    def stated(self) -> list[int]:
        return [f.fatalities for f in self.figures if f.stated]

    @property
    def low(self) -> int | None:
        return min(self.stated) if self.stated else None

    @property
    def high(self) -> int | None:
        return max(self.stated) if self.stated else None

    @property
    def disputed(self) -> bool:
        return len(set(self.stated)) > 1

    def to_json(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "disputed": self.disputed,
                "reports": [f.to_json() for f in self.figures]}


def outlet(event: Event) -> str:
    """The outlet a report came from: its source, else its article id."""
    return event.source or (event.sources[0] if event.sources else event.article_id)


def _states_fatalities(event: Event) -> bool:
    """A report states a death toll when it has a number with evidence (or a non-zero one)."""
    if not event.fatalities_known:
        return False
    return event.fatalities > 0 or any(item.field == "fatalities" for item in event.evidence)


def fatality_spread(reports: Sequence[Event]) -> FatalitySpread:
    return FatalitySpread(tuple(
        FatalityFigure(r.event_id, r.article_id, outlet(r), r.fatalities, r.fatalities_known, _states_fatalities(r))
        for r in reports
    ))


def lead_report(reports: Sequence[Event]) -> Event:
    """The most detailed report (see the module docstring); `reports` are in storage order."""
    def rank(item: tuple[int, Event]) -> tuple[int, int, int, float, int]:
        index, r = item
        return (r.geo_precision or _UNSET_PRECISION, r.time_precision if r.event_date else _UNSET_PRECISION,
                -len(all_actors(r)), -r.confidence, index)

    return min(enumerate(reports), key=rank)[1]


def _lowest_stated(values: Sequence[int | None]) -> int | None:
    stated = [v for v in values if v is not None]
    return min(stated) if stated else None


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def spread_note(spread: FatalitySpread, lowest_coded: bool = True) -> str:
    """The sentence that keeps a disputed toll visible, as ACLED notes a dispute.

    `lowest_coded` is False once an analyst has set the figure, which then need not be the lowest.
    """
    if not spread.disputed:
        return ""
    by_outlet = ", ".join(f"{f.fatalities} ({f.source})" for f in spread.figures if f.stated)
    tail = "; the lowest is coded." if lowest_coded else "."
    return f"Reported fatalities range from {spread.low} to {spread.high} [{by_outlet}]{tail}"


def merge_reports(reports: Sequence[Event], cluster_id: str, describe: Describe | None = None) -> Event:
    """The event that `reports` (in storage order, at least one) describe, with id `cluster_id`.

    One report is returned as it is (renamed to the cluster id if need be). `describe`
    writes the English notes of a record (the extractor's own template); when it is given
    and the tolls differ from the lead report's, the notes are written anew.
    """
    if not reports:
        raise ValueError("merge_reports needs at least one report")
    if len(reports) == 1:
        only = reports[0]
        return only if only.event_id == cluster_id else only.model_copy(update={"event_id": cluster_id})
    lead = lead_report(reports)
    spread = fatality_spread(reports)
    if spread.low is not None:
        fatalities, known = spread.low, True
    else:
        fatalities, known = 0, all(r.fatalities_known for r in reports)
    update: dict[str, Any] = {
        "event_id": cluster_id,
        "fatalities": fatalities,
        "fatalities_known": known,
        "injured": _lowest_stated([r.injured for r in reports]),
        "arrested": _lowest_stated([r.arrested for r in reports]),
        "abducted": _lowest_stated([r.abducted for r in reports]),
        "source": "; ".join(_unique([outlet(r) for r in reports])),
        "sources": _unique([s for r in reports for s in (r.sources or [r.article_id])]),
        "confidence": max(r.confidence for r in reports),
    }
    merged = lead.model_copy(update=update)
    tolls = ("fatalities", "fatalities_known", "injured", "arrested", "abducted")
    notes = lead.notes
    if describe is not None and any(getattr(merged, f) != getattr(lead, f) for f in tolls):
        notes = describe(merged) or notes
    extra = spread_note(spread)
    return merged.model_copy(update={"notes": f"{notes} {extra}".strip() if extra else notes})
