"""Cost per pipeline stage on a corpus: where one worker spends its time.

Wraps the stage functions the pipeline calls (looked up by name, so a renamed stage is skipped
with a note rather than breaking the script) with timers that charge *exclusive* time: a stage
nested in another (the gazetteer matcher inside the place filter) is not counted twice.

    .venv/bin/python benchmarks/stage_costs.py /work/shared/data/ant-corpus-v2.1/ant_v2.1_conflict_subset.jsonl.gz
    .venv/bin/python benchmarks/stage_costs.py CORPUS --limit 500 --json

Reading and decoding (the floor) and writing JSON Lines are timed apart from extraction.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

# CPU time of this process: robust when other programs share the machine (--wall for elapsed).
_clock = time.process_time
_totals: dict[str, float] = defaultdict(float)
_calls: dict[str, int] = defaultdict(int)
_stack: list[list[float]] = []  # per active timer: [time spent in nested timers]


def _timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _stack.append([0.0])
        start = _clock()
        try:
            return func(*args, **kwargs)
        finally:
            elapsed = _clock() - start
            nested = _stack.pop()[0]
            _totals[label] += elapsed - nested
            _calls[label] += 1
            if _stack:
                _stack[-1][0] += elapsed

    wrapper.__wrapped__ = func  # type: ignore[attr-defined]
    return wrapper


# (label, module, attribute): module-level names as the pipeline looks them up.
_FUNCTIONS = (
    ("normalise", "rasd.doc", "normalize"),
    ("recognise (rest)", "rasd.pipeline", "recognise"),
    ("dates", "rasd.stages.recognise", "find_dates"),
    ("place filter", "rasd.stages.recognise", "_places"),
    ("actor filter", "rasd.stages.recognise", "_actors"),
    ("casualties", "rasd.stages.recognise", "find_casualties"),
    ("units", "rasd.pipeline", "event_units"),
    ("assemble", "rasd.pipeline", "draft_events"),
    ("window", "rasd.pipeline", "codable"),
    ("records", "rasd.pipeline", "to_event"),
)


def _install() -> list[str]:
    skipped = []
    for label, module_name, attr in _FUNCTIONS:
        module = importlib.import_module(module_name)
        func = getattr(module, attr, None)
        if func is None:
            skipped.append(f"{module_name}.{attr}")
            continue
        setattr(module, attr, _timed(label, func))
    # The compiled matchers, one timer each (instance attributes shadow the method).
    from rasd.kb import lexicon
    from rasd.kb.gazetteer import load_gazetteer
    from rasd.stages.recognise import CUE_GROUPS

    matchers = {
        "match: triggers": lexicon.triggers(),
        "match: modes": lexicon.modes(),
        "match: cues": lexicon.cue_matcher(*CUE_GROUPS),
        "match: actors": lexicon.actors().matcher,
        "match: places": load_gazetteer().matcher,
    }
    for label, matcher in matchers.items():
        matcher.find = _timed(label, matcher.find)  # type: ignore[method-assign]
    return skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a .jsonl/.jsonl.gz corpus (or any rasd input)")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--wall", action="store_true", help="elapsed time instead of CPU time")
    args = parser.parse_args(argv)
    global _clock
    if args.wall:
        _clock = time.perf_counter

    from rasd.api import extract_article
    from rasd.io import InputProblem, iter_articles

    start = _clock()
    articles = []
    for item in iter_articles([args.corpus]):
        if not isinstance(item, InputProblem):
            articles.append(item)
            if args.limit and len(articles) >= args.limit:
                break
    read_seconds = _clock() - start
    chars = sum(len(a.text) for a in articles)

    extract_article(articles[0])  # load lexicons and the gazetteer outside the timings
    skipped = _install()
    events = []
    start = _clock()
    for article in articles:
        events.extend(extract_article(article))
    extract_seconds = _clock() - start
    start = _clock()
    for event in events:
        json.dumps(event.to_json_dict(), ensure_ascii=False)
    write_seconds = _clock() - start

    stages = dict(sorted(_totals.items(), key=lambda kv: -kv[1]))
    stages["other (glue)"] = max(0.0, extract_seconds - sum(_totals.values()))
    report = {
        "articles": len(articles),
        "characters": chars,
        "events": len(events),
        "read_decode_s": round(read_seconds, 3),
        "extract_s": round(extract_seconds, 3),
        "write_jsonl_s": round(write_seconds, 3),
        "articles_per_s": round(len(articles) / extract_seconds, 1),
        "stages_s": {k: round(v, 3) for k, v in stages.items()},
        "ms_per_article": {k: round(1000 * v / len(articles), 3) for k, v in stages.items()},
        "skipped": skipped,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{len(articles)} articles, {chars / 1e6:.1f} M characters, {len(events)} events")
    print(f"read+decode {read_seconds:.2f} s | extract {extract_seconds:.2f} s "
          f"({report['articles_per_s']} articles/s) | write JSONL {write_seconds:.2f} s")
    print(f"{'stage':<20} {'seconds':>8} {'ms/article':>11} {'share':>6}")
    for label, seconds in stages.items():
        share = seconds / extract_seconds if extract_seconds else 0.0
        print(f"{label:<20} {seconds:8.2f} {1000 * seconds / len(articles):11.3f} {share:6.1%}")
    for name in skipped:
        print(f"(not timed: {name} not found)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
