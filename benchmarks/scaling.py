"""Scaling from 1 to N workers: `rasd extract CORPUS --workers n` as a whole process, timed.

Each run is a fresh `rasd extract` (start-up included, as a user would run it) writing JSON
Lines to a file; the script reports wall time, CPU time of the whole process tree (robust when
other programs share the machine), articles/s, speed-up over one worker, parallel
efficiency, the peak memory of the whole process tree (all workers together, sampled with
psutil when it is installed) and whether the output equals the one-worker output byte for byte.

    .venv/bin/python benchmarks/scaling.py /work/shared/data/ant-corpus-v2.1/ant_v2.1_conflict_subset.jsonl.gz
    .venv/bin/python benchmarks/scaling.py CORPUS --max-workers 4 --dask --repeat 3 --json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any


def _rasd() -> list[str]:
    exe = shutil.which("rasd", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "rasd"]


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_once(corpus: str, workers: int, engine: str, out_path: str) -> dict[str, Any]:
    command = [*_rasd(), "extract", corpus, "--quiet", "--output", out_path, "--workers", str(workers)]
    if engine != "local":
        command += ["--engine", engine]
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        import psutil  # noqa: F401

        sampling = True
    except ImportError:
        sampling = False

    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True) if sampling else None
    if sampler:
        sampler.start()
    _out, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    if sampler:
        sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {err.decode(errors='replace')}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not sampling:  # largest single process only
        peak = after.ru_maxrss * 1024
    with open(out_path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak / 1e6, "sha256": digest, "tree_sampled": sampling}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--max-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dask", action="store_true", help="also run --engine dask with each number of workers")
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting; the fastest is kept")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from rasd.io import InputProblem, iter_articles

    articles = sum(1 for item in iter_articles([args.corpus]) if not isinstance(item, InputProblem))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = [("local", n) for n in range(1, args.max_workers + 1)]
        if args.dask:
            settings += [("dask", n) for n in range(1, args.max_workers + 1)]
        for engine, workers in settings:
            runs = [run_once(args.corpus, workers, engine, os.path.join(tmp, f"{engine}-{workers}.jsonl"))
                    for _ in range(max(1, args.repeat))]
            best = min(runs, key=lambda r: r["seconds"])
            rows.append({"engine": engine, "workers": workers, **best,
                         "peak_mb": max(r["peak_mb"] for r in runs)})
    base = rows[0]
    for row in rows:
        row["articles_per_s"] = articles / row["seconds"]
        row["speedup"] = base["seconds"] / row["seconds"]
        row["efficiency"] = row["speedup"] / row["workers"]
        row["same_output_as_1_worker"] = row["sha256"] == base["sha256"]
    report = {"corpus": args.corpus, "articles": articles, "cpus": os.cpu_count(), "runs": rows}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{articles} articles, {os.cpu_count()} CPUs; whole `rasd extract` processes, start-up included")
    print(f"{'engine':<7}{'workers':>8}{'seconds':>9}{'CPU s':>8}{'art/s':>8}{'speed-up':>10}{'effic.':>8}"
          f"{'peak MB':>9}  same bytes")
    for r in rows:
        print(f"{r['engine']:<7}{r['workers']:>8}{r['seconds']:>9.2f}{r['cpu_seconds']:>8.1f}{r['articles_per_s']:>8.0f}"
              f"{r['speedup']:>10.2f}{r['efficiency']:>8.0%}{r['peak_mb']:>9.0f}  {r['same_output_as_1_worker']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
