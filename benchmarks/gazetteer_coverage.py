"""Coverage of ACLED's places: how many of the distinct places ACLED coded lie near a gazetteer place.

ACLED's 2022 MENA sample (shared/data/acled-reference, January-June 2022) gives, per country, the
distinct (location, latitude, longitude) triples ACLED coded. A place counts as covered when some
gazetteer place with coordinates (any country, any feature) lies within --radius km of it
(haversine, mean Earth radius 6371.0088 km). Measured for

1. the packaged table alone (`data/gazetteer.jsonl.gz`),
2. the default gazetteer (packaged table + curated overlay `lexicons/places.yml`),
3. the default plus, one after the other, the imports of the public tables in shared/data:
   OCHA COD Syria admin tables, the Syrian Archive place list (CSV with a column map), and
   GeoNames cities5000 put back into GeoNames' standard 19 columns.

The imports run through the real CLI (`rasd gazetteer import ...`), each timed, in a temporary
RASD_DATA_DIR that is deleted afterwards (the user's data folder is never read or written); the
converted cities5000 file is written there too. The last stage is `load_gazetteer()` itself,
loaded with that folder as RASD_DATA_DIR.

    .venv/bin/python benchmarks/gazetteer_coverage.py
    .venv/bin/python benchmarks/gazetteer_coverage.py --json > coverage.json
    .venv/bin/python benchmarks/gazetteer_coverage.py --misses Syria   # the places not covered
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
EARTH_KM = 6371.0088
COUNTRIES = ("Syria", "Iraq", "Yemen", "Libya")
TARGETS = {"Syria": 0.75, "Iraq": 0.45, "Yemen": 0.55}  # issue 3, "What it must show"

OCHA_TABLES = ("syr_admin1_governorates.csv", "syr_admin2_districts.csv", "syr_admin3_subdistricts.csv",
               "syr_adminpoints.csv", "syr_admincapitals.csv", "syr_neighborhoods.csv")
SYRIAN_ARCHIVE_MAP = "id=pk,name=name_en,name_ar=name_ar,latitude=latitude,longitude=longitude,admin1=region_en"


@dataclass(frozen=True)
class AcledPlace:
    country: str
    location: str
    latitude: float
    longitude: float
    admin1: str
    admin2: str
    geo_precision: str
    events: int


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


class PointIndex:
    """Points in 0.1-degree cells, so a radius query looks at a few cells only."""

    CELL = 0.1

    def __init__(self, points: Iterable[tuple[float, float, str]]) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
        self.size = 0
        for lat, lon, label in points:
            self.cells[(math.floor(lat / self.CELL), math.floor(lon / self.CELL))].append((lat, lon, label))
            self.size += 1

    def nearest(self, lat: float, lon: float, radius_km: float) -> tuple[float, str] | None:
        """The nearest point within radius_km as (distance, label), else None."""
        dlat = radius_km / 111.0
        dlon = radius_km / max(1e-6, 111.0 * math.cos(math.radians(min(89.0, abs(lat) + dlat))))
        best: tuple[float, str] | None = None
        for i in range(math.floor((lat - dlat) / self.CELL), math.floor((lat + dlat) / self.CELL) + 1):
            for j in range(math.floor((lon - dlon) / self.CELL), math.floor((lon + dlon) / self.CELL) + 1):
                for plat, plon, label in self.cells.get((i, j), ()):
                    d = haversine_km(lat, lon, plat, plon)
                    if d <= radius_km and (best is None or d < best[0]):
                        best = (d, label)
        return best


def read_acled(path: Path) -> list[AcledPlace]:
    """Distinct (country, location, latitude, longitude) of the sample, with their event counts."""
    seen: dict[tuple[str, str, float, float], list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["country"], row["location"], float(row["latitude"]), float(row["longitude"]))
            seen[key].append(row)
    return [AcledPlace(c, loc, lat, lon, rows[0]["admin1"], rows[0]["admin2"],
                       str(min(int(float(r["geo_precision"] or 0)) for r in rows)), len(rows))
            for (c, loc, lat, lon), rows in sorted(seen.items())]


def cities5000_to_geonames(source: Path, target: Path) -> int:
    """Drop the added 4th column (arabic_names) and the header: GeoNames' standard 19 columns."""
    rows = 0
    with source.open(encoding="utf-8", newline="") as src, target.open("w", encoding="utf-8", newline="") as out:
        header = src.readline().rstrip("\r\n").split("\t")
        if header[3] != "arabic_names" or len(header) != 20:
            raise SystemExit(f"{source}: unexpected header {header[:5]}...")
        for number, line in enumerate(src, 2):
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) != 20:
                raise SystemExit(f"{source}:{number}: {len(fields)} columns, expected 20")
            out.write("\t".join(fields[:3] + fields[4:]) + "\n")
            rows += 1
    return rows


def rasd_command() -> list[str]:
    exe = shutil.which("rasd", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "rasd"]


def run_imports(data: Path, workdir: Path) -> list[dict[str, object]]:
    """The three imports through the CLI, in `workdir` as RASD_DATA_DIR; each one timed."""
    env = dict(os.environ, RASD_DATA_DIR=str(workdir))
    cities = workdir / "cities5000.txt"
    converted = cities5000_to_geonames(data / "geonames-cities5000-mena" / "geonames_cities5000_mena.tsv", cities)
    steps = [
        ("OCHA COD Syria admin tables",
         ["--format", "ocha", *(str(data / "ocha-cod-syria-admin" / t) for t in OCHA_TABLES)]),
        ("Syrian Archive place list",
         ["--format", "csv", str(data / "syrian-archive" / "syrian_archive_locations_2015.csv"),
          "--country", "SY", "--map", SYRIAN_ARCHIVE_MAP]),
        (f"GeoNames cities5000 ({converted} rows, 19 columns)", ["--format", "geonames", str(cities)]),
    ]
    done = []
    for label, args in steps:
        before = set(p.name for p in (workdir / "gazetteer").glob("*.jsonl")) if (workdir / "gazetteer").is_dir() else set()
        command = [*rasd_command(), "gazetteer", "import", *args]
        start = time.perf_counter()
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"import failed ({label}), exit {result.returncode}:\n{result.stderr}")
        files = sorted(set(p.name for p in (workdir / "gazetteer").glob("*.jsonl")) - before)
        done.append({"import": label, "seconds": round(seconds, 2), "files": files,
                     "output": result.stdout.strip().splitlines(),
                     "command": "rasd gazetteer import " + " ".join(
                         a.replace(str(data), "$D").replace(str(workdir), "$TMP") for a in args)})
    return done


def place_points(places: Iterable[object]) -> list[tuple[float, float, str]]:
    return [(p.latitude, p.longitude, f"{p.name} ({p.id})") for p in places  # type: ignore[attr-defined]
            if p.latitude is not None and p.longitude is not None]  # type: ignore[attr-defined]


