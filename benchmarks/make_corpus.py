"""Build temporary JSON Lines corpora for the gold files that point into SaudiNewsNet and the
Syrian Archive (their texts are never stored in the repository, only ids and labels).

    python benchmarks/make_corpus.py [OUT_DIR]        # default /tmp/rasd-corpora

Writes, under OUT_DIR (refuses a folder inside the repository):
  saudinewsnet.jsonl     id = the article's `url` (SaudiNewsNet has no other id),
                         text = `content` verbatim, published = date of `date_extracted`
  syrian-archive.jsonl   id = the report's `path` (e.g. investigations/kafrnabel_ar.md),
                         text = the markdown `body` reduced to plain prose (see `plain_text`),
                         published = the front-matter `date` (yyyy-mm-dd; omitted when empty)
The ANT corpus needs no conversion: `rasd evaluate` reads its .jsonl.gz directly (docno/text).

The conversion is deterministic, so the gold `evidence_text` quotes (taken from these texts)
are found again on every run. Data are read by path from ../shared/data next to the repo,
or from $RASD_SHARED_DATA.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("RASD_SHARED_DATA", REPO.parent / "shared" / "data"))
SAUDINEWSNET = DATA / "saudinewsnet-2015-conflict" / "saudinewsnet_2015_conflict_subset.jsonl.gz"
SYRIAN_ARCHIVE = DATA / "syrian-archive" / "syrian_archive_reports_2017_2019.jsonl"
DEFAULT_OUT = Path("/tmp/rasd-corpora")

_IFRAME = re.compile(r"<iframe\b.*?</iframe>", re.S | re.I)
_TAG = re.compile(r"<[^>\n]+>")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|[-*]\s+|>\s*)")
_EMPHASIS = re.compile(r"\*\*|(?<!\w)_|_(?!\w)")


def plain_text(markdown: str) -> str:
    """Markdown report body -> plain prose: images and HTML removed, links reduced to their
    text, heading/bullet/quote marks and bold/italic markers dropped, blank lines removed."""
    text = _IFRAME.sub("", markdown)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = _EMPHASIS.sub("", _LINE_MARK.sub("", line)).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def saudinewsnet() -> list[dict]:
    out = []
    with gzip.open(SAUDINEWSNET, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append({
                "id": row["url"],
                "text": row["content"],
                "published": (row.get("date_extracted") or "")[:10] or None,
                "title": row.get("title"),
                "source": row.get("source"),
                "url": row["url"],
            })
    return out


def syrian_archive() -> list[dict]:
    out = []
    with open(SYRIAN_ARCHIVE, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            record = {"id": row["path"], "text": plain_text(row["body"]), "title": row.get("title"),
                      "source": "Syrian Archive", "lang": row.get("lang")}
            date = (row.get("date") or "")[:10]
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                record["published"] = date
            if record["text"].strip():
                out.append(record)
    return out


def write(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False) + "\n")


def build(out_dir: Path) -> dict[str, Path]:
    out_dir = out_dir.resolve()
    if out_dir == REPO or REPO in out_dir.parents:
        raise SystemExit(f"make_corpus: refusing to write article texts inside the repository ({out_dir})")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"saudinewsnet": out_dir / "saudinewsnet.jsonl", "syrian-archive": out_dir / "syrian-archive.jsonl"}
    write(paths["saudinewsnet"], saudinewsnet())
    write(paths["syrian-archive"], syrian_archive())
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", nargs="?", default=str(DEFAULT_OUT), help="output folder (default %(default)s)")
    args = parser.parse_args(argv)
    for name, path in build(Path(args.out_dir)).items():
        print(f"{name}: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
