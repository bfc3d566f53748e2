"""`rasd extract`: articles in, events out (JSON Lines by default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from typing import TextIO

from rasd.errors import UsageError

_FORMATS = ("jsonl", "csv", "table", "geojson")

_EPILOG = """examples:
  rasd extract article.txt --published 2018-08-09
  rasd extract articles.jsonl.gz --format csv --output events.csv
  cat article.txt | rasd extract - --format table
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "extract",
        help="extract events from articles and print them",
        description="Read Arabic news articles (.txt, .html, .jsonl, .jsonl.gz, folders or standard "
        "input) and write the events they report, one JSON object per line unless --format says otherwise.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="input files or folders; '-' or none reads standard input")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for articles that carry none")
    parser.add_argument("--format", default="jsonl", choices=_FORMATS, help="output format (default: jsonl)")
    parser.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    parser.add_argument("--engine", default="local", choices=("local", "dask"), help="execution engine (default: local)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler address (with --engine dask)")
    parser.add_argument("--quiet", action="store_true", help="no progress or summary on standard error")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rasd.api import extract_article
    from rasd.cli.store import parse_date_option
    from rasd.formats import write_events
    from rasd.io import InputProblem, iter_articles

    published = parse_date_option(args.published, "--published")
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, not {args.workers}")
    if args.engine != "local" or args.workers != 1:
        raise UsageError("--workers above 1 and --engine dask are not available yet in this version")
    problems = 0

    def events() -> Iterator:  # type: ignore[type-arg]
        nonlocal problems
        for item in iter_articles(args.paths or ["-"], published):
            if isinstance(item, InputProblem):
                problems += 1
                print(f"rasd: {item}", file=sys.stderr)
                continue
            yield from extract_article(item)

    with _open_output(args.output) as out:
        count = write_events(events(), args.format, out)
    if not args.quiet:
        print(f"rasd: {count} events" + (f"; {problems} inputs could not be read" if problems else ""), file=sys.stderr)
    return 1 if problems else 0


def _open_output(path: str | None) -> nullcontext[TextIO] | TextIO:
    if path is None or path == "-":
        return nullcontext(sys.stdout)
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc
