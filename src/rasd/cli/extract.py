"""`rasd extract`: articles in, events out (JSON Lines by default).

Extraction runs through `rasd.batch`: in this process (`--workers 1`), in a pool of worker
processes (`--workers N`) or on dask.distributed (`--engine dask`, a local cluster or
`--scheduler tcp://HOST:PORT`). Input and output stream, events come out in input order, and
the output is the same, byte for byte, whatever the engine and the number of workers.
"""

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
  rasd extract archive.jsonl.gz --workers 4 --output events.jsonl
  rasd extract archive.jsonl.gz --engine dask --scheduler tcp://10.0.0.5:8786 --output events.jsonl
  cat article.txt | rasd extract - --format table
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "extract",
        help="extract events from articles and print them",
        description="Read Arabic news articles (.txt, .html, .jsonl, .jsonl.gz, folders or standard "
        "input) and write the events they report, one JSON object per line unless --format says otherwise. "
        "Events come out in input order, the same whatever the engine and the number of workers.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="input files or folders; '-' or none reads standard input")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for articles that carry none")
    parser.add_argument("--format", default="jsonl", choices=_FORMATS, help="output format (default: jsonl)")
    parser.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (default: 1, this process); with --engine dask, the local cluster's size")
    parser.add_argument("--engine", default="local", choices=("local", "dask"),
                        help="local processes, or dask.distributed (needs: pip install 'rasd[dask]') (default: local)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --engine dask: an existing cluster's scheduler, e.g. tcp://10.0.0.5:8786 "
                        "(default: start a local cluster of --workers processes)")
    parser.add_argument("--quiet", action="store_true", help="no progress or summary on standard error")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rasd.batch import make_engine, run_batch
    from rasd.batch.progress import AboveTheBar, ProgressBar
    from rasd.cli.store import parse_date_option
    from rasd.formats import write_events
    from rasd.io import iter_articles

    published = parse_date_option(args.published, "--published")
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, not {args.workers}")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler is for --engine dask")
    paths = args.paths or ["-"]
    progress = ProgressBar(sys.stderr, paths) if not args.quiet and _isatty(sys.stderr) else None
    report = progress.write if progress else _print_err
    problems = failures = 0

    def events(engine: object) -> Iterator:  # type: ignore[type-arg]
        nonlocal problems, failures
        for outcome in run_batch(iter_articles(paths, published), engine):  # type: ignore[arg-type]
            if progress:
                progress.update()
            if outcome.problem is not None:
                problems += 1
                report(f"rasd: {outcome.problem}")
            elif outcome.error is not None:
                failures += 1
                error = outcome.error
                report(f"rasd: {outcome.item.id}: extraction failed ({type(error).__name__}: {error})")  # type: ignore[union-attr]
            else:
                yield from outcome.events

    with make_engine(args.engine, args.workers, args.scheduler) as engine, _open_output(args.output) as out:
        if progress and out is sys.stdout and _isatty(out):
            out = AboveTheBar(out, progress)  # type: ignore[assignment]
        stream = events(engine)
        try:
            count = write_events(stream, args.format, out)
        finally:
            stream.close()  # stop submitting work before the engine shuts down
    if progress:
        progress.close()
    if not args.quiet:
        summary = f"rasd: {count} events"
        if problems:
            summary += f"; {problems} inputs could not be read"
        if failures:
            summary += f"; {failures} articles could not be extracted"
        print(summary, file=sys.stderr)
    return 1 if problems or failures else 0


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def _print_err(message: str) -> None:
    print(message, file=sys.stderr)


def _open_output(path: str | None) -> nullcontext[TextIO] | TextIO:
    if path is None or path == "-":
        return nullcontext(sys.stdout)
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc
