"""Importers of public place tables: GeoNames dumps, OCHA COD tables, CSV with a column map."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

import rasd.cli
from rasd.errors import InputError, UsageError
from rasd.kb.gazetteer import load_gazetteer, user_places
from rasd.kb.importers import import_csv, parse_column_map, run_import


@pytest.fixture(autouse=True)
def _fresh_gazetteer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each test imports into its own data folder, with no cached gazetteer before or after."""
    monkeypatch.setenv("RASD_DATA_DIR", str(tmp_path / "data"))
    load_gazetteer.cache_clear()
    yield
    load_gazetteer.cache_clear()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(rasd.cli, "_COMMAND_MODULES", ("gazetteer",))
    return rasd.cli.main


def gazetteer_files(tmp_path: Path) -> dict[str, bytes]:
    root = tmp_path / "data" / "gazetteer"
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


# --- GeoNames ---------------------------------------------------------------------------------

def geonames_row(gid: int, name: str, ascii_name: str, alternates: list[str], lat: float, lon: float,
                 fclass: str, fcode: str, cc: str, admin1: str, population: int) -> str:
    cols = [str(gid), name, ascii_name, ",".join(alternates), str(lat), str(lon), fclass, fcode, cc, "",
            admin1, "", "", "", str(population), "", "250", "Asia/Damascus", "2023-01-01"]
    assert len(cols) == 19
    return "\t".join(cols)


SY_ROWS = [
    geonames_row(900001, "Qaryat al Ikhtibar", "Qaryat al Ikhtibar", ["Test Village", "قرية الاختبار"],
                 35.1, 40.2, "P", "PPL", "SY", "07", 1200),
    geonames_row(900002, "Ālbū Fulān", "Albu Fulan", ["Albu Fulan", "البوفلان"], 34.5, 40.9, "P", "PPLA2", "SY", "07", 25000),
    geonames_row(900003, "Maţār al Ikhtibar", "Matar al Ikhtibar", [], 35.2, 40.3, "S", "AIRP", "SY", "07", 0),
    geonames_row(900004, "Nahr al Ikhtibar", "Nahr al Ikhtibar", ["نهر الاختبار"], 35.3, 40.4, "H", "STM", "SY", "07", 0),
    geonames_row(900005, "Al Bab al Ikhtibari", "Al Bab al Ikhtibari", ["الباب"], 36.3, 37.5, "P", "PPL", "SY", "09", 500),
]
ALTERNATES = [
    "1\t900003\tar\tمطار الاختبار\t1\t\t\t\t\t",
    "2\t900003\ten\tTest Airport\t\t\t\t\t\t",
    "3\t900001\tar\tالاختبار القديمة\t\t\t\t1\t\t",  # historic: skipped
    "4\t999999\tar\tلا علاقة\t\t\t\t\t\t",  # another place: skipped
]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_geonames_dump_with_alternate_names(tmp_path: Path) -> None:
    dump = write_lines(tmp_path / "SY.txt", SY_ROWS)
    alt = write_lines(tmp_path / "alternateNamesV2.txt", ALTERNATES)
    [result] = run_import("geonames", [dump, alt])
    assert result.source == "geonames-SY" and result.places == 4 and result.added == 4
    places = {p.id: p for p in user_places()}
    assert set(places) == {"gn:900001", "gn:900002", "gn:900003", "gn:900005"}  # the stream is not kept
    village = places["gn:900001"]
    assert village.name_ar == "قرية الاختبار" and village.admin1 == "Deir ez Zor" and village.feature == "village"
    assert village.population == 1200 and village.source.startswith("GeoNames 900001")
    assert "الاختبار القديمة" not in village.names
    airport = places["gn:900003"]
    assert airport.feature == "site" and airport.name_ar == "مطار الاختبار"
    albu = places["gn:900002"]
    assert albu.name == "Albu Fulan" and albu.feature == "town"
    assert {"البوفلان", "البو فلان", "أبو فلان"} <= set(albu.names)
    assert places["gn:900005"].weak


def test_geonames_zip_and_country_filter(tmp_path: Path) -> None:
    rows = SY_ROWS[:1] + [geonames_row(900010, "Qaryah Iraqiyah", "Qaryah Iraqiyah", ["قرية عراقية"], 33.3, 44.4,
                                       "P", "PPL", "IQ", "07", 800)]
    text = tmp_path / "cities500.txt"
    write_lines(text, rows)
    archive = tmp_path / "cities500.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(text, "cities500.txt")
    [result] = run_import("geonames", [archive], country="iq")
    assert result.source == "geonames-cities500" and result.places == 1
    [place] = user_places()
    assert place.id == "gn:900010" and place.country == "IQ" and place.admin1 == "Baghdad"