def measure(acled: list[AcledPlace], index: PointIndex, radius: float) -> dict[str, object]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for place in acled:
        hit = index.nearest(place.latitude, place.longitude, radius)
        for key in (place.country, "all"):
            per[key][1] += 1
            per[key][0] += hit is not None
        if hit is None:
            missed.append(place)
    return {"points": index.size, "per_country": {k: {"covered": c, "places": n, "share": round(c / n, 4)}
                                                  for k, (c, n) in per.items()}, "missed": missed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/data folder (default: %(default)s)")
    parser.add_argument("--acled", type=Path, help="ACLED sample (default: DATA/acled-reference/acled_2022_mena_sample.csv)")
    parser.add_argument("--radius", type=float, default=5.0, help="km (default: 5)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--misses", metavar="COUNTRY", help="also list COUNTRY's places not covered with the imports "
                        "(nearest gazetteer place within 50 km)")
    args = parser.parse_args(argv)
    acled = read_acled(args.acled or args.data / "acled-reference" / "acled_2022_mena_sample.csv")

    from rasd.kb import gazetteer as gz

    with tempfile.TemporaryDirectory(prefix="rasd-coverage-") as tmp:
        workdir = Path(tmp)
        imports = run_imports(args.data, workdir)
        packaged = list(gz.packaged_places())
        overlay = list(gz.overlay_places())
        stages: list[tuple[str, list[tuple[float, float, str]]]] = [
            ("packaged table", place_points(packaged)),
            ("+ overlay (default install)", place_points(packaged + overlay)),
        ]
        layered: dict[str, object] = {p.id: p for p in packaged + overlay}
        for step in imports:
            for name in step["files"]:  # type: ignore[union-attr]
                for p in gz._read_jsonl(workdir / "gazetteer" / name):
                    layered[p.id] = p
            stages.append((f"+ {step['import']}", place_points(layered.values())))
        # The real thing: the merged gazetteer as rasd loads it, with the temporary folder as data dir.
        saved = os.environ.get("RASD_DATA_DIR")
        os.environ["RASD_DATA_DIR"] = str(workdir)
        try:
            gz.load_gazetteer.cache_clear()
            merged = gz.load_gazetteer()
            stages.append(("load_gazetteer() with the imports", place_points(merged.by_id.values())))
            total_places = len(merged)
        finally:
            gz.load_gazetteer.cache_clear()
            if saved is None:
                del os.environ["RASD_DATA_DIR"]
            else:
                os.environ["RASD_DATA_DIR"] = saved

    results = []
    for label, points in stages:
        m = measure(acled, PointIndex(points), args.radius)
        results.append({"stage": label, **m})
    final = results[-1]
    countries = [*COUNTRIES, "all"]
    targets = {c: {"target": t, "met": final["per_country"][c]["share"] >= t}  # type: ignore[index]
               for c, t in TARGETS.items()}

    if args.json:
        out = {
            "radius_km": args.radius,
            "acled_places": {c: final["per_country"][c]["places"] for c in countries},  # type: ignore[index]
            "imports": [{k: v for k, v in s.items() if k != "output"} | {"result": s["output"]} for s in imports],
            "merged_places": total_places,
            "stages": [{"stage": r["stage"], "points": r["points"],
                        "coverage": {c: r["per_country"][c] for c in countries}} for r in results],  # type: ignore[index]
            "targets": targets,
            "missed": {c: [p.__dict__ for p in final["missed"] if p.country == c] for c in COUNTRIES},  # type: ignore[attr-defined]
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0

    print("imports (rasd gazetteer import, temporary RASD_DATA_DIR, wall time incl. process start):")
    for s in imports:
        places = sum(int(line.split(": ", 1)[1].split()[0]) for line in s["output"] if ": " in line)  # type: ignore[union-attr]
        print(f"  {s['import']:<44} {places:>5} places  {s['seconds']:.2f} s")
    print(f"\nshare of ACLED's distinct places (Jan-Jun 2022) within {args.radius:g} km of a gazetteer place")
    head = f"{'gazetteer':<46}{'points':>7}" + "".join(f"{c:>14}" for c in countries)
    print(head)
    print(f"{'(distinct ACLED places)':<46}{'':>7}" + "".join(
        f"{final['per_country'][c]['places']:>14}" for c in countries))  # type: ignore[index]
    for r in results:
        cells = "".join(f"{r['per_country'][c]['share']:>8.1%} {r['per_country'][c]['covered']:>4}"  # type: ignore[index]
                        .rjust(14) for c in countries)
        print(f"{r['stage']:<46}{r['points']:>7}{cells}")
    print("\ntargets (with the imports): " + ", ".join(
        f"{c} {final['per_country'][c]['share']:.1%} vs {t['target']:.0%} {'met' if t['met'] else 'NOT met'}"  # type: ignore[index]
        for c, t in targets.items()))
    if args.misses:
        index = PointIndex(stages[-1][1])
        print(f"\n{args.misses}: places not within {args.radius:g} km (nearest gazetteer place within 50 km)")
        for p in final["missed"]:  # type: ignore[attr-defined]
            if p.country != args.misses:
                continue
            near = index.nearest(p.latitude, p.longitude, 50.0)
            where = f"{near[0]:5.1f} km {near[1]}" if near else "   -- none within 50 km"
            print(f"  {p.location:<34} {p.admin1:<14} {p.admin2:<18} gp{p.geo_precision} n={p.events:<3} {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
