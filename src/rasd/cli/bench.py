"""`rasd bench CORPUS`: how fast this machine extracts a corpus, against reading it alone.

Three timed passes over the same input:
1. the floor: read and decode every article (files, gzip, JSON) with no extraction;
2. start-up: load the lexicons and the gazetteer (once per process; left out of the rates);
3. extraction: read, extract and serialise every event as JSON Lines (written nowhere),
   on the engine and number of workers asked for, exactly as `rasd extract` runs.
Rates are per second of wall-clock time (the fastest of `--repeat` passes); MB are megabytes (10^6 bytes) of article text in
UTF-8. Peak memory is the process's maximum resident set size (and the largest worker's).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from typing import Any

from rasd.errors import UsageError

_EPILOG = """examples:
  rasd bench ant_v2.1_conflict_subset.jsonl.gz
  rasd bench archive.jsonl.gz --workers 2 --json
  rasd bench archive.jsonl.gz --limit 500
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "bench",
        help="measure extraction speed and memory on a corpus",
        description="Time reading a corpus alone (the floor), then reading and extracting it; print "
        "articles/s, MB/s, peak memory and the ratio of extraction to the floor.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("corpus", nargs="+", metavar="CORPUS", help="input files or folders (any rasd input)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    parser.add_argument("--engine", default="local", choices=("local", "dask"), help="execution engine (default: local)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler address (with --engine dask)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N articles")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for articles that carry none")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="time each pass N times and keep the fastest (steadier on a busy machine)")
    parser.set_defaults(run=run)


def _peak_mb(who: int) -> float:
    """Peak resident set size in MB (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(who).ru_maxrss
    return round(peak / (1e6 if sys.platform == "darwin" else 1e3), 1)


def _limited(items: Any, limit: int | None) -> Any:
    from rasd.model import Article

    read = 0
    for item in items:
        if limit is not None and read >= limit:
            return
        yield item
        if isinstance(item, Article):
            read += 1


def measure(paths: list[str], workers: int = 1, engine: str = "local", scheduler: str | None = None,
            limit: int | None = None, published: Any = None, repeat: int = 1) -> dict[str, Any]:
    """The figures `rasd bench` prints, as a dict."""
    from rasd import api
    from rasd.batch import make_engine, run_batch
    from rasd.io import InputProblem, iter_articles
    from rasd.model import Article

    # 1. The floor: reading and decoding alone.
    floor_s = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        articles = problems = text_bytes = 0
        for item in _limited(iter_articles(paths, published), limit):
            if isinstance(item, InputProblem):
                problems += 1
            else:
                articles += 1
                text_bytes += len(item.text.encode("utf-8"))
        floor_s = min(floor_s, time.perf_counter() - start)
    if not articles:
        raise UsageError(f"no readable article in {' '.join(paths)}")

    # 2. Start-up: knowledge loaded once per process (workers load their own).
    start = time.perf_counter()
    if workers == 1 and engine == "local":
        api.extract_article(Article(id="warm-up", text="\u0642\u062a\u0644 \u0634\u062e\u0635 \u0641\u064a \u062d\u0644\u0628"))
    startup_s = time.perf_counter() - start

    # 3. Extraction, serialised as `rasd extract` writes it.
    extract_s = float("inf")
    with make_engine(engine, workers, scheduler) as runner:
        for _ in range(repeat):
            events = failures = out_bytes = 0
            start = time.perf_counter()
            for outcome in run_batch(_limited(iter_articles(paths, published), limit), runner):
                if outcome.error is not None:
                    failures += 1
                for event in outcome.events:
                    out_bytes += len(json.dumps(event.to_json_dict(), ensure_ascii=False)) + 1
                    events += 1
            extract_s = min(extract_s, time.perf_counter() - start)
    mb = text_bytes / 1e6
    return {
        "corpus": paths,
        "articles": articles,
        "unreadable": problems,
        "failed": failures,
        "events": events,
        "text_mb": round(mb, 2),
        "input_mb_on_disk": round(sum(os.path.getsize(p) for p in paths if os.path.isfile(p)) / 1e6, 2),
        "output_mb": round(out_bytes / 1e6, 2),
        "engine": engine,
        "workers": workers,
        "repeat": repeat,
        "floor_s": round(floor_s, 4),
        "floor_articles_per_s": round(articles / floor_s, 1),
        "floor_mb_per_s": round(mb / floor_s, 2),
        "startup_s": round(startup_s, 4),
        "extract_s": round(extract_s, 3),
        "articles_per_s": round(articles / extract_s, 1),
        "mb_per_s": round(mb / extract_s, 3),
        "events_per_s": round(events / extract_s, 1),
        "ms_per_article": round(1000 * extract_s / articles, 3),
        "ratio_to_floor": round(extract_s / floor_s, 1),
        "peak_rss_mb": _peak_mb(resource.RUSAGE_SELF),
        "peak_worker_rss_mb": _peak_mb(resource.RUSAGE_CHILDREN) if workers > 1 or engine != "local" else None,
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}",
        },
    }


def run(args: argparse.Namespace) -> int:
    from rasd.cli.store import parse_date_option

    published = parse_date_option(args.published, "--published") if args.published else None
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, not {args.workers}")
    if args.repeat < 1:
        raise UsageError(f"--repeat must be at least 1, not {args.repeat}")
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit must be at least 1, not {args.limit}")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler is for --engine dask")
    figures = measure(args.corpus, args.workers, args.engine, args.scheduler, args.limit, published, args.repeat)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(_table(figures))
    return 0


def _table(f: dict[str, Any]) -> str:
    who = "this process" if f["engine"] == "local" and f["workers"] == 1 else f"{f['engine']}, {f['workers']} workers"
    peak = f"{f['peak_rss_mb']:.0f} MB (this process)"
    if f["peak_worker_rss_mb"] is not None:
        peak += f", {f['peak_worker_rss_mb']:.0f} MB (largest worker)"
    problems = f"; {f['unreadable']} unreadable" if f["unreadable"] else ""
    problems += f"; {f['failed']} failed" if f["failed"] else ""
    rows = [
        ("corpus", f"{', '.join(f['corpus'])}: {f['articles']:,} articles, {f['text_mb']:.1f} MB of text{problems}"),
        ("floor", f"read + decode, no extraction: {f['floor_s']:.2f} s  "
                  f"{f['floor_articles_per_s']:,.0f} articles/s  {f['floor_mb_per_s']:.1f} MB/s"),
        ("extraction", f"{who}: {f['extract_s']:.2f} s  {f['articles_per_s']:,.1f} articles/s  "
                       f"{f['mb_per_s']:.2f} MB/s  {f['events_per_s']:,.0f} events/s ({f['events']:,} events)"),
        ("ratio", f"extraction takes {f['ratio_to_floor']:.1f}x the floor"),
        ("start-up", f"lexicons and gazetteer: {f['startup_s']:.2f} s (not in the rates)" if who == "this process"
                     else "lexicons and gazetteer loaded by each worker, within the rates"),
        ("peak memory", peak),
    ]
    return "\n".join(f"{label:<12} {text}" for label, text in rows)