def test_geonames_bad_column_count_names_file_and_line(tmp_path: Path) -> None:
    dump = write_lines(tmp_path / "SY.txt", [SY_ROWS[0], "900099\tBroken\tBroken\t" + "\t".join(["x"] * 15)])
    with pytest.raises(InputError) as info:
        run_import("geonames", [dump])
    assert f"{dump}:2" in str(info.value) and "19" in str(info.value)


def test_geonames_bad_coordinates(tmp_path: Path) -> None:
    cols = SY_ROWS[0].split("\t")
    cols[4] = "north"
    dump = write_lines(tmp_path / "SY.txt", ["\t".join(cols)])
    with pytest.raises(InputError, match=r"SY\.txt:1.*latitude"):
        run_import("geonames", [dump])


def test_geonames_without_dump_is_an_error(tmp_path: Path) -> None:
    alt = write_lines(tmp_path / "alternateNamesV2.txt", ALTERNATES)
    with pytest.raises(InputError, match="no GeoNames dump"):
        run_import("geonames", [alt])


# --- OCHA COD ---------------------------------------------------------------------------------

OCHA_HDX = """ADM3_EN,ADM3_AR,ADM3_PCODE,ADM2_EN,ADM2_AR,ADM2_PCODE,ADM1_EN,ADM1_AR,ADM1_PCODE,ADM0_EN,ADM0_PCODE,Longitude,Latitude
#adm3+name+en,#adm3+name+ar,#adm3+code,#adm2+name+en,#adm2+name+ar,#adm2+code,#adm1+name+en,#adm1+name+ar,#adm1+code,#country+name,#country+code,#geo+lon,#geo+lat
Hajin,هجين,SY090201,Abu Kamal,البوكمال,SY0902,Deir-ez-Zor,دير الزور,SY09,Syrian Arab Republic,SY,40.83,34.69
Jisr-Ash-Shugur,مركز جسر الشغور,SY070400,Jisr-Ash-Shugur,جسر الشغور,SY0704,Idleb,إدلب,SY07,Syrian Arab Republic,SY,36.31,35.81
"""

OCHA_DBF_STYLE = """adm2_name,adm2_name1,adm2_name2,adm2_pcode,adm1_name,adm1_name1,adm1_pcode,adm0_pcode,center_lat,center_lon
Al Mayadin,الميادين,,SY0903,Deir-ez-Zor,دير الزور,SY09,SY,34.93,40.44
Al Ma'ra,معرة النعمان,,SY0702,Idleb,إدلب,SY07,SY,35.64,36.67
"""

OCHA_POINTS = """admin_leve,name,name1,x_coord,y_coord,adm1_name,adm1_name1,adm1_pcode,adm2_name,adm2_pcode,adm0_pcode
0,Syrian Arab Republic,الجمهورية العربية السورية,38.5,34.8,,,,,,SY
1,Deir-ez-Zor,دير الزور,40.1,35.3,Deir-ez-Zor,دير الزور,SY09,,,SY
2,Abu Kamal,البوكمال,40.7,34.6,Deir-ez-Zor,دير الزور,SY09,Abu Kamal,SY0902,SY
"""

OCHA_PLACES = """pcode,name_en,name_ar,adm1_en,adm2_en,latitude,longitude,population
C4567,Al Baghuz Fawqani,الباغوز فوقاني,Deir-ez-Zor,Abu Kamal,34.46,40.95,12000
C4568,Ash Shafah,الشعفة,Deir-ez-Zor,Abu Kamal,34.55,40.88,
"""


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8-sig")  # HDX files often start with a BOM
    return path


def test_ocha_hdx_admin3_table(tmp_path: Path) -> None:
    [result] = run_import("ocha", [write_text(tmp_path / "syr_adm3.csv", OCHA_HDX)])
    assert result.places == 2
    places = {p.id: p for p in user_places()}
    hajin = places["ocha:SY090201"]
    assert hajin.name == "Hajin" and hajin.name_ar == "هجين" and hajin.feature == "admin3"
    assert (hajin.admin1, hajin.admin2, hajin.admin3) == ("Deir ez Zor", "Abu Kamal", "Hajin")
    assert (hajin.latitude, hajin.longitude) == (34.69, 40.83) and hajin.country == "SY"
    assert places["ocha:SY070400"].admin2 == "Jisr Ash Shugur"  # ACLED style


