"""Incremental clustering: where one new report goes, given the clusters it could join.

Reports arrive one article at a time. A new report joins an existing cluster only when it
is the same event as *every* report already in it (complete linkage): one loose match
cannot chain a strike on Monday to a strike on Wednesday through a vague report in
between. Among the clusters it could join it takes the one it agrees with best (the lowest
pairwise score in the cluster, so the weakest link decides), and on a tie the cluster
founded first. Nothing here depends on the clock or on dictionary order, so the same
reports in the same order always give the same clusters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rasd.dedupe.compare import RULES_VERSION, Comparison, compare
from rasd.model import Event

MAX_NEAR_MISSES = 5
# A cluster counts as a look-alike worth explaining when at most this many checks failed.
NEAR_MISS_FAILURES = 2


@dataclass(frozen=True)
class Candidate:
    """An existing cluster that a report might join, with its reports in storage order."""

    cluster_id: str
    order: int  # position of the cluster in founding order (ties go to the lowest)
    members: tuple[Event, ...]


@dataclass(frozen=True)
class Pairing:
    """A report compared with one member of a candidate cluster."""

    cluster_id: str
    member_id: str
    member_article: str
    comparison: Comparison

    def to_json(self) -> dict[str, Any]:
        return {"cluster": self.cluster_id, "report": self.member_id, "article": self.member_article,
                **self.comparison.to_json()}


@dataclass(frozen=True)
class Placement:
    """Where a report went and why: the cluster (None: it founds a new one), the comparisons
    with every member of that cluster, and the look-alike clusters it was kept apart from
    (those that failed at most NEAR_MISS_FAILURES checks)."""

    cluster_id: str | None
    matched: tuple[Pairing, ...] = ()
    near_misses: tuple[Pairing, ...] = field(default=())
    rules: str = RULES_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "matched": [p.to_json() for p in self.matched],
            "kept_apart": [p.to_json() for p in self.near_misses],
        }


def _pairings(report: Event, candidate: Candidate) -> list[Pairing]:
    return [Pairing(candidate.cluster_id, m.event_id, m.article_id, compare(m, report)) for m in candidate.members]


def place(report: Event, candidates: Sequence[Candidate]) -> Placement:
    """The cluster `report` belongs to among `candidates` (see the module docstring)."""
    best: tuple[int, int] | None = None
    chosen: list[Pairing] = []
    misses: list[Pairing] = []
    for candidate in sorted(candidates, key=lambda c: c.order):
        if not candidate.members:
            continue
        pairings = _pairings(report, candidate)
        failing = [p for p in pairings if not p.comparison.same]
        if failing:
            # The member it disagrees with least explains best why the cluster was not joined.
            closest = min(failing, key=lambda p: len(p.comparison.failed))
            if len(closest.comparison.failed) <= NEAR_MISS_FAILURES:
                misses.append(closest)
            continue
        key = (-min(p.comparison.score for p in pairings), candidate.order)
        if best is None or key < best:
            best, chosen = key, pairings
    misses.sort(key=lambda p: len(p.comparison.failed))
    return Placement(
        cluster_id=chosen[0].cluster_id if chosen else None,
        matched=tuple(chosen),
        near_misses=tuple(misses[:MAX_NEAR_MISSES]),
    )
