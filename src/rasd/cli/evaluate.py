"""`rasd evaluate`: score the extractor (or saved events) against a gold file.

A thin shell over rasd.evaluate: load the gold, obtain system events, score, print a table or
JSON. Exit 0 whenever scoring ran, whatever the score, so that scripts can read the figures;
gold problems surface as GoldError (exit 1) and bad paths as UsageError (exit 2).
"""

from __future__ import annotations

import argparse
import json
from itertools import groupby
from pathlib import Path
from typing import Any

from rasd.errors import UsageError
from rasd.evaluate import Detection, Report, extract_gold, load_gold, read_events, score

_DESCRIPTION = """\
Score events against a gold file (EVENT_SCHEMA.md sections 2 and 3).

Runs the extractor on each gold article (its `text`, or its `text_ref` looked up in
--corpus) with the article's `published` date, or scores events saved earlier (--events).
Prints detection precision/recall/F1 (also with event type ignored), field accuracy on
paired events, not-event quotes hit, and the missed, spurious and mismatched events with
their evidence. Exit status: 0 scored, 1 a gold problem, 2 a usage error."""

_EPILOG = """\
Examples:
  rasd evaluate gold.jsonl
  rasd evaluate gold.jsonl --corpus corpus.jsonl.gz --json > report.json
  rasd extract corpus.jsonl > events.jsonl && rasd evaluate gold.jsonl --events events.jsonl"""

_TEXT_WIDTH = 160


def register(subparsers: Any) -> None:
    """Add the `evaluate` command to the `rasd` parser."""
    parser = subparsers.add_parser(
        "evaluate",
        help="score events against a gold file",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("gold", metavar="GOLD", help="gold file: JSON Lines, or JSON holding one article or a list")
    parser.add_argument("--corpus", metavar="FILE", help="JSON Lines (.jsonl or .jsonl.gz) resolving `text_ref`")
    parser.add_argument("--events", metavar="FILE", help="score these JSON Lines events instead of extracting")
    parser.add_argument("--json", action="store_true", help="write every figure and list as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, score and print; returns the exit status."""
    for option, value in (("GOLD", args.gold), ("--corpus", args.corpus), ("--events", args.events)):
        if value is not None and not Path(value).is_file():
            raise UsageError(f"{option}: no such file: {value}")
    gold = load_gold(args.gold, args.corpus)
    events = read_events(args.events) if args.events else extract_gold(gold)
    unknown = sorted(set(events) - {a.id for a in gold})
    report = score(gold, events)
    if args.json:
        data = report.to_dict()
        data["unknown_articles"] = unknown
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_table(report, unknown))
    return 0


def render_table(report: Report, unknown_articles: list[str] | None = None) -> str:
    """The human report: figures first, then why (missed, spurious, mismatched, not-events)."""
    lines = ["Detection            gold  system  excluded  paired  precision  recall     f1"]
    lines.append(_detection_row("events", report.detection))
    lines.append(_detection_row("any type", report.any_type))
    lines += ["", "Field accuracy on paired events"]
    for name, tally in report.fields.items():
        accuracy = f"{tally.accuracy:.3f}" if tally.accuracy is not None else "  n/a"
        lines.append(f"  {name:<20} {tally.correct:>4}/{tally.total:<4} {accuracy}")
    lines += ["", f"Not-event quotes hit: {report.not_events_hit}"]
    if len(report.articles) > 1:
        lines += ["", "Per article          gold  system  excluded  paired  precision  recall     f1"]
        lines += [_detection_row(a.article_id, a.detection) for a in report.articles]
    lines += _section(report, "missed", "Missed gold events", _missed_lines)
    lines += _section(report, "spurious", "Spurious system events", _spurious_lines)
    lines += _mismatch_section(report.collect("mismatches"))
    lines += _section(report, "not_event_hits", "Not-event quotes hit", _not_event_lines)
    lines += _section(report, "warnings", "Warnings", lambda w: [f"  {w}"])
    if unknown_articles:
        lines += ["", f"Events of articles not in the gold (ignored): {', '.join(unknown_articles)}"]
    return "\n".join(lines)


def _detection_row(label: str, d: Detection) -> str:
    return (f"{_cut(label, 20):<20} {d.gold:>5} {d.system:>7} {d.excluded:>9} {d.paired:>7}"
            f" {d.precision:>10.3f} {d.recall:>7.3f} {d.f1:>6.3f}")


def _section(report: Report, name: str, title: str, render: Any) -> list[str]:
    items = report.collect(name)
    if not items:
        return []
    out = ["", f"{title} ({len(items)})"]
    for item in items:
        out += render(item)
    return out


def _event_line(item: dict[str, Any]) -> str:
    actors = " vs ".join(item["actors"]) or "-"
    return (f"{item['event_type']} / {item['sub_event_type']}, {item['event_date'] or '-'},"
            f" {item['place'] or '-'}, {actors}")


def _missed_lines(item: dict[str, Any]) -> list[str]:
    return [f"  [{item['article_id']}] gold #{item['gold_index'] + 1}: {_event_line(item)}",
            f"      why: {item['reason']}", f"      evidence: {_cut(item['evidence'])}"]


def _spurious_lines(item: dict[str, Any]) -> list[str]:
    out = [f"  [{item['article_id']}] {item['event_id']}: {_event_line(item)}",
           f"      why: {item['reason']}",
           f"      trigger: {item['trigger'] or '-'}; evidence: {_cut(item['evidence'])}"]
    out += [f"      inside not-event quote: {_cut(q)}" for q in item["not_event_quotes"]]
    return out


def _mismatch_section(items: list[dict[str, Any]]) -> list[str]:
    """Mismatches grouped by pair, so that each pair's evidence is shown once."""
    if not items:
        return []
    out = ["", f"Mismatched fields of paired events ({len(items)})"]
    for (article_id, gold_index, event_id), group in groupby(
        items, key=lambda m: (m["article_id"], m["gold_index"], m["event_id"])
    ):
        fields = list(group)
        out.append(f"  [{article_id}] gold #{gold_index + 1} ~ {event_id}:")
        out += [f"      {m['field']}: gold {m['gold']!r}, system {m['system']!r}" for m in fields]
        gold_evidence, system_evidence = fields[0]["gold_evidence"], fields[0]["system_evidence"]
        out.append(f"      gold evidence: {_cut(gold_evidence)}")
        if system_evidence != gold_evidence:
            out.append(f"      system evidence: {_cut(system_evidence)}")
    return out


def _not_event_lines(item: dict[str, Any]) -> list[str]:
    return [f"  [{item['article_id']}] {item['event_id']} ({item['event_type']}),"
            f" evidence {', '.join(item['evidence_fields'])} inside: {_cut(item['quote'])}"]


def _cut(text: str | None, width: int = _TEXT_WIDTH) -> str:
    if not text:
        return "-"
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"
