"""Score the extractor on the development gold set, one `rasd evaluate` run per gold file, and
print one combined table (or, with --json, every figure of every run plus the totals).

    .venv/bin/python benchmarks/evaluate_gold.py [--corpora DIR] [--json] [--details]

Gold files (benchmarks/gold/) and the corpus each is resolved against:
  dev-ant.jsonl              ../shared/data/ant-corpus-v2.1/ant_v2.1_conflict_subset.jsonl.gz (read as is)
  dev-ant-2.jsonl ... dev-ant-31.jsonl  the same ANT corpus (second- to fifth-session batches)
  dev-saudinewsnet.jsonl     DIR/saudinewsnet.jsonl      (written by make_corpus.py)
  dev-syrian-archive.jsonl   DIR/syrian-archive.jsonl    (written by make_corpus.py)
DIR defaults to /tmp/rasd-corpora; the corpora are (re)built there first, never in the repo.
Totals are sums of the per-file counts (precision/recall/F1 recomputed from the sums), as
`rasd evaluate` itself sums per article. --details also prints each file's own report table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_corpus  # noqa: E402

GOLD = HERE / "gold"
ANT = make_corpus.DATA / "ant-corpus-v2.1" / "ant_v2.1_conflict_subset.jsonl.gz"
RUNS = (  # (label, gold file, corpus key: "ant" or a make_corpus output name)
    ("ant", "dev-ant.jsonl", "ant"),
    ("ant-2", "dev-ant-2.jsonl", "ant"),  # second-session batches, annotated without running rasd
    ("ant-3", "dev-ant-3.jsonl", "ant"),
    ("ant-4", "dev-ant-4.jsonl", "ant"),
    ("ant-5", "dev-ant-5.jsonl", "ant"),
    ("ant-6", "dev-ant-6.jsonl", "ant"),  # third-session batches, also annotated blind
    ("ant-7", "dev-ant-7.jsonl", "ant"),
    ("ant-8", "dev-ant-8.jsonl", "ant"),
    ("ant-9", "dev-ant-9.jsonl", "ant"),
    ("ant-10", "dev-ant-10.jsonl", "ant"),
    ("ant-11", "dev-ant-11.jsonl", "ant"),
    ("ant-12", "dev-ant-12.jsonl", "ant"),
    ("ant-13", "dev-ant-13.jsonl", "ant"),
    ("ant-14", "dev-ant-14.jsonl", "ant"),
    ("ant-15", "dev-ant-15.jsonl", "ant"),
    ("ant-16", "dev-ant-16.jsonl", "ant"),
    ("ant-17", "dev-ant-17.jsonl", "ant"),
    ("ant-18", "dev-ant-18.jsonl", "ant"),
    ("ant-19", "dev-ant-19.jsonl", "ant"),
    ("ant-20", "dev-ant-20.jsonl", "ant"),
    ("ant-21", "dev-ant-21.jsonl", "ant"),
    ("ant-22", "dev-ant-22.jsonl", "ant"),
    ("ant-23", "dev-ant-23.jsonl", "ant"),
    ("ant-24", "dev-ant-24.jsonl", "ant"),
    ("ant-25", "dev-ant-25.jsonl", "ant"),
    ("ant-26", "dev-ant-26.jsonl", "ant"),
    ("ant-27", "dev-ant-27.jsonl", "ant"),
    ("ant-28", "dev-ant-28.jsonl", "ant"),
    ("ant-29", "dev-ant-29.jsonl", "ant"),
    ("ant-30", "dev-ant-30.jsonl", "ant"),
    ("ant-31", "dev-ant-31.jsonl", "ant"),
    ("saudinewsnet", "dev-saudinewsnet.jsonl", "saudinewsnet"),
    ("syrian-archive", "dev-syrian-archive.jsonl", "syrian-archive"),
)
DETECTION = ("gold", "system", "excluded", "paired")


def rasd_evaluate(gold: Path, corpus: Path, as_json: bool) -> str:
    command = [sys.executable, "-m", "rasd", "evaluate", str(gold), "--corpus", str(corpus)]
    if as_json:
        command.append("--json")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"rasd evaluate {gold.name} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def ratios(d: dict) -> dict:
    def ratio(num: int, den: int, other: int) -> float:
        return num / den if den else (1.0 if other == 0 else 0.0)
    system = d["system"] - d["excluded"]
    p = ratio(d["paired"], system, d["gold"])
    r = ratio(d["paired"], d["gold"], system)
    return {**d, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def combine(reports: dict[str, dict]) -> dict:
    total: dict = {"articles_scored": 0, "not_events_hit": 0, "not_events": 0}
    for key in ("detection", "any_type"):
        total[key] = ratios({k: sum(r[key][k] for r in reports.values()) for k in DETECTION})
    fields: dict[str, dict] = {}
    for r in reports.values():
        total["articles_scored"] += r["articles_scored"]
        total["not_events_hit"] += r["not_events_hit"]
        for name, tally in r["fields"].items():
            f = fields.setdefault(name, {"correct": 0, "total": 0})
            f["correct"] += tally["correct"]
            f["total"] += tally["total"]
    for f in fields.values():
        f["accuracy"] = f["correct"] / f["total"] if f["total"] else None
    total["fields"] = fields
    return total


def count_not_events(path: Path) -> int:
    with open(path, encoding="utf-8") as fh:
        return sum(len(json.loads(line).get("not_events", [])) for line in fh if line.strip())


def table(reports: dict[str, dict], total: dict) -> str:
    cols = list(reports) + ["total"]
    rows = [f"{'':<22}" + "".join(f"{c:>16}" for c in cols)]
    every = {**reports, "total": total}
    rows.append(f"{'articles':<22}" + "".join(f"{every[c]['articles_scored']:>16}" for c in cols))
    for key, label in (("detection", "events"), ("any_type", "any type")):
        for k in ("gold", "system", "excluded", "paired"):
            rows.append(f"{label + ' ' + k:<22}" + "".join(f"{every[c][key][k]:>16}" for c in cols))
        for k in ("precision", "recall", "f1"):
            rows.append(f"{label + ' ' + k:<22}" + "".join(f"{every[c][key][k]:>16.3f}" for c in cols))
    rows.append("")
    rows.append("Field accuracy on paired events (correct/total)")
    for name in total["fields"]:
        cells = []
        for c in cols:
            t = every[c]["fields"].get(name, {"correct": 0, "total": 0})
            cells.append(f"{t['correct']}/{t['total']}" + (f" {t['correct'] / t['total']:.2f}" if t["total"] else "  n/a"))
        rows.append(f"  {name:<20}" + "".join(f"{x:>16}" for x in cells))
    rows.append("")
    rows.append(f"{'not-event quotes hit':<22}" + "".join(
        f"{str(every[c]['not_events_hit']) + '/' + str(every[c]['not_events']):>16}" for c in cols))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", default=str(make_corpus.DEFAULT_OUT), help="folder for the temporary corpora (default %(default)s)")
    parser.add_argument("--json", action="store_true", help="print every report and the totals as JSON")
    parser.add_argument("--details", action="store_true", help="also print each file's own `rasd evaluate` table")
    args = parser.parse_args(argv)
    paths = {**make_corpus.build(Path(args.corpora)), "ant": ANT}
    reports: dict[str, dict] = {}
    for label, gold_name, corpus_key in RUNS:
        gold = GOLD / gold_name
        if not gold.exists():
            continue
        reports[label] = json.loads(rasd_evaluate(gold, paths[corpus_key], as_json=True))
        reports[label]["not_events"] = count_not_events(gold)
        if args.details and not args.json:
            print(f"=== {gold_name}\n{rasd_evaluate(gold, paths[corpus_key], as_json=False)}")
    total = combine(reports)
    total["not_events"] = sum(r["not_events"] for r in reports.values())
    if args.json:
        print(json.dumps({"files": reports, "total": total}, ensure_ascii=False, indent=2))
    else:
        print(table(reports, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
