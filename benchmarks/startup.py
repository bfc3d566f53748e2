"""Cold start: `rasd extract` of one article, as a whole new process, timed N times.

Every run is a new interpreter that imports rasd, loads the lexicons and the gazetteer,
extracts one article and writes its events, so this is what a user waits for.

    .venv/bin/python benchmarks/startup.py                     # examples/idlib-report.txt
    .venv/bin/python benchmarks/startup.py ARTICLE.txt --runs 10 --published 2019-05-28
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("article", nargs="?", default=os.path.join(HERE, "..", "examples", "idlib-report.txt"))
    parser.add_argument("--published", default="2019-05-28")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    exe = shutil.which("rasd", path=os.path.dirname(sys.executable))
    command = [exe] if exe else [sys.executable, "-m", "rasd"]
    command += ["extract", args.article, "--published", args.published, "--quiet"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # compiled bytecode in place
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    print(f"{' '.join(command[1:])}")
    print(f"{args.runs} runs: min {min(times):.3f} s, median {statistics.median(times):.3f} s, max {max(times):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