def test_ocha_lowercase_admin2_table(tmp_path: Path) -> None:
    run_import("ocha", [write_text(tmp_path / "syr_admin2.csv", OCHA_DBF_STYLE)])
    places = {p.id: p for p in user_places()}
    mayadin = places["ocha:SY0903"]
    assert mayadin.feature == "admin2" and mayadin.name_ar == "الميادين" and mayadin.admin2 == "Al Mayadin"
    assert places["ocha:SY0702"].admin2 == "Al Mara"
    assert (mayadin.latitude, mayadin.longitude) == (34.93, 40.44)


def test_ocha_points_and_populated_places(tmp_path: Path) -> None:
    run_import("ocha", [write_text(tmp_path / "points.csv", OCHA_POINTS)])
    places_file = write_text(tmp_path / "ppl.csv", OCHA_PLACES)
    with pytest.raises(InputError, match=r"ppl\.csv:2.*--country"):  # P-code C4567 names no country
        run_import("ocha", [places_file])
    run_import("ocha", [places_file], country="SY")
    places = {p.id: p for p in user_places()}
    assert "ocha:SY" not in places  # the country row is left to countries.yml
    assert places["ocha:SY09"].feature == "admin1" and places["ocha:SY09"].admin1 == "Deir ez Zor"
    assert places["ocha:SY0902"].feature == "admin2" and places["ocha:SY0902"].longitude == 40.7
    baghuz = places["ocha:C4567"]
    assert baghuz.feature == "town" and baghuz.population == 12000 and baghuz.admin2 == "Abu Kamal"
    assert places["ocha:C4568"].feature == "village"
    assert any(p.id == "ocha:C4568" for p in load_gazetteer().lookup("الشعفة"))


def test_ocha_not_a_cod_table(tmp_path: Path) -> None:
    path = write_text(tmp_path / "other.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(InputError, match="not an OCHA COD table"):
        run_import("ocha", [path])


def test_ocha_bad_coordinate_names_line_and_column(tmp_path: Path) -> None:
    bad = OCHA_DBF_STYLE.replace("34.93", "north")
    path = write_text(tmp_path / "bad.csv", bad)
    with pytest.raises(InputError) as info:
        run_import("ocha", [path])
    assert f"{path}:2" in str(info.value) and "center_lat" in str(info.value)


def test_ocha_row_without_pcode(tmp_path: Path) -> None:
    path = write_text(tmp_path / "nopcode.csv", OCHA_DBF_STYLE.replace("SY0702", ""))
    with pytest.raises(InputError, match=r"nopcode\.csv:3.*P-code"):
        run_import("ocha", [path])


# --- CSV --------------------------------------------------------------------------------------

SITES = """site_id,name_en,name_ar,lat,lon,region_en,kind
17,Al Omar Oil Field,حقل العمر,35.03,40.55,DEIR-EZ-ZOR,site
18,Al Hamdan,الحمدان,34.47,40.88,Deir-ez-Zor,
"""
SITES_MAP = "id=site_id,name=name_en,name_ar=name_ar,latitude=lat,longitude=lon,admin1=region_en,feature=kind"


def test_csv_with_column_map(tmp_path: Path) -> None:
    path = write_text(tmp_path / "sites.csv", SITES)
    [result] = run_import("csv", [path], country="SY", mapping=parse_column_map(SITES_MAP))
    assert result.source == "csv-sites" and result.places == 2
    places = {p.id: p for p in user_places()}
    field = places["csv:sites:17"]
    assert field.name == "Al Omar Oil Field" and field.name_ar == "حقل العمر" and field.feature == "site"
    assert field.admin1 == "Deir ez Zor" and field.country == "SY"
    hamdan = places["csv:sites:18"]
    assert hamdan.feature == "village" and "حمدان" in hamdan.names
    assert "csv:sites:18" in [p.id for p in load_gazetteer().lookup("الحمدان")]


def test_csv_rows_without_id_use_the_row_number(tmp_path: Path) -> None:
    path = write_text(tmp_path / "list.csv", "name,ar\nA,قرية أ\nB,قرية ب\n")
    import_csv([path], {"name": "name", "name_ar": "ar"}, country="SY")
    assert sorted(p.id for p in user_places()) == ["csv:list:1", "csv:list:2"]


def test_csv_missing_column_and_bad_value(tmp_path: Path) -> None:
    path = write_text(tmp_path / "sites.csv", SITES)
    with pytest.raises(InputError, match="no column for latitude=latitude"):
        run_import("csv", [path], country="SY", mapping={"name": "name_en", "latitude": "latitude"})
    bad = write_text(tmp_path / "bad.csv", SITES.replace("34.47", "3x.47"))
    with pytest.raises(InputError) as info:
        run_import("csv", [bad], country="SY", mapping=parse_column_map(SITES_MAP))
    assert f"{bad}:3" in str(info.value) and "'lat'" in str(info.value)


def test_csv_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown field"):
        parse_column_map("colour=red")
    with pytest.raises(UsageError, match="--country"):
        import_csv([Path("x.csv")], {"name": "n"})


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name\nQal\xe2t\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        run_import("csv", [latin1], country="SY", mapping={"name": "name"})
    empty = write_text(tmp_path / "empty.csv", "")
    with pytest.raises(InputError, match="empty file"):
        run_import("ocha", [empty])
    with pytest.raises(InputError, match="no such file"):
        run_import("ocha", [tmp_path / "missing.csv"])


# --- idempotence, atomicity, layering -----------------------------------------------------------


def test_reimport_changes_nothing(tmp_path: Path) -> None:
    dump = write_lines(tmp_path / "SY.txt", SY_ROWS)
    ocha = write_text(tmp_path / "syr_adm3.csv", OCHA_HDX)
    run_import("geonames", [dump])
    run_import("ocha", [ocha])
    before = gazetteer_files(tmp_path)
    [again] = run_import("ocha", [ocha])
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 2, 0)
    run_import("geonames", [dump])
    assert gazetteer_files(tmp_path) == before
    assert sorted(before) == ["geonames-SY.jsonl", "ocha-syr_adm3.jsonl"]  # no temporary file left


