"""`rasd ingest`, `rasd events` and `rasd export`: filling and querying the event store.

The commands are thin: reading is `rasd.io`, extraction is `rasd.api.extract_article`,
storage is `rasd.store`, writing is `rasd.formats`. Exit status follows CLI.md: 0 all
read, 1 some inputs could not be read or stored, 2 usage error.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from rasd import api
from rasd.errors import StoreError, UsageError
from rasd.formats import FORMATS, open_output, write_events
from rasd.io import InputProblem, iter_articles
from rasd.model import Article, Event
from rasd.store import EventDetail, MergeDecision, Store, open_store

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EVENTS_FORMATS = FORMATS
EXPORT_FORMATS = ("acled-csv", "jsonl", "geojson", "plover")
_CONTEXT_CHARS = 40


def parse_date_option(value: str | None, flag: str) -> date | None:
    """The date of a `YYYY-MM-DD` option value; UsageError (exit 2) naming flag and value otherwise.

    Parsed after argparse rather than as an argparse `type`, so that the error goes through
    rasd's own UsageError path (and library callers get an exception, not a SystemExit).
    """
    if value is None:
        return None
    text = value.strip()
    if _DATE_RE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise UsageError(f"{flag} {value!r}: not a valid date (expected YYYY-MM-DD)")


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


# --------------------------------------------------------------------------- ingest


@dataclass
class IngestTally:
    """What one `ingest` run did, for its summary line and its exit status."""

    read: int = 0
    new: int = 0
    already: int = 0
    events: int = 0
    merged: int = 0
    reextracted: int = 0
    unreadable: int = 0
    failed: int = 0

    def summary(self) -> str:
        text = (
            f"{_plural(self.read, 'article')} read, {self.new} new, {self.already} already stored, "
            f"{_plural(self.events, 'event')} stored"
        )
        if self.merged:
            text += f" ({self.merged} merged with reports from other articles)"
        if self.reextracted:
            text += f", {_plural(self.reextracted, 'article')} re-extracted"
        problems = []
        if self.unreadable:
            problems.append(f"{_plural(self.unreadable, 'input')} could not be read")
        if self.failed:
            problems.append(f"{_plural(self.failed, 'article')} could not be extracted or stored")
        return "; ".join([text, *problems])

    @property
    def status(self) -> int:
        return 1 if self.unreadable or self.failed else 0


def _articles_to_extract(
    items: Iterable[Article | InputProblem], store: Store, tally: IngestTally, err: TextIO, again: bool = False
) -> Iterator[Article]:
    """Readable articles whose text is not stored yet (no need to run the extractor on them);
    with `again`, stored ones too (their reports are replaced by the new extraction)."""
    for item in items:
        if isinstance(item, InputProblem):
            tally.unreadable += 1
            print(f"rasd: {item}", file=err)
            continue
        tally.read += 1
        if not again and store.has_article(item.text):
            tally.already += 1
            continue
        yield item


def extract_all(
    articles: Iterable[Article], workers: int = 1
) -> Iterator[tuple[Article, list[Event] | BaseException]]:
    """(article, its events or the exception raised on it), in input order.

    Extraction runs through `rasd.batch`: in this process, or with several workers in a
    process pool over a bounded window of chunks, so memory stays flat however long the input.
    """
    from rasd.batch import make_engine, run_batch

    extract = api.extract_article  # looked up now, so tests can monkeypatch rasd.api
    with make_engine("local", workers) as engine:
        for outcome in run_batch(articles, engine, extract):
            yield outcome.item, (outcome.error if outcome.error is not None else outcome.events)  # type: ignore[misc]


def run_ingest(args: argparse.Namespace) -> int:
    """Read, extract and store every input; report problems and a summary on stderr."""
    published = parse_date_option(args.published, "--published")
    if args.workers < 1:
        raise UsageError(f"--workers {args.workers}: must be at least 1")
    err = sys.stderr
    tally = IngestTally()
    with open_store(args.db) as store:
        pending = _articles_to_extract(iter_articles(args.paths, published), store, tally, err, args.reextract)
        for article, outcome in extract_all(pending, args.workers):
            if isinstance(outcome, BaseException):
                tally.failed += 1
                print(f"rasd: {article.id}: extraction failed ({type(outcome).__name__}: {outcome})", file=err)
                continue
            try:
                if args.reextract and store.has_article(article.text):
                    result = store.reextract(article, outcome)
                    tally.reextracted += 1
                else:
                    result = store.add(article, outcome)
                    tally.new += result.stored
            except StoreError as exc:
                tally.failed += 1
                print(f"rasd: {exc}", file=err)
                continue
            if result.stored:
                tally.events += len(outcome)
                tally.merged += result.merged
            else:
                tally.already += 1
    if not args.quiet:
        print(f"rasd: {tally.summary()}", file=err)
    return tally.status


# --------------------------------------------------------------------------- events / export


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    """Store.events keyword arguments from the shared filter flags."""
    since = parse_date_option(args.since, "--since")
    until = parse_date_option(args.until, "--until")
    if since and until and since > until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    return {
        "since": since,
        "until": until,
        "country": args.country,
        "admin1": args.admin1,
        "event_type": args.type,
        "actor": args.actor,
    }


def _format_value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "/".join(str(v) for v in value.values() if v is not None)
    return str(value)


def _evidence_context(text: str | None, start: int, end: int, quoted: str) -> str | None:
    """The evidence with some text around it, when the offsets fit the stored article."""
    if text is None or not (0 <= start <= end <= len(text)):
        return None
    if text[start:end] != quoted:
        return "(offsets do not match the stored article text)"
    left = " ".join(text[max(0, start - _CONTEXT_CHARS):start].split())
    right = " ".join(text[end:end + _CONTEXT_CHARS].split())
    return f"\u2026{left} [{text[start:end]}] {right}\u2026"


def _write_fields(event: Event, out: TextIO) -> None:
    record = event.to_json_dict()
    record.pop("evidence", None)
    shown = {k: v for k, v in record.items() if v not in (None, "", [], {})}
    width = max(len(k) for k in shown)
    for key, value in shown.items():
        out.write(f"{key:<{width}}  {_format_value(value)}\n")


def _write_evidence(event: Event, article: Article | None, out: TextIO, indent: str) -> None:
    if not event.evidence:
        out.write(f"{indent}(none)\n")
    text = article.text if article else None
    field_width = max((len(e.field) for e in event.evidence), default=0)
    for item in event.evidence:
        out.write(f"{indent}{item.field:<{field_width}}  [{item.start}:{item.end}]  {item.text}\n")
        context = _evidence_context(text, item.start, item.end, item.text)
        if context:
            out.write(f"{indent}{'':<{field_width}}  {context}\n")
    if article is None:
        out.write(f"{indent}(article {event.article_id} is not in the store; no context shown)\n")


def _checks_text(pairing: dict[str, Any]) -> str:
    return "; ".join(f"{c['name']}: {c['detail']}" for c in pairing.get("checks", []))


def _write_decision(decision: MergeDecision, out: TextIO) -> None:
    detail = decision.detail
    if decision.decision == "inherited":
        out.write(f"  {decision.report_id}: re-extracted, took over the event of its earlier version "
                  f"{detail.get('inherited_from')} ({_checks_text(detail)})\n")
        return
    if decision.decision == "founded":
        out.write(f"  {decision.report_id}: founded the event (no earlier event matched)\n")
    else:
        out.write(f"  {decision.report_id}: joined; the same event as every report already in it:\n")
        for pairing in detail.get("matched", []):
            out.write(f"    vs {pairing['report']} ({pairing['article']}): {_checks_text(pairing)}\n")
    for pairing in detail.get("kept_apart", []):
        failed = [c for c in pairing.get("checks", []) if not c["ok"]]
        reasons = "; ".join(f"{c['name']}: {c['detail']}" for c in failed)
        out.write(f"    kept apart from event {pairing['cluster']} ({pairing['report']}): {reasons}\n")


def explain(detail: EventDetail, articles: dict[str, Article | None], out: TextIO) -> None:
    """A human-readable account of one event: its fields, its review, each report, why the
    reports were merged (and which look-alikes were kept apart), and every piece of evidence
    in its article's context. `articles` maps article ids to the stored articles."""
    event = detail.event
    if detail.requested_id and detail.requested_id != event.event_id:
        out.write(f"(report {detail.requested_id} is part of event {event.event_id})\n")
    _write_fields(event, out)
    out.write(f"\nreview: {detail.review}")
    if detail.orphaned:
        out.write(" (no reports left: its article was re-extracted)")
    if detail.edits:
        out.write(f"; edited: {', '.join(sorted(detail.edits))}")
    out.write("\n")
    for entry in detail.history:
        changed = ", ".join(f"{k} {v['from']!r} -> {v['to']!r}" for k, v in entry.changes.items())
        line = f"  {entry.reviewed_at}  {entry.action} by {entry.reviewer}"
        out.write(line + (f": {changed}" if changed else "") + (f" ({entry.note})" if entry.note else "") + "\n")
    out.write(f"\nreports ({len(detail.reports)}):\n")
    for report in detail.reports:
        r = report.event
        toll = str(r.fatalities) if r.fatalities_known else "?"
        out.write(
            f"  {r.event_id}  article {report.article_id}"
            f" ({report.source or 'no source'}, published {report.published or '?'}):"
            f" {r.event_date or '?'}, {r.sub_event_type}, {r.location or '?'}, dead {toll}\n"
        )
    spread = detail.spread
    if spread.disputed:
        out.write(f"fatalities: reports give {spread.low} to {spread.high}; coded {event.fatalities}, the lowest\n")
    if len(detail.reports) > 1 or any(d.detail.get("kept_apart") for d in detail.decisions):
        rules = sorted({d.rules for d in detail.decisions})
        out.write(f"\nwhy these reports are one event ({', '.join(rules)}):\n")
        for decision in detail.decisions:
            _write_decision(decision, out)
    out.write("\nevidence:\n")
    for report in detail.reports:
        if len(detail.reports) > 1:
            out.write(f"  report {report.event.event_id} (article {report.article_id}):\n")
        indent = "    " if len(detail.reports) > 1 else "  "
        _write_evidence(report.event, articles.get(report.event.article_id), out, indent)
    if not detail.reports:
        _write_evidence(event, articles.get(event.article_id), out, "  ")


