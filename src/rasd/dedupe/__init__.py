"""Cross-article de-duplication: many reports of one event become one event.

`compare` holds the pairwise rules (each one explained in words), `resolve` places a new
report among existing clusters (incremental, complete linkage, deterministic), `merge`
codes the merged event from its reports (ACLED's conservative fatalities, spread kept).
The store calls these as articles are ingested; they depend on `rasd.model` only.
"""

from __future__ import annotations

from rasd.dedupe.compare import RULES_VERSION, Check, Comparison, compare, compare_versions
from rasd.dedupe.merge import FatalitySpread, fatality_spread, lead_report, merge_reports, outlet
from rasd.dedupe.resolve import Candidate, Pairing, Placement, place

__all__ = [
    "RULES_VERSION",
    "Candidate",
    "Check",
    "Comparison",
    "FatalitySpread",
    "Pairing",
    "Placement",
    "compare",
    "compare_versions",
    "fatality_spread",
    "lead_report",
    "merge_reports",
    "outlet",
    "place",
]
