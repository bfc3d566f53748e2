"""Whether two reports describe the same event: the pairwise rules of de-duplication.

Every rule is a `Check` with a verdict and a sentence saying why, so that a merge (or a
refusal to merge) can be explained to an analyst word for word (`rasd events --explain`).
Two reports are the same event only when every check passes; the `score` only ranks
several clusters that a report could join.

The rules (RULES_VERSION "rules-v1"):

- article: reports from one article are never merged here; the extractor already decided
  that they are different events (it merges repeated mentions within an article itself).
- family: the same ACLED event type (Protests and Riots count as one family, since a
  protest that turns violent is reported both ways). For Explosions/Remote violence and
  Strategic developments the sub-type must match too: there it names the weapon or the act
  (an air strike and an IED in one town on one day are two events).
- date: the ACLED date windows overlap: an exact day (time_precision 1) is that day only,
  precision 2 is three days either side, precision 3 the whole month. So two strikes on one
  town on different days stay apart, but "early this week" can meet "on Tuesday".
- place: same country, and the coordinates within NEAR_KM, or the same location name, or
  the same admin2 when at least one report places the event only approximately
  (geo_precision 2 or 3: "near X", "in the countryside of Y").
- actors: the named principal actors of one report all appear among the actors of the
  other. Unidentified armed groups name nobody and are left out. This lets one outlet omit
  the victim or swap attacker and defender in a clash, but keeps apart two attacks by one
  group on two different enemies.
"""

from __future__ import annotations

import math
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rasd.model import Event

RULES_VERSION = "rules-v1"
NEAR_KM = 5.0
WEEK_HALF_SPAN = 3
EARTH_RADIUS_KM = 6371.0

# Event types whose sub-type names a distinct act (weapon, arrest, agreement ...).
SUB_TYPE_MATTERS = frozenset({"explosions/remote violence", "strategic developments"})
_FAMILIES = {"protests": "demonstrations", "riots": "demonstrations"}
_PERIOD_SUFFIX = re.compile(r"\s*\(\d{4}-(\d{4})?\)$")
_UNNAMED_PREFIXES = ("unidentified",)


@dataclass(frozen=True)
class Check:
    """One rule applied to a pair of reports: its name, verdict and the reason in words."""

    name: str
    ok: bool
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass(frozen=True)
class Comparison:
    """Every check on a pair; the pair is one event when all pass. `score` ranks matches."""

    checks: tuple[Check, ...]
    score: int

    @property
    def same(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.ok)

    def to_json(self) -> dict[str, Any]:
        return {"same": self.same, "score": self.score, "checks": [c.to_json() for c in self.checks]}


# --------------------------------------------------------------------------- helpers


def family(event: Event) -> str:
    """The family a report belongs to: its event type, with Protests and Riots as one."""
    kind = event.event_type.casefold()
    return _FAMILIES.get(kind, kind)


def date_window(event: Event) -> tuple[date, date] | None:
    """The days an event may have happened on, from its date and ACLED time_precision."""
    day = event.event_date
    if day is None:
        return None
    if event.time_precision == 2:
        return day - timedelta(days=WEEK_HALF_SPAN), day + timedelta(days=WEEK_HALF_SPAN)
    if event.time_precision == 3:
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    return day, day