def run_events(args: argparse.Namespace) -> int:
    """Query stored events (or explain one) and write them to standard output."""
    filters = _filters(args)
    if args.limit is not None and args.limit < 0:
        raise UsageError(f"--limit {args.limit}: must not be negative")
    with open_store(args.db) as store:
        if args.explain:
            detail = store.event_detail(args.explain)
            if detail is None:
                print(f"rasd: error: no event with id {args.explain!r} in {store.location}", file=sys.stderr)
                return 1
            ids = {r.event.article_id for r in detail.reports} | {detail.event.article_id}
            explain(detail, {aid: store.article(aid) for aid in sorted(ids)}, sys.stdout)
            return 0
        write_events(store.events(**filters, limit=args.limit), args.format, sys.stdout)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write stored events to a file (atomically) or standard output."""
    filters = _filters(args)
    with open_store(args.db) as store, open_output(args.output) as out:
        count = write_events(store.events(**filters), args.format, out)
    if args.output and args.output != "-":
        print(f"{_plural(count, 'event')} written to {args.output}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- parsers


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="FILE",
        help="event database: an SQLite file, or a postgresql://USER@HOST/DB URL (needs the postgres"
        " extra) (default: $RASD_DB, else rasd.db in the working directory)",
    )


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this date")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this date")
    parser.add_argument("--country", metavar="C", help="country name, e.g. Syria (any case)")
    parser.add_argument("--admin1", metavar="A", help="first-level region, e.g. 'Deir ez Zor'")
    parser.add_argument("--type", metavar="T", help="ACLED event type or sub-type (any case)")
    parser.add_argument("--actor", metavar="A", help="part of an actor's name (any case), e.g. 'Islamic State'")


def register(subparsers: Any) -> None:
    """Add the `ingest`, `events` and `export` commands to the rasd parser."""
    formatter = argparse.RawDescriptionHelpFormatter

    ingest = subparsers.add_parser(
        "ingest",
        help="extract events from articles and store them",
        description=(
            "Read articles, extract their events and store both in the event database.\n"
            "Articles whose text is already stored are skipped, so re-running is safe.\n"
            "Each report is merged with the reports of the same event from other articles\n"
            "(same event family, date window, place and actors); `rasd events --explain ID` says why."
        ),
        epilog=(
            "Inputs: .txt, .html, .json, .jsonl, .jsonl.gz files, folders (recursive), '-' for stdin.\n"
            "Example:\n  rasd ingest news/ feed.jsonl.gz --db events.db --published 2018-08-09"
        ),
        formatter_class=formatter,
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, or '-' for standard input")
    _add_db(ingest)
    ingest.add_argument("--published", metavar="YYYY-MM-DD", help="date of articles that carry none of their own")
    ingest.add_argument("--workers", type=int, default=1, metavar="N", help="extraction processes (default 1)")
    ingest.add_argument(
        "--reextract", action="store_true",
        help="extract stored articles again and replace their reports (after an extractor upgrade);"
        " events keep their ids and reviews",
    )
    ingest.add_argument("--quiet", action="store_true", help="no summary (problems are still reported)")
    ingest.set_defaults(run=run_ingest)

    events = subparsers.add_parser(
        "events",
        help="list stored events",
        description="List stored events matching every filter given, by date; or explain one event.",
        epilog=(
            "Examples:\n"
            "  rasd events --country Syria --since 2018-08-01 --type 'Air/drone strike' --format table\n"
            "  rasd events --explain 3f9c2a1be07d   (its reports, why they were merged, evidence)"
        ),
        formatter_class=formatter,
    )
    _add_db(events)
    _add_filters(events)
    events.add_argument("--format", choices=EVENTS_FORMATS, default="jsonl", help="output format (default jsonl)")
    events.add_argument("--limit", type=int, metavar="N", help="at most N events")
    events.add_argument(
        "--explain", metavar="ID",
        help="show one event (or the event a report id belongs to): fields, review, reports, why they"
        " were merged, evidence",
    )
    events.set_defaults(run=run_events)

    export = subparsers.add_parser(
        "export",
        help="write stored events as ACLED CSV, JSON Lines, GeoJSON or PLOVER",
        description=(
            "Write stored events (optionally filtered) in an exchange format.\n"
            "acled-csv has exactly ACLED's 31 columns; geojson holds events with coordinates."
        ),
        epilog="Example:\n  rasd export --format acled-csv --output syria.csv --country Syria",
        formatter_class=formatter,
    )
    _add_db(export)
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True, help="output format")
    export.add_argument("--output", metavar="FILE", help="file to write (default: standard output)")
    _add_filters(export)
    export.set_defaults(run=run_export)
