"""`rasd gazetteer lookup|export|import`: inspect, dump and extend the gazetteer (CLI.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rasd.kb.gazetteer import Gazetteer, is_weak_name, load_gazetteer, place_rank
from rasd.kb.importers import FORMATS, parse_column_map, run_import
from rasd.model import Place
from rasd.text.normalize import fold, normalize

# Example names, written as escapes (style rule: no Arabic literals in code).
_MAYADIN = "\u0627\u0644\u0645\u064a\u0627\u062f\u064a\u0646"  # Al Mayadin
_ALBUKAMAL = "\u0627\u0644\u0628\u0648\u0643\u0645\u0627\u0644"  # Albu Kamal

_LOOKUP_HELP = """\
Show which gazetteer places a name resolves to, and why: the folded key the name is matched
under, every candidate place (id, feature, admin1, country, coordinates, source, whether the
name is an ordinary word that needs a cue) in rasd's order of preference: finer features first
(site, neighbourhood, village, town, city, admin3, admin2, admin1, country), then larger
population. When no place bears exactly that name, the places named inside the text are listed.
Exit status 0 when something matched, 1 when nothing did."""

_EXPORT_HELP = """\
Write every place of the merged gazetteer (packaged table, curated overlay, your imports) as
JSON Lines, sorted by id, with the fields of CLI.md: id, name, name_ar, names, latitude,
longitude, country, admin1, admin2, feature, source (plus admin3, population, weak)."""

_IMPORT_HELP = """\
Add places from public tables to your gazetteer in $RASD_DATA_DIR/gazetteer/ (one file per
table); every later rasd command uses them. Importing the same file again changes nothing.

  geonames  GeoNames dump files: SY.txt / cities500.txt (19 tab-separated columns, or the .zip),
            plus optionally alternateNamesV2.txt (Arabic names) and admin1CodesASCII.txt in the
            same command; --country keeps one country of a worldwide file.
  ocha      OCHA COD tables as HDX publishes them: admin levels 1-4 (ADM3_EN/ADM3_AR/ADM3_PCODE
            or adm3_name/adm3_name1/adm3_pcode) with centre coordinates (center_lat/center_lon,
            x_coord/y_coord, Latitude/Longitude), admin label points, capitals, populated places.
  csv       any table; --map names its columns: fields id, name, name_ar, names, latitude,
            longitude, country, admin1, admin2, admin3, feature, population (country may come
            from --country)."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "gazetteer", help="look up, export or import gazetteer places",
        description="Inspect and extend the gazetteer of places with Arabic names.",
        epilog="Example: rasd gazetteer lookup " + _MAYADIN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="gazetteer_command", metavar="SUBCOMMAND")
    parser.set_defaults(run=lambda args: _usage(parser))

    lookup = sub.add_parser(
        "lookup", help="explain which places a name resolves to", description=_LOOKUP_HELP,
        epilog="Example: rasd gazetteer lookup " + _ALBUKAMAL + " --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lookup.add_argument("text", metavar="TEXT", help="a place name or a phrase (Arabic)")
    lookup.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    lookup.set_defaults(run=run_lookup)

    export = sub.add_parser(
        "export", help="write every place as JSON Lines", description=_EXPORT_HELP,
        epilog="Example: rasd gazetteer export > places.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--format", choices=("jsonl",), default="jsonl", help="output format (jsonl)")
    export.set_defaults(run=run_export)

    imp = sub.add_parser(
        "import", help="add places from GeoNames, OCHA or CSV tables", description=_IMPORT_HELP,
        epilog=("Examples:\n"
                "  rasd gazetteer import --format geonames SY.txt alternateNamesV2.txt\n"
                "  rasd gazetteer import --format ocha syr_admin3_subdistricts.csv\n"
                "  rasd gazetteer import --format csv sites.csv --country SY "
                "--map name=name_en,name_ar=name_ar,latitude=lat,longitude=lon,admin1=region_en"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("files", metavar="FILE", nargs="+", type=Path, help="tables to import")
    imp.add_argument("--format", required=True, choices=FORMATS, help="kind of table")
    imp.add_argument("--country", metavar="CC", help="ISO 3166 alpha-2 code of the places (geonames: keep only it)")
    imp.add_argument("--map", metavar="FIELD=COLUMN,...", help="csv: which column holds which field")
    imp.set_defaults(run=run_import_command)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# ---------------------------------------------------------------------------------------------
# lookup
# ---------------------------------------------------------------------------------------------


def explain(gazetteer: Gazetteer, text: str) -> dict[str, Any]:
    """What `text` resolves to: exact candidates in order of preference, else the names inside it."""
    key = fold(text)
    places = gazetteer.lookup(text)
    result: dict[str, Any] = {
        "query": text,
        "key": key,
        "preference": "finer feature first, then larger population",
        "candidates": [_candidate(place, rank, key) for rank, place in enumerate(places, 1)],
        "hits": [],
    }
    if not places:
        result["hits"] = _hits_inside(gazetteer, text)
    return result


def _hits_inside(gazetteer: Gazetteer, text: str) -> list[dict[str, Any]]:
    """Place names found inside `text` (with proclitics and the article handled by the matcher),
    grouped by span, each with its candidates in order of preference."""
    norm = normalize(text)
    spans: dict[tuple[int, int], list[Any]] = {}
    for hit in gazetteer.find(norm.text):
        spans.setdefault(norm.span(hit.start, hit.end), []).append(hit)
    out = []
    for (start, end), hits in sorted(spans.items()):
        unique = {h.value: gazetteer.by_id[h.value] for h in hits}
        places = sorted(unique.values(), key=lambda p: (place_rank(p), p.id))
        key = hits[0].key
        out.append({
            "start": start, "end": end, "text": text[start:end], "key": key, "weak_name": is_weak_name(key),
            "candidates": [_candidate(p, rank, key) for rank, p in enumerate(places, 1)],
        })
    return out


def _candidate(place: Place, rank: int, key: str) -> dict[str, Any]:
    matched = [n for n in [place.name_ar or "", *place.names] if n and fold(n) == key]
    return {
        "rank": rank,
        "id": place.id,
        "name": place.name,
        "name_ar": place.name_ar,
        "matched_name": matched[0] if matched else None,
        "feature": place.feature,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "population": place.population,
        "weak": place.weak,
        "source": place.source,
    }


def run_lookup(args: argparse.Namespace) -> int:
    result = explain(load_gazetteer(), args.text)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(_format_lookup(result))
    return 0 if result["candidates"] or result["hits"] else 1


def _format_lookup(result: dict[str, Any]) -> str:
    lines = [f"query: {result['query']}", f"folded key: {result['key']}"]
    if result["candidates"]:
        lines.append(f"{len(result['candidates'])} place(s), in order of preference ({result['preference']}):")
        lines += [_format_candidate(c, "  ") for c in result["candidates"]]
    elif result["hits"]:
        lines.append("no place has exactly this name; places named inside it:")
        for hit in result["hits"]:
            weak = " (ordinary word: needs a cue)" if hit["weak_name"] else ""
            lines.append(f"[{hit['start']}:{hit['end']}] {hit['text']} -> key {hit['key']}{weak}")
            lines += [_format_candidate(c, "    ") for c in hit["candidates"]]
    else:
        lines.append("no place matches")
    return "\n".join(lines)


def _format_candidate(c: dict[str, Any], indent: str) -> str:
    where = ", ".join(x for x in (c["admin2"], c["admin1"], c["country"]) if x)
    coords = f"{c['latitude']}, {c['longitude']}" if c["latitude"] is not None else "no coordinates"
    population = f", population {c['population']}" if c["population"] else ""
    weak = "; WEAK: ordinary word, needs a cue" if c["weak"] else ""
    return (f"{indent}{c['rank']}. {c['id']}  {c['name']} ({c['name_ar'] or '-'})  {c['feature']}, {where}  "
            f"[{coords}]{population}{weak}\n{indent}   matched: {c['matched_name'] or '-'}; source: {c['source']}")


# ---------------------------------------------------------------------------------------------
# export / import
# ---------------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    """Every place, sorted by id, with every field of the record (nulls included)."""
    gazetteer = load_gazetteer()
    write = sys.stdout.write
    for place_id in sorted(gazetteer.by_id):
        write(json.dumps(gazetteer.by_id[place_id].model_dump(mode="json"), ensure_ascii=False) + "\n")
    return 0


def run_import_command(args: argparse.Namespace) -> int:
    mapping = parse_column_map(args.map)
    if args.format != "csv" and mapping:
        print("rasd: warning: --map is used only with --format csv", file=sys.stderr)
    results = run_import(args.format, list(args.files), country=args.country, mapping=mapping)
    for result in results:
        print(result.summary())
    return 0