def test_reimport_of_a_changed_file_counts_updates(tmp_path: Path) -> None:
    path = write_text(tmp_path / "syr_adm3.csv", OCHA_HDX)
    run_import("ocha", [path])
    write_text(path, OCHA_HDX.replace("40.83,34.69", "40.84,34.70").replace(
        "Jisr-Ash-Shugur,مركز جسر الشغور,SY070400,Jisr-Ash-Shugur,جسر الشغور,SY0704,Idleb,إدلب,SY07,Syrian Arab Republic,SY,36.31,35.81\n", ""))
    [result] = run_import("ocha", [path])
    assert (result.added, result.updated, result.unchanged, result.removed) == (0, 1, 0, 1)


def test_imports_layer_over_the_packaged_gazetteer(tmp_path: Path) -> None:
    """Same GeoNames id: the user's row wins; the next load sees it (run_import clears the cache)."""
    assert load_gazetteer().by_id["gn:173480"].population == 54534
    row = geonames_row(173480, "Al Mayādīn", "Al Mayadin", ["الميادين"], 35.02, 40.45, "P", "PPLA2", "SY", "07", 60000)
    run_import("geonames", [write_lines(tmp_path / "SY.txt", [row])])
    assert load_gazetteer().by_id["gn:173480"].population == 60000


def test_written_file_is_sorted_json_lines(tmp_path: Path) -> None:
    run_import("geonames", [write_lines(tmp_path / "SY.txt", list(reversed(SY_ROWS)))])
    lines = (tmp_path / "data" / "gazetteer" / "geonames-SY.jsonl").read_text(encoding="utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == sorted(ids)
    assert not [p for p in os.listdir(tmp_path / "data" / "gazetteer") if p.endswith(".tmp")]


# --- CLI --------------------------------------------------------------------------------------


def test_cli_import_prints_counts(cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_text(tmp_path / "sites.csv", SITES)
    argv = ["gazetteer", "import", "--format", "csv", str(path), "--country", "SY", "--map", SITES_MAP]
    assert cli(argv) == 0
    assert "csv-sites: 2 places (2 added, 0 updated, 0 unchanged, 0 removed)" in capsys.readouterr().out
    assert cli(argv) == 0
    assert "(0 added, 0 updated, 2 unchanged, 0 removed)" in capsys.readouterr().out
    assert cli(["gazetteer", "lookup", "حقل العمر", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["candidates"][0]["id"] == "csv:sites:17"


def test_cli_import_errors_exit_codes(cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_text(tmp_path / "sites.csv", SITES)
    assert cli(["gazetteer", "import", "--format", "csv", str(path), "--map", "colour=red", "--country", "SY"]) == 2
    assert "unknown field" in capsys.readouterr().err
    assert cli(["gazetteer", "import", "--format", "ocha", str(path)]) == 1
    assert "not an OCHA COD table" in capsys.readouterr().err
