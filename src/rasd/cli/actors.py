"""`rasd actors lookup|export`: inspect and dump the actor base (CLI.md).

The rules live in the library (`rasd.kb.lexicon.explain_actors`, the same weak-name and
one-actor-per-name rules as extraction); this module reads arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from rasd.errors import UsageError
from rasd.kb.lexicon import ActorMatch, actor_records, explain_actors

# Example text, written as escapes (style rule: no Arabic literals in code):
# "and SDF forces clashed with the army" / "the regime"
_EXAMPLE = (
    "\u0627\u0634\u062a\u0628\u0643\u062a \u0642\u0648\u0627\u062a \u0642\u0633\u062f "
    "\u0645\u0639 \u0627\u0644\u062c\u064a\u0634 \u0627\u0644\u0633\u0648\u0631\u064a"
)
_REGIME = "\u0627\u0644\u0646\u0638\u0627\u0645"

_LOOKUP_HELP = """\
Show which actors a text names, and why. For every actor name found (Arabic proclitics such as
wa-, bi-, li- and the article are recognised), each actor the name may stand for is listed with
its id, ACLED name, inter code, country, whether the name is strong or weak, and the dates the
actor's name applies; then whether extraction keeps it:

  strong name   always counts;
  weak name     (an ordinary word such as "the regime", "the army") counts only when the text is
                about the actor's country, or when the same actor is also named by a strong name;
  one name, several actors   the first listed in lexicons/actors.yml wins; with --date the first
                actor valid on that day wins (a period's successor repeats its names); identity
                groups (Journalists, Students...) share names with the actor ACLED codes them as.

The text's country comes from the places it names, as in extraction (--country overrides).
TEXT may be "-" to read standard input. Exit status 0 when an actor was named, 1 when none."""

_EXPORT_HELP = """\
Write every actor of the actor base as JSON Lines, in the order of lexicons/actors.yml, with
the fields of CLI.md: id, name (ACLED style; "{country}" is filled per event), names_ar (strong
and weak Arabic names), inter, country (ISO alpha-2 or null), affiliation, valid_from,
valid_to; plus names_weak, generic, acled_aliases (other English names ACLED has used) and
source."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "actors", help="look up or export actors",
        description="Inspect the actor base: ACLED-style actors with their Arabic names.",
        epilog="Example: rasd actors lookup '" + _EXAMPLE + "'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="actors_command", metavar="SUBCOMMAND")
    parser.set_defaults(run=lambda args: _usage(parser))

    lookup = sub.add_parser(
        "lookup", help="explain which actors a text names", description=_LOOKUP_HELP,
        epilog=("Examples:\n"
                "  rasd actors lookup '" + _EXAMPLE + "'\n"
                "  rasd actors lookup '" + _REGIME + "' --country SY --date 2019-03-18 --json\n"
                "  echo '" + _EXAMPLE + "' | rasd actors lookup -"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lookup.add_argument("text", metavar="TEXT", help="Arabic text (a name, a sentence, an article), or - for stdin")
    lookup.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    lookup.add_argument("--country", metavar="CC",
                        help="ISO alpha-2 country the text is about (default: from its places)")
    lookup.add_argument("--date", metavar="YYYY-MM-DD", help="the day of the events: chooses among an actor's periods")
    lookup.set_defaults(run=run_lookup)

    export = sub.add_parser(
        "export", help="write every actor as JSON Lines", description=_EXPORT_HELP,
        epilog="Example: rasd actors export --format jsonl > actors.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--format", choices=("jsonl",), default="jsonl", help="output format (jsonl)")
    export.set_defaults(run=run_export)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# ---------------------------------------------------------------------------------------------
# lookup
# ---------------------------------------------------------------------------------------------


def run_lookup(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    day = _parse_day(args.date)
    country, country_source = _text_country(text, args.country)
    matches = explain_actors(text, country, day)
    result = lookup_result(text, matches, country, country_source, day)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_lookup(result)
    return 0 if any(m.chosen for m in matches) else 1


def lookup_result(text: str, matches: list[ActorMatch], country: str | None, country_source: str,
                  day: date | None) -> dict[str, Any]:
    """The JSON shape of `actors lookup`: the text's country and date, then one record per
    (matched span, candidate actor)."""
    name = _country_name(country)
    return {
        "country": country,
        "country_source": country_source,
        "date": day.isoformat() if day else None,
        "matches": [_match_record(m, name, day) for m in matches],
        "actors": sorted({m.entry.actor.id for m in matches if m.chosen}),
    }


def _match_record(match: ActorMatch, country_name: str | None, day: date | None) -> dict[str, Any]:
    actor = match.entry.actor
    return {
        "start": match.start,
        "end": match.end,
        "text": match.text,
        "matched_name": match.key,
        "proclitic": match.proclitic,
        "actor_id": actor.id,
        "name": actor.name,
        "display_name": match.entry.display_name(country_name) if country_name else actor.name,
        "inter": actor.inter,
        "country": actor.country,
        "affiliation": actor.affiliation,
        "generic": match.entry.generic,
        "strength": "weak" if match.weak else "strong",
        "valid_from": actor.valid_from.isoformat() if actor.valid_from else None,
        "valid_to": actor.valid_to.isoformat() if actor.valid_to else None,
        "valid_on_date": match.entry.valid_on(day) if day else None,
        "kept": match.kept,
        "chosen": match.chosen,
        "reason": match.reason,
    }


def _print_lookup(result: dict[str, Any]) -> None:
    country = result["country"]
    where = f"{country} ({result['country_source']})" if country else f"unknown ({result['country_source']})"
    when = result["date"] or "none (--date chooses among an actor's periods)"
    print(f"text country: {where}; date: {when}")
    spans: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for record in result["matches"]:
        spans.setdefault((record["start"], record["end"]), []).append(record)
    if not spans:
        print("no actor named")
        return
    for (start, end), records in spans.items():
        first = records[0]
        glued = f" after proclitic '{first['proclitic']}'" if first["proclitic"] else ""
        print(f"\n{first['text']}  [{start}-{end}]  name '{first['matched_name']}'{glued}")
        dropped = [r for r in records if not r["kept"]]
        for record in records:
            if not record["kept"]:
                continue
            mark = "=>" if record["chosen"] else "  "
            print(f"  {mark} {record['display_name']}  ({record['actor_id']})  inter {record['inter']}"
                  f" | {record['country'] or 'per event country'} | {record['strength']} | {_validity(record)}")
            print(f"       {record['reason']}")
        if dropped:
            ids = ", ".join(r["actor_id"] for r in dropped)
            print(f"     dropped, weak name not in its country: {ids}")
            if not any(r["kept"] for r in records):
                print(f"       {dropped[0]['reason']}")


def _validity(record: dict[str, Any]) -> str:
    start, end = record["valid_from"], record["valid_to"]
    if start and end:
        text = f"valid {start} to {end}"
    elif start:
        text = f"valid from {start}"
    elif end:
        text = f"valid until {end}"
    else:
        text = "no time limit"
    if record["valid_on_date"] is False:
        text += " (not on the date given)"
    return text


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--date {value!r}: not a valid date (expected YYYY-MM-DD)") from None


def _text_country(text: str, given: str | None) -> tuple[str | None, str]:
    """The country the text is about: --country, else extraction's reading of its places."""
    if given:
        code = given.strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise UsageError(f"--country {given!r}: expected an ISO 3166 alpha-2 code such as SY")
        return code, "--country"
    from rasd.doc import Doc
    from rasd.model import Article
    from rasd.stages.recognise import recognise

    doc = recognise(Doc.from_article(Article(id="lookup", text=text)))
    return doc.country, "from the places named" if doc.country else "no place named"


def _country_name(code: str | None) -> str | None:
    if code is None:
        return None
    from rasd.kb.gazetteer import load_gazetteer

    country = load_gazetteer().country(code)
    return country.name if country else None


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    out = sys.stdout
    for record in actor_records():
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