def distance_km(a: Event, b: Event) -> float | None:
    """Great-circle distance between two located reports (haversine), None if either is unplaced."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def actor_key(name: str) -> str:
    """An actor name compared across outlets: no ACLED period suffix, case-folded."""
    return _PERIOD_SUFFIX.sub("", name).strip().casefold()


def _named(name: str | None) -> str | None:
    if not name:
        return None
    key = actor_key(name)
    return None if key.startswith(_UNNAMED_PREFIXES) else key


def principal_actors(event: Event) -> frozenset[str]:
    """The named actor1 and actor2 of a report (unidentified groups name nobody)."""
    return frozenset(k for k in (_named(event.actor1), _named(event.actor2)) if k)


def all_actors(event: Event) -> frozenset[str]:
    """Every named actor of a report, associated actors included."""
    names = [event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2]
    return frozenset(k for k in map(_named, names) if k)


def _same_text(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


def _day_text(event: Event) -> str:
    if event.event_date is None:
        return "no date"
    precision = {1: "exact day", 2: "within a week", 3: "month only"}.get(event.time_precision, "?")
    return f"{event.event_date.isoformat()} ({precision})"


def _place_text(event: Event) -> str:
    return event.location or event.admin2 or event.admin1 or event.country or "no place"


# --------------------------------------------------------------------------- checks


def check_article(a: Event, b: Event) -> Check:
    if a.article_id == b.article_id:
        return Check("article", False, f"both from article {a.article_id}: the extractor already told them apart")
    return Check("article", True, f"different articles ({a.article_id}, {b.article_id})")


def check_family(a: Event, b: Event) -> Check:
    if family(a) != family(b):
        return Check("family", False, f"different event types ({a.event_type} / {b.event_type})")
    if family(a) in SUB_TYPE_MATTERS and a.sub_event_type.casefold() != b.sub_event_type.casefold():
        return Check("family", False, f"different acts ({a.sub_event_type} / {b.sub_event_type})")
    if a.sub_event_type.casefold() == b.sub_event_type.casefold():
        return Check("family", True, f"same sub-type ({a.sub_event_type})")
    return Check("family", True, f"same event type ({a.event_type}: {a.sub_event_type} / {b.sub_event_type})")


def check_date(a: Event, b: Event) -> Check:
    wa, wb = date_window(a), date_window(b)
    if wa is None or wb is None:
        return Check("date", False, f"undated report ({_day_text(a)} / {_day_text(b)})")
    if a.event_date == b.event_date and a.time_precision == b.time_precision:
        return Check("date", True, f"same date ({_day_text(a)})")
    if wa[0] <= wb[1] and wb[0] <= wa[1]:
        return Check("date", True, f"date windows overlap ({_day_text(a)} / {_day_text(b)})")
    return Check("date", False, f"different dates ({_day_text(a)} / {_day_text(b)})")


def check_place(a: Event, b: Event) -> Check:
    if a.country and b.country and not _same_text(a.country, b.country):
        return Check("place", False, f"different countries ({a.country} / {b.country})")
    km = distance_km(a, b)
    if km is not None and km <= NEAR_KM:
        return Check("place", True, f"{km:.1f} km apart ({_place_text(a)} / {_place_text(b)})")
    if km is None and _same_text(a.location, b.location):
        return Check("place", True, f"same place name ({a.location})")
    approximate = (a.geo_precision or 3) >= 2 or (b.geo_precision or 3) >= 2
    if _same_text(a.admin2, b.admin2) and _same_text(a.admin1, b.admin1) and approximate:
        return Check("place", True, f"same district ({a.admin2}), one place only approximate")
    where = f"{km:.1f} km apart" if km is not None else "different places"
    return Check("place", False, f"{where} ({_place_text(a)} / {_place_text(b)})")


def check_actors(a: Event, b: Event) -> Check:
    pa, pb = principal_actors(a), principal_actors(b)
    if pa <= all_actors(b) or pb <= all_actors(a):
        shared = sorted(pa & pb)
        if shared:
            return Check("actors", True, f"compatible actors (shared: {', '.join(shared)})")
        return Check("actors", True, "compatible actors (one report names none the other lacks)")
    return Check("actors", False, f"different actors ({', '.join(sorted(pa))} / {', '.join(sorted(pb))})")


def _score(a: Event, b: Event) -> int:
    """How closely two matching reports agree; only ranks the clusters a report could join."""
    score = 0
    if a.sub_event_type.casefold() == b.sub_event_type.casefold():
        score += 3
    if a.event_date == b.event_date:
        score += 2
    if _same_text(a.location, b.location):
        score += 2
    km = distance_km(a, b)
    if km is not None and km <= 1.0:
        score += 1
    score += len(principal_actors(a) & principal_actors(b))
    return score


def compare(a: Event, b: Event) -> Comparison:
    """Apply every rule to a pair of reports (all of them, so the explanation is complete)."""
    checks = (check_article(a, b), check_family(a, b), check_date(a, b), check_place(a, b), check_actors(a, b))
    return Comparison(checks, _score(a, b) if all(c.ok for c in checks) else 0)


def compare_versions(old: Event, new: Event) -> Comparison:
    """Whether a re-extracted report is the same event as the article's earlier report.

    Used when an article is extracted again: the same rules except the article rule.
    """
    checks = (check_family(old, new), check_date(old, new), check_place(old, new), check_actors(old, new))
    return Comparison(checks, _score(old, new) if all(c.ok for c in checks) else 0)
