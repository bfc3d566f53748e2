"""The actor base (lexicons/actors.yml), its lookups and the `rasd actors` commands.

Every entry is validated; lookups run on sentences written for these tests (partisan
variants, proclitics glued to names, weak names with and without their country, periods).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rasd.cli import main
from rasd.kb import lexicon
from rasd.kb.gazetteer import load_gazetteer
from rasd.model import Actor
from rasd.text.normalize import fold

SHARED = Path(__file__).resolve().parents[2] / "shared"
ACLED_SAMPLE = SHARED / "data" / "acled-reference" / "acled_2022_mena_sample.csv"
SEED = SHARED / "seed"

FIELDS = {"id", "name", "inter", "country", "names", "names_weak", "affiliation", "valid_from", "valid_to",
          "generic", "acled_aliases", "source", "theatres"}
ARABIC = re.compile("[\u0600-\u06ff]")
LATIN_ACRONYM = re.compile(r"^[A-Z]{3,5}$")  # YPG, SDF, PKK, ISIS as written in Arabic text

# Ids other code and tests rely on, with their English names and first Arabic names.
PINNED = {
    "sy-military": ("Military Forces of Syria (2000-2024)", "قوات النظام"),
    "sy-ndf": ("QDW: National Defense Forces", "الدفاع الوطني"),
    "sy-sdf": ("QSD: Syrian Democratic Forces", "قوات سوريا الديمقراطية"),
    "sy-hts": ("HTS: Hayat Tahrir al Sham", "هيئة تحرير الشام"),
    "sy-fsa": ("Opposition Rebels (Syria)", "الجيش السوري الحر"),
    "sy-fatemiyoun": ("Fatemiyoun Brigade", "لواء فاطميون"),
    "xx-irgc": ("Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps", "الحرس الثوري الإيراني"),
    "xx-pro-iran": ("Militia (Pro-Iran)", "الميليشيات الإيرانية"),
    "lb-hezbollah": ("Hezbollah", "حزب الله"),
    "xx-islamic-state": ("Islamic State ({country})", "تنظيم الدولة"),
    "xx-coalition": ("Global Coalition Against Daesh", "التحالف الدولي"),
    "ye-saudi-coalition": ("Military Forces of Saudi Arabia (2015-) Saudi-led Coalition", "التحالف العربي"),
    "ru-military": ("Military Forces of Russia (2000-)", "القوات الروسية"),
    "tr-military": ("Military Forces of Turkey (2016-)", "القوات التركية"),
    "il-military": ("Military Forces of Israel (2022-)", "الجيش الإسرائيلي"),
    "us-military": ("Military Forces of the United States (2021-)", "القوات الأمريكية"),
    "iq-pmf": ("Hashd al-Shaabi", "الحشد الشعبي"),
    "iq-military": ("Military Forces of Iraq (2014-)", "القوات العراقية"),
    "ye-houthi": ("Ansar Allah", "الحوثيين"),
    "ye-military": ("Military Forces of Yemen (2017-) Supporters of Hadi", "الجيش اليمني"),
    "ly-lna": ("Military Forces of Libya (2014-) Libyan National Army", "الجيش الوطني الليبي"),
    "xx-civilians": ("Civilians ({country})", "المدنيين"),
    "xx-unidentified": ("Unidentified Armed Group ({country})", "مسلحين مجهولين"),
    "xx-protesters": ("Protesters ({country})", "متظاهرين"),
    "xx-rioters": ("Rioters ({country})", "مثيري الشغب"),
}


def rows() -> tuple[dict[str, Any], ...]:
    return lexicon.actor_rows()


def by_id() -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in rows()}


def period(row: dict[str, Any]) -> tuple[date, date]:
    return row.get("valid_from") or date.min, row.get("valid_to") or date.max


def disjoint(a: dict[str, Any], b: dict[str, Any]) -> bool:
    (a_from, a_to), (b_from, b_to) = period(a), period(b)
    return a_to < b_from or b_to < a_from


def names_of(row: dict[str, Any]) -> list[tuple[str, bool]]:
    """(folded name, weak) pairs of one entry."""
    return [(fold(str(n)), False) for n in row["names"]] + [(fold(str(n)), True) for n in row.get("names_weak") or []]


def chosen(text: str, country: str | None = None, day: date | None = None) -> list[str]:
    """The actor ids a text resolves to, in order."""
    return [m.entry.actor.id for m in lexicon.explain_actors(text, country, day) if m.chosen]


# ---------------------------------------------------------------------------------------------
# every entry
# ---------------------------------------------------------------------------------------------


def test_every_entry_has_valid_fields() -> None:
    problems = []
    for row in rows():
        where = row.get("id", row)
        if set(row) - FIELDS:
            problems.append(f"{where}: unknown fields {sorted(set(row) - FIELDS)}")
        for key in ("id", "name", "inter", "names", "source"):
            if not row.get(key):
                problems.append(f"{where}: lacks {key}")
        if not re.fullmatch(r"[a-z]{2}-[a-z0-9-]+", str(row.get("id", ""))):
            problems.append(f"{where}: id is not 'cc-slug'")
        if not isinstance(row.get("inter"), int) or not 0 <= row["inter"] <= 8:
            problems.append(f"{where}: inter {row.get('inter')!r} not an integer 0-8")
        country = row.get("country", "missing")
        if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
            problems.append(f"{where}: country {country!r} is not ISO alpha-2 or null")
        if "{country}" in str(row.get("name")) and country is not None:
            problems.append(f"{where}: a '{{country}}' name is filled per event: country must be null")
        for key in ("valid_from", "valid_to"):
            if key in row and not isinstance(row[key], date):
                problems.append(f"{where}: {key} {row[key]!r} is not a YYYY-MM-DD date")
        if isinstance(row.get("valid_from"), date) and isinstance(row.get("valid_to"), date):
            if row["valid_from"] > row["valid_to"]:
                problems.append(f"{where}: valid_from after valid_to")
        if "generic" in row and not isinstance(row["generic"], bool):
            problems.append(f"{where}: generic must be true/false")
        for key in ("names", "names_weak", "acled_aliases"):
            if key in row and not isinstance(row[key], list):
                problems.append(f"{where}: {key} must be a list")
        for name in [*(row.get("names") or []), *(row.get("names_weak") or [])]:
            text = str(name)
            if not text.strip() or text != text.strip() or "  " in text:
                problems.append(f"{where}: badly spaced name {text!r}")
            if not ARABIC.search(text) and not LATIN_ACRONYM.match(text):
                problems.append(f"{where}: {text!r} is neither Arabic nor a Latin acronym")
    assert not problems, "\n".join(problems)


def test_ids_are_unique_and_the_loader_compiles_every_entry() -> None:
    ids = [row["id"] for row in rows()]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    index = lexicon.actors()
    assert list(index.by_id) == ids
    for row in rows():
        actor = index.by_id[row["id"]].actor
        assert Actor.model_validate(actor.model_dump()) == actor


def test_no_name_is_listed_twice_for_one_actor() -> None:
    doubled = []
    for row in rows():
        keys = [key for key, _ in names_of(row)]
        doubled += [f"{row['id']}: {k}" for k, n in Counter(keys).items() if n > 1]
    assert not doubled, "\n".join(doubled)


def test_every_affiliation_exists_and_leads_to_a_root() -> None:
    table = by_id()
    for row in rows():
        seen = {row["id"]}
        parent = row.get("affiliation")
        while parent is not None:
            assert parent in table, f"{row['id']}: affiliation {parent!r} is not an actor id"
            assert parent not in seen, f"{row['id']}: affiliation cycle through {parent}"
            seen.add(parent)
            parent = table[parent].get("affiliation")


def test_a_name_belongs_to_one_actor_unless_deliberately_shared() -> None:
    """A strong name may be shared only by periods of one force (disjoint validity) or by an
    identity group and the generic actor ACLED codes it as; anything else must be weak."""
    table = rows()
    holders: dict[str, list[int]] = defaultdict(list)
    for position, row in enumerate(table):
        for key, weak in names_of(row):
            if not weak:
                holders[key].append(position)
    clashes = []
    for key, positions in holders.items():
        for i, a in enumerate(positions):
            for b in positions[i + 1:]:
                first, second = table[a], table[b]
                identity = second.get("affiliation") == first["id"] and first.get("generic")
                if not (disjoint(first, second) or identity):
                    clashes.append(f"{key}: {first['id']} and {second['id']}")
    assert not clashes, "\n".join(clashes)


def test_a_weak_name_shared_with_a_strong_one_comes_first() -> None:
    """"تنظيم القاعدة" is weak for AQAP (home YE) and strong for Al Qaeda: in a Yemeni article
    both survive and the country's own actor must win: it is listed first, or the strong holder
    has no country (extraction prefers the article's country's actor to a country-less one)."""
    table = rows()
    first_strong: dict[str, int] = {}
    weak_at: dict[str, list[int]] = defaultdict(list)
    for position, row in enumerate(table):
        for key, weak in names_of(row):
            if weak:
                weak_at[key].append(position)
            else:
                first_strong.setdefault(key, position)
    late = [f"{key}: {table[w]['id']} after {table[first_strong[key]]['id']}"
            for key, positions in weak_at.items() if key in first_strong
            for w in positions if w > first_strong[key] and not disjoint(table[w], table[first_strong[key]])
            and not (table[w].get("country") and not table[first_strong[key]].get("country"))]
    assert not late, "\n".join(late)


def test_strong_names_are_not_place_names() -> None:
    """A strong actor name equal to a place name that needs no cue would make every mention of
    the place an actor (and the gazetteer drops place hits that overlap actor names)."""
    gazetteer = load_gazetteer()
    collisions = []
    for row in rows():
        for name in row["names"]:
            places = [p for p in gazetteer.lookup(str(name)) if p.feature != "country" and not p.weak]
            if places:
                collisions.append(f"{row['id']}: {name} = {places[0].name} ({places[0].country})")
    assert not collisions, "mark these names weak:\n" + "\n".join(collisions)


def test_pinned_ids_keep_their_names() -> None:
    table = by_id()
    for actor_id, (name, first_arabic) in PINNED.items():
        assert table[actor_id]["name"] == name
        assert table[actor_id]["names"][0] == first_arabic


def test_size_and_spread_of_the_actor_base() -> None:
    named = [row for row in rows() if row["names"]]
    assert len(named) >= 300
    specific = Counter(row["country"] for row in named if not row.get("generic"))
    for country, least in {"SY": 60, "IQ": 35, "YE": 30, "LY": 15, "LB": 15, "PS": 12, "IL": 8, "EG": 8,
                           "SD": 20}.items():
        assert specific[country] >= least, (country, specific[country])
    foreign = {row["country"] for row in named if row["inter"] == 8}
    assert {"RU", "TR", "US", "IR", "IL", "SA", "AE"} <= foreign


def test_time_bound_names_cover_the_acled_periods() -> None:
    table = by_id()
    assert table["sy-military"]["valid_to"] == date(2024, 12, 8)
    assert table["sy-military-2024"]["valid_from"] == date(2024, 12, 9)
    assert table["sy-nusra"]["valid_to"] < table["sy-jabhat-fateh-al-sham"]["valid_from"]
    assert table["sy-jabhat-fateh-al-sham"]["valid_to"] < table["sy-hts"]["valid_from"] == date(2017, 1, 28)
    iraq = sorted((table[i] for i in table if i.startswith("iq-military")), key=lambda r: r["valid_from"])
    assert [r["name"] for r in iraq] == [
        "Military Forces of Iraq (2006-2014)", "Military Forces of Iraq (2014-)", "Military Forces of Iraq (2018-2020)",
        "Military Forces of Iraq (2020-2022)", "Military Forces of Iraq (2022-)"]
    for before, after in zip(iraq, iraq[1:], strict=False):
        assert (after["valid_from"] - before["valid_to"]).days == 1  # no gap, no overlap


# ---------------------------------------------------------------------------------------------
# lookups
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # partisan names of one force map to one actor
        ("قصفت قوات الأسد بلدات ريف إدلب", "SY", ["sy-military"]),
        ("استهدفت عصابات الأسد منازل المدنيين", "SY", ["sy-military", "xx-civilians"]),
        ("تقدم الجيش العربي السوري في ريف حماة", "SY", ["sy-military"]),
        ("أعلن تنظيم الدولة الإسلامية مسؤوليته", None, ["xx-islamic-state"]),
        ("هاجم الدواعش نقطة لقسد", "SY", ["xx-islamic-state", "sy-sdf"]),
        ("اشتباكات بين ميليشيات قسد والجيش الوطني السوري", "SY", ["sy-sdf", "sy-sna"]),
        ("قصفت مليشيا الحوثي الإرهابية أحياء تعز", "YE", ["ye-houthi"]),
        ("قالت جماعة أنصار الله إنها أسقطت طائرة", "YE", ["ye-houthi"]),
        ("غارات لطيران العدوان السعودي الأمريكي على صعدة", "YE", ["ye-saudi-coalition"]),
        # proclitics glued to names: wa-, li-, bi- + al-, lil-
        ("وقوات سوريا الديمقراطية سيطرت على القرية", "SY", ["sy-sdf"]),
        ("هجوم لقسد على مواقع داعش", "SY", ["sy-sdf", "xx-islamic-state"]),
        ("التحق عشرات الشبان بالجيش السوري", "SY", ["sy-military"]),
        ("كمين للحشد الشعبي قرب بيجي", "IQ", ["iq-pmf"]),
        ("وبالحوثيين", "YE", ["ye-houthi"]),
        # abbreviations and short forms
        ("هتش تعتقل ناشطين في إدلب", "SY", ["sy-hts"]),
        ("اغتيال قيادي في الهيئة بريف إدلب", "SY", ["sy-hts"]),
        # units resolve to their own ACLED actor
        ("داهمت الفرقة الرابعة مدرعات منازل في درعا", "SY", ["sy-4th-division"]),
        ("قصف الطيران الحربي الروسي والسوري مدينة أريحا", "SY", ["sy-ru-allied"]),
        ("نفذ جهاز مكافحة الإرهاب عملية في الأنبار", "IQ", ["iq-cts"]),
        ("اشتبكت البيشمركة مع مسلحين", "IQ", ["iq-peshmerga", "xx-unidentified"]),
        ("تقدمت ألوية العمالقة والحزام الأمني في شبوة", "YE", ["ye-giants", "ye-security-belt"]),
        ("سيطرت قوات الدعم السريع على الفاشر", "SD", ["sd-rsf"]),
        ("قصفت مسيرات الجيش السوداني مواقع الدعم السريع", "SD", ["sd-military", "sd-rsf"]),
        ("اقتحم المستوطنون قرية قرب نابلس بحماية جيش الاحتلال", "PS", ["il-settlers", "il-military"]),
        ("أطلقت سرايا القدس صواريخ على مستوطنات الغلاف", "PS", ["ps-pij"]),
        ("استهدف حزب الله موقعا للجيش الإسرائيلي", "LB", ["lb-hezbollah", "il-military"]),
        ("اشتباكات بين كتيبة طارق بن زياد وجهاز الردع", "LY", ["ly-tariq-ibn-ziyad", "ly-radaa"]),
        ("قتل جنود من الجيش المصري في هجوم لولاية سيناء", "EG", ["eg-military", "xx-islamic-state"]),
        ("قصفت المسيرات التركية مواقع حزب العمال الكردستاني", "IQ", ["tr-military", "tr-pkk"]),
        ("أغارت طائرة مجهولة على شاحنات قرب البوكمال", "SY", ["xx-unidentified-military"]),
    ],
)
def test_lookup_resolves_names_in_sentences(text: str, country: str | None, expected: list[str]) -> None:
    assert chosen(text, country) == expected


def test_weak_name_needs_its_country_or_a_strong_name() -> None:
    regime = "ندد المحتجون بقرارات النظام"
    assert chosen(regime, "IQ") == ["xx-protesters"]  # "the system", not Syria's state
    assert chosen(regime, "SY") == ["xx-protesters", "sy-military"]
    army = "انتشر الجيش في شوارع المدينة"
    assert chosen(army, "IQ") == ["iq-military"]
    assert chosen(army, "SD") == ["sd-military"]
    assert chosen(army, None) == []
    # a weak name of an actor with no home counts beside a strong name of the same actor
    assert chosen("هاجم التنظيم القرية", "SY") == []
    assert chosen("هاجم تنظيم داعش القرية ثم انسحب التنظيم", "SY") == ["xx-islamic-state", "xx-islamic-state"]


def test_weak_name_explanations_say_why() -> None:
    matches = lexicon.explain_actors("قال الجيش إن", "IQ")
    kept = [m for m in matches if m.kept]
    dropped = [m for m in matches if not m.kept]
    assert [m.entry.actor.id for m in kept if m.chosen] == ["iq-military"]
    assert all(m.weak for m in matches)
    assert "IQ" in kept[0].reason
    assert any(m.entry.actor.id == "sy-military" and "SY" in m.reason for m in dropped)


def test_date_chooses_among_periods() -> None:
    assert chosen("قصف الجيش السوري ريف إدلب", "SY", date(2019, 5, 1)) == ["sy-military"]
    assert chosen("قصف الجيش السوري ريف إدلب", "SY", date(2025, 3, 1)) == ["sy-military-2024"]
    assert chosen("هاجمت جبهة النصرة حاجزا", "SY", date(2015, 2, 1)) == ["sy-nusra"]
    assert chosen("هاجمت جبهة النصرة حاجزا", "SY", date(2016, 10, 1)) == ["sy-jabhat-fateh-al-sham"]
    assert chosen("هاجمت جبهة النصرة حاجزا", "SY", date(2020, 2, 1)) == ["sy-hts"]
    assert chosen("هاجمت جبهة النصرة حاجزا", "SY") == ["sy-hts"]  # no date: the first listed
    assert chosen("قتل جندي من الجيش العراقي", "IQ", date(2021, 6, 1)) == ["iq-military-2020"]
    assert chosen("قتل جندي من الجيش العراقي", "IQ", date(2023, 6, 1)) == ["iq-military-2022"]
    assert chosen("قتل جندي من الجيش العراقي", "IQ", date(2016, 6, 1)) == ["iq-military"]
    assert chosen("اشتباكات مع الدعم السريع", "SD", date(2021, 1, 1)) == ["sd-rsf-2019"]
    assert chosen("غارة للجيش الإسرائيلي", "LB", date(2022, 1, 1)) == ["il-military-2021"]


def test_pick_prefers_the_first_actor_valid_on_the_day() -> None:
    index = lexicon.actors()
    ids = ["sy-military", "sy-military-2024"]
    assert index.pick(ids) == "sy-military"
    assert index.pick(ids, date(2025, 1, 1)) == "sy-military-2024"
    assert index.pick(["sy-military"], date(2025, 1, 1)) == "sy-military"  # nothing valid: first listed
    assert index.pick([], date(2025, 1, 1)) is None
    # then an actor of the text's country (or of none) before a foreign one
    assert index.pick(["il-military", "sy-military"], date(2019, 1, 1), "SY") == "sy-military"
    assert index.pick(["il-military-2009", "sy-military"], date(2019, 1, 1), "IL") == "il-military-2009"


def test_a_weak_name_goes_to_the_texts_own_actor() -> None:
    """"الجيش" is weak for every army; beside "الجيش الإسرائيلي" it is also kept for Israel's,
    but in a Syrian text it stands for Syria's army."""
    text = "قصف الجيش الإسرائيلي موقعا ورد الجيش بالمدفعية"
    assert chosen(text, "SY", date(2019, 1, 1)) == ["il-military-2009", "sy-military"]
    [israel] = [m for m in lexicon.explain_actors(text, "SY", date(2019, 1, 1))
                if m.entry.actor.id == "il-military-2009" and m.key == fold("الجيش")]
    assert israel.kept and not israel.chosen and "sy-military is preferred" in israel.reason


