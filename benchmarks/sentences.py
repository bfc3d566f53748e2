"""Sentence-level check (issue 4): does rasd emit the right kind of event for single Arabic
news sentences labelled ASSAULT / PROTEST / not?

    .venv/bin/python benchmarks/sentences.py [--split dev|heldout] [--negatives FILE] [--json] [--errors]

Positives: ../shared/data/universalpetrarch-arabic/arabic_gsr_validation.jsonl (645 sentences
hand-coded ASSAULT or PROTEST by the UniversalPetrarch project). They are split
deterministically by their `id`: sha256(id) as an integer, even -> dev, odd -> heldout.
Each sentence is extracted on its own with its `date` (yyyymmdd) as publication date.
Own sentences: a JSON Lines file of {"id", "text", "label"} sentences, label "not" (hard negatives)
or "ASSAULT"/"PROTEST" (sentences written by the coder of that split) (optional "published";
otherwise 2018-06-15 is used). Defaults: benchmarks/gold/negatives-dev.jsonl for dev,
benchmarks/gold/sentences-heldout.jsonl for heldout (written by another coder; skipped with
a warning when absent).

A sentence is predicted ASSAULT when rasd emits a Battles, Explosions/Remote violence or
Violence against civilians event for it, PROTEST when it emits a Protests or Riots event
(both when it emits both; Strategic developments count as neither). Per class C:
precision = sentences predicted C whose label is C / sentences predicted C; recall = sentences
labelled C predicted C / sentences labelled C. For the `not` class, a sentence is predicted
`not` when rasd emits no ASSAULT or PROTEST event.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
UP = REPO.parent / "shared" / "data" / "universalpetrarch-arabic" / "arabic_gsr_validation.jsonl"
NEGATIVES = {"dev": HERE / "gold" / "negatives-dev.jsonl", "heldout": HERE / "gold" / "sentences-heldout.jsonl"}
DEFAULT_PUBLISHED = date(2018, 6, 15)
ASSAULT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
PROTEST_TYPES = {"Protests", "Riots"}
CLASSES = ("ASSAULT", "PROTEST", "not")


def split_of(sentence_id: str) -> str:
    """dev when sha256(id) is even, heldout when odd."""
    return "dev" if int(hashlib.sha256(sentence_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "heldout"


def load_positives(split: str, path: Path = UP) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if split_of(row["id"]) != split:
                continue
            d = row.get("date") or ""
            published = date(int(d[:4]), int(d[4:6]), int(d[6:8])) if len(d) == 8 and d.isdigit() else DEFAULT_PUBLISHED
            out.append({"id": row["id"], "text": row["text"], "label": row["category"], "published": published, "source": "up"})
    return out


def load_negatives(path: Path) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            label = row.get("label")
            if label not in ("not", "ASSAULT", "PROTEST"):
                raise SystemExit(f"{path}:{n}: label must be 'not', 'ASSAULT' or 'PROTEST'")
            pub = row.get("published")
            out.append({"id": str(row["id"]), "text": row["text"], "label": label,
                        "published": date.fromisoformat(pub) if pub else DEFAULT_PUBLISHED,
                        "source": "negatives", "kind": row.get("kind")})
    return out


def predict(sentence: dict) -> tuple[set[str], list[str]]:
    from rasd.api import extract

    events = list(extract(sentence["text"], published=sentence["published"], article_id=sentence["id"]))
    labels = set()
    for e in events:
        if e.event_type in ASSAULT_TYPES:
            labels.add("ASSAULT")
        elif e.event_type in PROTEST_TYPES:
            labels.add("PROTEST")
    return labels, [f"{e.event_type}/{e.sub_event_type}" for e in events]


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(sentences: list[dict]) -> dict:
    per_class = {c: Counter() for c in CLASSES}
    confusion: Counter = Counter()
    errors = []
    for s in sentences:
        labels, emitted = predict(s)
        predicted = labels or {"not"}
        confusion[(s["label"], "+".join(sorted(predicted)))] += 1
        for c in CLASSES:
            if c in predicted and s["label"] == c:
                per_class[c]["tp"] += 1
            elif c in predicted:
                per_class[c]["fp"] += 1
            elif s["label"] == c:
                per_class[c]["fn"] += 1
        if s["label"] not in predicted or len(predicted) > 1:
            errors.append({"id": s["id"], "label": s["label"], "predicted": sorted(predicted), "events": emitted,
                           "kind": s.get("kind"), "text": s["text"]})
    counts = Counter(s["label"] for s in sentences)
    return {
        "sentences": len(sentences),
        "labels": dict(counts),
        "classes": {c: prf(per_class[c]["tp"], per_class[c]["fp"], per_class[c]["fn"]) for c in CLASSES},
        "confusion": {f"{g} -> {p}": n for (g, p), n in sorted(confusion.items())},
        "errors": errors,
    }


def render(report: dict, split: str, show_errors: bool) -> str:
    lines = [f"Sentence check, split={split}: {report['sentences']} sentences {report['labels']}", "",
             f"{'class':<10}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>9}{'f1':>9}"]
    for c, m in report["classes"].items():
        lines.append(f"{c:<10}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}{m['precision']:>11.3f}{m['recall']:>9.3f}{m['f1']:>9.3f}")
    lines += ["", "label -> predicted"] + [f"  {k:<28}{v:>5}" for k, v in report["confusion"].items()]
    if show_errors:
        lines += ["", "Errors"]
        for e in report["errors"]:
            lines.append(f"  [{e['id']}] {e['label']} -> {'+'.join(e['predicted'])} {e['events']} {e['text'][:140]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--negatives", help="JSON Lines of hard negatives (default: per split, see above)")
    parser.add_argument("--up", default=str(UP), help="the UniversalPetrarch sentences (default %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--errors", action="store_true", help="list the misclassified sentences")
    args = parser.parse_args(argv)
    sentences = load_positives(args.split, Path(args.up))
    negatives = Path(args.negatives) if args.negatives else NEGATIVES[args.split]
    if negatives.is_file():
        sentences += load_negatives(negatives)
    else:
        print(f"sentences: warning: no negatives file {negatives}; scoring positives only", file=sys.stderr)
    report = score(sentences)
    report["split"] = args.split
    report["negatives_file"] = str(negatives) if negatives.is_file() else None
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(report, args.split, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
