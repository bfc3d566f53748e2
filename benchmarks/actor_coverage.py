"""Coverage of the actor base (lexicons/actors.yml) against ACLED's own actor names.

Reads the ACLED 2022 MENA sample shipped with acledR (../shared/data/acled-reference, see its
SOURCES.md), lists the distinct actor1/actor2/assoc_actor names of the events in Syria, Iraq,
Yemen and Libya, and reports for each name

  * whether the base has it: as an entry's name or one of its acled_aliases, compared up to the
    ACLED period qualifier (`rasd.evaluate.actor_key`), with "{country}" templates filled with
    any country ("Civilians (Iraq)", "Health Workers (Iran)");
  * for a covered name, whether at least one of the actor's Arabic names resolves back to it
    through the library's actor matcher (`rasd.kb.lexicon.explain_actors`, the path of
    `rasd actors lookup`), with the event's country and date.

Then the same for the actors of the seed article's gold (../shared/seed/seed.gold.json),
which must also resolve from the seed text itself.

    .venv/bin/python benchmarks/actor_coverage.py [--verbose]

Exit status 0 always (a report, not a test; tests/test_actors.py holds the thresholds).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from rasd.evaluate import actor_key
from rasd.kb import lexicon

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ACLED_SAMPLE = SHARED / "data" / "acled-reference" / "acled_2022_mena_sample.csv"
SEED_GOLD = SHARED / "seed" / "seed.gold.json"

COUNTRIES = {"Syria": "SY", "Iraq": "IQ", "Yemen": "YE", "Libya": "LY"}
COLUMNS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


class Base:
    """ACLED names of the actor base: exact keys and "{country}" templates."""

    def __init__(self) -> None:
        self.exact: dict[str, list[str]] = defaultdict(list)
        self.templates: list[tuple[re.Pattern[str], str]] = []
        for row in lexicon.actor_rows():
            for name in [str(row["name"]), *(str(a) for a in row.get("acled_aliases") or [])]:
                if "{country}" in name:
                    head, tail = (actor_key(part) if part.strip() else "" for part in name.split("{country}", 1))
                    pattern = re.escape(head) + r".+" + re.escape(tail)
                    self.templates.append((re.compile(pattern.strip()), row["id"]))
                else:
                    self.exact[actor_key(name)].append(row["id"])

    def ids(self, acled_name: str) -> list[str]:
        key = actor_key(acled_name)
        found = list(self.exact.get(key, []))
        found += [actor_id for pattern, actor_id in self.templates if pattern.fullmatch(key)]
        return list(dict.fromkeys(found))


def resolves(ids: list[str], country: str | None, day: date | None) -> tuple[bool, str]:
    """Whether one Arabic name of one of `ids` resolves to one of `ids` on its own; returns the
    name that did. Identity groups (affiliated to a generic actor) count when kept beside it."""
    index = lexicon.actors()
    wanted = set(ids)
    for actor_id in ids:
        for name in index.by_id[actor_id].actor.names_ar:
            for match in lexicon.explain_actors(name, country or index.by_id[actor_id].actor.country, day):
                if match.entry.actor.id not in wanted or not match.kept:
                    continue
                if match.chosen or "associated actor" in match.reason:
                    return True, name
    return False, ""


def acled_names() -> dict[str, dict[str, Any]]:
    """Distinct ACLED actor names of the four countries, with one event's country and date."""
    seen: dict[str, dict[str, Any]] = {}
    with ACLED_SAMPLE.open(encoding="utf-8") as handle:
        for event in csv.DictReader(handle):
            if event["country"] not in COUNTRIES:
                continue
            for column in COLUMNS:
                for name in (n.strip() for n in event[column].split(";")):
                    if name and name not in seen:
                        seen[name] = {"country": COUNTRIES[event["country"]],
                                      "date": date.fromisoformat(event["event_date"][:10]),
                                      "event_country": event["country"]}
    return seen


def report_acled(base: Base, verbose: bool) -> None:
    names = acled_names()
    covered, resolved, missing, unresolved = [], [], [], []
    by_country: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for name, where in sorted(names.items()):
        ids = base.ids(name)
        tally = by_country[where["event_country"]]
        tally[0] += 1
        if not ids:
            missing.append(name)
            continue
        covered.append(name)
        tally[1] += 1
        ok, arabic = resolves(ids, where["country"], where["date"])
        if ok:
            resolved.append(name)
            tally[2] += 1
            if verbose:
                print(f"  ok   {name}  <- {arabic}  ({', '.join(ids)})")
        else:
            unresolved.append(name)
    total = len(names)
    print(f"ACLED 2022 sample, Syria/Iraq/Yemen/Libya: {total} distinct actor names")
    print(f"  in the base:             {len(covered):4d}  ({len(covered) / total:.1%})")
    print(f"  resolving from Arabic:   {len(resolved):4d}  ({len(resolved) / total:.1%})")
    print("  by the country of the first event naming them (names / in base / resolving):")
    for country, (n, c, r) in sorted(by_country.items()):
        print(f"    {country:8s} {n:4d} {c:4d} {r:4d}")
    print(f"missing ({len(missing)}):")
    for name in missing:
        print(f"  - {name}")
    print(f"in the base but no Arabic name resolves back ({len(unresolved)}):")
    for name in unresolved:
        print(f"  - {name}  ({', '.join(base.ids(name))})")


def report_seed(base: Base) -> None:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    events = gold["events"] + gold.get("optional", [])
    wanted = sorted({str(e[k]) for e in events for k in ("actor1", "actor2") if e.get(k)}
                    | {str(a) for e in events for k in ("assoc_actor_1", "assoc_actor_2") for a in e.get(k) or []})
    day = date.fromisoformat(str(events[0]["event_date"])) if events else None
    in_text = {m.entry.actor.id for m in lexicon.explain_actors(gold["text"], "SY", day)
               if m.kept and (m.chosen or "associated actor" in m.reason)}
    print(f"seed gold ({SEED_GOLD.name}): {len(wanted)} actor names")
    for name in wanted:
        ids = base.ids(name)
        ok, arabic = resolves(ids, "SY", day) if ids else (False, "")
        text = bool(set(ids) & in_text)
        print(f"  {'ok ' if ids and ok and text else 'GAP'}  {name}: in base {bool(ids)}, "
              f"Arabic name resolves {ok}{f' ({arabic})' if ok else ''}, found in the seed text {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every resolved name with its Arabic form")
    args = parser.parse_args()
    base = Base()
    if ACLED_SAMPLE.exists():
        report_acled(base, args.verbose)
    else:
        print(f"no ACLED sample at {ACLED_SAMPLE}")
    if SEED_GOLD.exists():
        report_seed(base)
    else:
        print(f"no seed gold at {SEED_GOLD}")


if __name__ == "__main__":
    main()