def test_identity_groups_are_coded_as_civilians_with_the_group_alongside() -> None:
    matches = lexicon.explain_actors("قتل ثلاثة صحفيين بقصف", "SY")
    assert [m.entry.actor.id for m in matches] == ["xx-civilians", "xx-journalists"]
    assert [m.chosen for m in matches] == [True, False]
    assert "associated actor" in matches[1].reason


def test_lookup_offsets_point_into_the_original_text() -> None:
    text = "وقالت مصادر إنّ «قوّات سوريا الديمقراطيّة» دخلت البلدة"
    [match] = [m for m in lexicon.explain_actors(text, "SY") if m.chosen]
    assert text[match.start:match.end] == match.text == "قوّات سوريا الديمقراطيّة"


def test_export_records_have_the_cli_shape() -> None:
    records = lexicon.actor_records()
    assert len(records) == len(rows())
    required = {"id", "name", "names_ar", "inter", "country", "affiliation", "valid_from", "valid_to"}
    for record in records:
        assert required <= set(record)
        assert set(record["names_weak"]) <= set(record["names_ar"])
    sy = next(r for r in records if r["id"] == "sy-military")
    assert sy["valid_to"] == "2024-12-08" and "النظام" in sy["names_weak"]


@pytest.mark.skipif(not ACLED_SAMPLE.exists(), reason="ACLED reference sample not available")
def test_actors_of_the_acled_sample_are_known() -> None:
    """Every actor ACLED named in Syria, Iraq, Yemen and Libya in the 2022 sample is in the base
    (as its name, a filled '{country}' template or an alias), up to the period qualifier."""
    from rasd.evaluate import actor_key

    known: set[str] = set()
    for row in rows():
        for name in [row["name"], *(row.get("acled_aliases") or [])]:
            for country in ("Syria", "Iraq", "Yemen", "Libya", "International"):
                known.add(actor_key(name.replace("{country}", country)))
    names: set[str] = set()
    with ACLED_SAMPLE.open(encoding="utf-8") as handle:
        for event in csv.DictReader(handle):
            if event["country"] in ("Syria", "Iraq", "Yemen", "Libya"):
                for column in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
                    names.update(n.strip() for n in event[column].split(";") if n.strip())
    missing = sorted(n for n in names if actor_key(n) not in known)
    assert len(missing) <= 0.15 * len(names), missing
    main_actors = {"Military Forces of Syria (2000-)", "QSD: Syrian Democratic Forces", "Islamic State (Iraq)",
                   "Military Forces of Yemen (2016-) Supreme Political Council", "Operation Restoring Hope",
                   "Military Forces of Iraq (2020-) Popular Mobilization Forces", "Tariq Ibn Ziyad Brigade"}
    assert not main_actors & set(missing)


@pytest.mark.skipif(not (SEED / "seed.gold.json").exists(), reason="seed article not available")
def test_seed_actors_resolve_from_the_seed_text() -> None:
    gold = json.loads((SEED / "seed.gold.json").read_text(encoding="utf-8"))
    matches = lexicon.explain_actors(gold["text"], "SY")
    names = {m.entry.display_name("Syria") for m in matches if m.chosen}
    wanted = {e[k] for e in gold["events"] + gold.get("optional", []) for k in ("actor1", "actor2") if e.get(k)}
    assert wanted <= names, wanted - names


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------


def test_cli_lookup_explains_in_text(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["actors", "lookup", "اشتبكت وقوات قسد مع النظام والجيش", "--country", "SY"])
    out = capsys.readouterr().out
    assert code == 0
    assert "text country: SY (--country)" in out
    assert "QSD: Syrian Democratic Forces  (sy-sdf)" in out and "after proclitic 'و'" in out
    assert "Military Forces of Syria (2000-2024)  (sy-military)" in out
    assert "weak name, kept: the text is about SY" in out
    assert "sy-military-2024" in out and "a date chooses by period" in out


def test_cli_lookup_json_with_date(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["actors", "lookup", "قصف الجيش السوري", "--country", "SY", "--date", "2025-02-01", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["country"] == "SY" and result["date"] == "2025-02-01"
    assert result["actors"] == ["sy-military-2024"]
    first = result["matches"][0]
    assert first["text"] == "الجيش السوري" and first["strength"] == "strong"
    assert {"start", "end", "actor_id", "name", "inter", "country", "valid_from", "valid_to", "reason"} <= set(first)
    old = next(m for m in result["matches"] if m["actor_id"] == "sy-military")
    assert old["valid_on_date"] is False and not old["chosen"]


def test_cli_lookup_country_from_places_and_generic_names(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["actors", "lookup", "قتل مدنيون في قصف على مدينة إدلب", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["country"] == "SY" and result["country_source"] == "from the places named"
    assert [m["display_name"] for m in result["matches"] if m["chosen"]] == ["Civilians (Syria)"]


def test_cli_lookup_reads_stdin_and_reports_nothing(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("ارتفعت أسعار الخبز"))
    assert main(["actors", "lookup", "-"]) == 1
    assert "no actor named" in capsys.readouterr().out


def test_cli_lookup_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actors", "lookup", "قسد", "--date", "2019-13-01"]) == 2
    assert "--date" in capsys.readouterr().err
    assert main(["actors", "lookup", "قسد", "--country", "Syria"]) == 2
    assert "--country" in capsys.readouterr().err
    assert main(["actors"]) == 2


def test_cli_export_writes_one_record_per_actor(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actors", "export", "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(rows())
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [row["id"] for row in rows()]
    hts = next(r for r in records if r["id"] == "sy-hts")
    assert hts["valid_from"] == "2017-01-28" and "هتش" in hts["names_ar"]
    assert next(r for r in records if r["id"] == "sy-4th-division")["affiliation"] == "sy-military"


def test_cli_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["actors", "lookup", "--help"], ["actors", "export", "--help"]):
        with pytest.raises(SystemExit) as stop:
            main(command)
        assert stop.value.code == 0
        assert "Example" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# Somalia, the Sahel, the Gulf and the small tribal groups of the ACLED sample
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # al-Shabaab: neutral, partisan ("خوارج") and glued forms map to one actor
        ("هاجم مسلحو حركة الشباب ثكنة للجيش الصومالي", "SO", ["so-al-shabaab", "so-military"]),
        ("قتل عشرة من خوارج الشباب في غارة جوية جنوبي البلاد", "SO", ["so-al-shabaab"]),
        ("اشتبكت ميليشيات الخوارج مع القوات الصومالية", "SO", ["so-al-shabaab", "so-military"]),
        ("تصدت ميليشيات معاويسلي لهجوم شنه مقاتلو الشباب", "SO", ["so-macawisley", "so-al-shabaab"]),
        ("قتل جنديان من قوات أتميس بعبوة زرعتها حركة الشباب المجاهدين", "SO", ["xx-atmis", "so-al-shabaab"]),
        ("تقدمت قوات بونتلاند في الجبال الشرقية", "SO", ["so-puntland"]),
        ("داهمت قوات جوبالاند قرية على ضفة النهر", "SO", ["so-jubaland"]),
        # Islamic State in Somalia is the per-country template
        ("أعلنت ولاية الصومال مسؤوليتها عن تفجير", "SO", ["xx-islamic-state"]),
        # the Sahel: a Malian article's al-Qaeda and Islamic State are the Sahel branches
        ("هاجمت جماعة نصرة الإسلام والمسلمين موقعا للجيش المالي", "ML", ["ml-jnim", "ml-military"]),
        ("تبنى تنظيم القاعدة هجوما على ثكنة وسط البلاد", "ML", ["ml-jnim"]),
        ("تبنى تنظيم القاعدة هجوما على ثكنة وسط البلاد", "YE", ["ye-aqap"]),
        ("أعلن تنظيم الدولة مسؤوليته عن الكمين", "ML", ["ml-islamic-state-sahel"]),
        ("أعلن تنظيم الدولة مسؤوليته عن الكمين", "SY", ["xx-islamic-state"]),
        ("قتل مسلحون من تنظيم الدولة في الصحراء الكبرى قرويين", "NE",
         ["xx-unidentified", "ml-islamic-state-sahel"]),
        ("أغارت مسيرات الجيش المالي والفيلق الأفريقي على مواقع جبهة تحرير أزواد", "ML",
         ["ml-military", "ru-africa-corps", "ml-fla"]),
        ("اشتبك مقاتلو ولاية غرب أفريقيا مع الجيش النيجيري", "NG", ["ng-iswap", "ng-military"]),
        ("هاجمت جماعة بوكو حرام قرية نائية", "NG", ["ng-boko-haram"]),
        ("قتل جنود من الجيش النيجري في كمين", "NE", ["ne-military"]),
        ("نصب مسلحون كمينا لمتطوعي الدفاع عن الوطن", "BF", ["xx-unidentified", "bf-vdp"]),
        ("قصفت القوات التشادية مواقع للمتمردين", "TD", ["td-military"]),
        # the Gulf
        ("فرقت الشرطة البحرينية تجمعا في قرية قرب المنامة", "BH", ["bh-police"]),
        ("قمعت مرتزقة آل خليفة وقفة احتجاجية", "BH", ["bh-police"]),
        ("شاركت قوة دفاع البحرين في التحالف العربي", "YE", ["bh-military", "ye-saudi-coalition"]),
        # tribal groups of the ACLED 2022 sample
        ("اشتباكات بين آل الحدي وآل محمود أوقعت قتلى", "YE", ["ye-al-haddi", "ye-al-mahmud"]),
        ("أعلنت قبائل الحدا النفير ضد الحوثيين", "YE", ["ye-al-hada", "ye-houthi"]),
        ("اغتيل شيخ من قبيلة بني بحر في كمين", "YE", ["ye-bani-bahr"]),
        ("قطع أبناء عشيرة آل ازيرج الطريق العام احتجاجا", "IQ", ["iq-al-zerg"]),
    ],
)
def test_lookup_resolves_somali_sahel_gulf_and_tribal_actors(text: str, country: str | None,
                                                             expected: list[str]) -> None:
    assert chosen(text, country) == expected


def test_al_shabaab_bare_name_is_weak() -> None:
    """"الشباب" is "the youth" (and a Saudi football club): it names the movement only in an
    article about Somalia or beside one of its strong names."""
    assert chosen("فاز فريق الشباب على ضيفه في الدوري", "SA") == []
    assert chosen("فاز فريق الشباب على ضيفه في الدوري") == []
    assert chosen("خرج مئات الشباب للمطالبة بفرص عمل", "IQ") == []
    assert chosen("قال الجيش إنه قتل قياديين من الشباب", "SO") == ["so-military", "so-al-shabaab"]
    # outside Somalia a strong name of the movement in the text makes the bare name count
    assert chosen("أعلنت حركة الشباب مسؤوليتها وقالت الشباب إنها ستواصل", "KE") == ["so-al-shabaab", "so-al-shabaab"]
    [weak] = [m for m in lexicon.explain_actors("فاز فريق الشباب", "SA") if m.entry.actor.id == "so-al-shabaab"]
    assert weak.weak and not weak.kept and "SO" in weak.reason


def test_periods_of_somali_and_african_union_forces() -> None:
    assert chosen("قصف الجيش الصومالي قرية", "SO", date(2020, 1, 1)) == ["so-military-2017"]
    assert chosen("قصف الجيش الصومالي قرية", "SO", date(2023, 1, 1)) == ["so-military"]
    text = "قتل جنود من بعثة الاتحاد الأفريقي في الصومال"
    assert chosen(text, "SO", date(2019, 1, 1)) == ["xx-amisom"]
    assert chosen(text, "SO", date(2023, 1, 1)) == ["xx-atmis"]
    assert chosen(text, "SO", date(2025, 6, 1)) == ["xx-aussom"]
    tuareg = "هاجمت الحركات الأزوادية معسكرا للجيش"
    assert chosen(tuareg, "ML", date(2019, 1, 1)) == ["ml-cma", "ml-military"]
    assert chosen(tuareg, "ML", date(2023, 10, 1)) == ["ml-csp", "ml-military"]
    assert chosen(tuareg, "ML", date(2025, 3, 1)) == ["ml-fla", "ml-military"]


def test_acled_tribal_group_names_are_aliases_of_the_tribal_militias() -> None:
    table = by_id()
    assert "Bani Bahr Tribal Group (Yemen)" in table["ye-bani-bahr"]["acled_aliases"]
    assert "Al Hada Tribal Group (Yemen)" in table["ye-al-hada"]["acled_aliases"]
    assert "Al Zerg Tribal Group (Iraq)" in table["iq-al-zerg"]["acled_aliases"]
    assert "Unidentified Tribal Group ({country})" in table["xx-unidentified-tribal"]["acled_aliases"]


def test_somali_sahel_and_gulf_actors_are_covered() -> None:
    specific = Counter(row["country"] for row in rows() if not row.get("generic"))
    for country, least in {"SO": 8, "ML": 6, "BF": 3, "NE": 2, "NG": 4, "TD": 3, "MR": 2,
                           "KW": 2, "QA": 2, "BH": 2, "OM": 2}.items():
        assert specific[country] >= least, (country, specific[country])
