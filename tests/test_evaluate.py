"""`rasd evaluate`: gold loading, section-3 scoring and the command line.

The articles below are short invented reports written for these tests; system events are
built directly as Event objects so that scoring is tested without the extractor.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import rasd.cli
from rasd.errors import GoldError
from rasd.evaluate import (
    GoldArticle,
    actor_key,
    haversine_km,
    load_gold,
    parse_article,
    place_key,
    read_events,
    score,
)
from rasd.model import Event, Evidence

IDLIB = (
    "قصفت قوات النظام السوري بالمدفعية الثقيلة، صباح اليوم الثلاثاء، بلدة كفرنبل في ريف إدلب الجنوبي، "
    "ما أدى إلى مقتل مدنيين اثنين وإصابة أربعة آخرين. "
    "وقالت مصادر محلية إن القذائف سقطت على سوق شعبي وسط البلدة."
)
BUKAMAL = (
    "استهدفت طائرة مسيّرة مجهولة، مساء أمس الجمعة، سيارة تقل عناصر من ميليشيا الحشد الشعبي العراقية "
    "على أطراف مدينة البوكمال قرب الحدود مع العراق، ما أسفر عن مقتل ثلاثة منهم. "
    "وتوعد قيادي في الميليشيا بالرد على الهجوم خلال الأيام المقبلة."
)
TABQA = (
    "تظاهر العشرات من أهالي مدينة الطبقة غربي الرقة، اليوم السبت، احتجاجاً على انقطاع الكهرباء "
    "وارتفاع أسعار الخبز. وأشعل بعض المتظاهرين الإطارات في الشارع الرئيسي، "
    "وسط انتشار أمني في محيط مبنى المجلس المحلي."
)
TAFAS = (
    "اغتال مسلحون مجهولون، ليل الإثنين، عنصراً سابقاً في فصائل المعارضة بإطلاق النار عليه أمام منزله "
    "في بلدة طفس بريف درعا الغربي. "
    "وفي اليوم ذاته، نصبت قوات النظام حاجزاً عسكرياً جديداً على المدخل الشمالي للبلدة."
)
TWICE = (
    "قصفت قوات النظام بلدة كفرنبل بعشرات القذائف يوم الأحد. "
    "وعادت القوات ذاتها إلى قصف البلدة صباح الإثنين بصواريخ من طراز غراد."
)


def sentence(text: str, number: int) -> str:
    """The n-th sentence (from 0) of a test article, verbatim with its full stop."""
    return [s.strip() + "." for s in text.split(".") if s.strip()][number]


def gold_event(**fields: Any) -> dict[str, Any]:
    """A complete gold event (all starred fields) for the Idlib shelling, overridable."""
    record: dict[str, Any] = {
        "event_date": "2023-03-14", "time_precision": 1,
        "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Military Forces of Syria (2000-2024)", "inter1": 1,
        "actor2": "Civilians (Syria)", "inter2": 7,
        "country": "Syria", "admin1": "Idlib", "location": "Kafr Nabl", "location_ar": "كفرنبل",
        "latitude": 35.6136, "longitude": 36.5619, "geo_precision": 1,
        "fatalities": 2, "fatalities_known": True, "injured": 4, "civilian_targeting": True,
        "evidence_text": sentence(IDLIB, 0),
    }
    record.update(fields)
    return record


def gold_article(article_id: str, text: str, events: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": article_id, "published": extra.pop("published", "2023-03-14"), "text": text,
            "events": events, **extra}


def as_gold(*items: dict[str, Any]) -> list[GoldArticle]:
    return [parse_article(item, f"test: {item['id']}") for item in items]


def system_event(article_id: str, text: str, trigger: str | None = None, **fields: Any) -> Event:
    """A system event whose trigger evidence points at the first occurrence of `trigger`."""
    evidence = []
    if trigger is not None:
        start = text.index(trigger)
        evidence.append(Evidence(field="trigger", start=start, end=start + len(trigger), text=trigger))
    values: dict[str, Any] = {
        "event_id": f"{article_id}-{fields.pop('n', 0)}", "article_id": article_id,
        "disorder_type": "Political violence", "evidence": evidence,
    }
    values.update(fields)
    return Event(**values)


def idlib_system(**fields: Any) -> Event:
    """The system's reading of the Idlib shelling, equal to the gold unless overridden."""
    values: dict[str, Any] = {
        "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
        "event_date": date(2023, 3, 14), "time_precision": 1,
        "actor1": "Military Forces of Syria (2000-2024)", "inter1": 1,
        "actor2": "Civilians (Syria)", "inter2": 7, "interaction": 17, "country": "Syria", "admin1": "Idlib",
        "location": "Kafr Nabl", "location_ar": "كفرنبل", "latitude": 35.6136, "longitude": 36.5619,
        "geo_precision": 1, "fatalities": 2, "fatalities_known": True, "civilian_targeting": True,
    }
    values.update(fields)
    return system_event("idlib", IDLIB, values.pop("trigger", "قصفت"), **values)


IDLIB_GOLD = gold_article("idlib", IDLIB, [gold_event()])


def bukamal_gold() -> dict[str, Any]:
    return gold_article("bukamal", BUKAMAL, [gold_event(
        event_date="2023-06-09", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        actor1="Unidentified Military Forces", inter1=8, actor2="Hashd al-Shaabi", inter2=3,
        admin1="Deir ez-Zor", location="Al-Bukamal", location_ar="البوكمال", latitude=None, longitude=None,
        geo_precision=2, fatalities=3, injured=None, civilian_targeting=False,
        evidence_text=sentence(BUKAMAL, 0),
        also_accept_actors={"Hashd al-Shaabi": ["PMF: Popular Mobilization Forces"]},
    )], published="2023-06-10", not_events=[sentence(BUKAMAL, 1)[:-1]])


def bukamal_system(trigger: str | None = None, **fields: Any) -> Event:
    values: dict[str, Any] = {
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "event_date": date(2023, 6, 9), "actor1": "Unidentified Military Forces", "inter1": 8,
        "actor2": "Hashd al-Shaabi", "inter2": 3, "admin1": "Deir ez-Zor", "location": "Bukamal",
        "geo_precision": 2, "fatalities": 3,
    }
    values.update(fields)
    return system_event("bukamal", BUKAMAL, trigger, **values)


def tabqa_gold() -> dict[str, Any]:
    return gold_article("tabqa", TABQA, [gold_event(
        event_date="2023-08-19", event_type="Protests", sub_event_type="Peaceful protest",
        actor1="Protesters (Syria)", inter1=6, actor2=None, inter2=0, admin1="Ar-Raqqa",
        location="Al Thawrah", location_ar="الطبقة", latitude=35.8356, longitude=38.5481,
        fatalities=0, injured=None, civilian_targeting=False, evidence_text=sentence(TABQA, 0),
        also_accept=[{"event_type": "Riots", "sub_event_type": "Violent demonstration"}],
    )], published="2023-08-19")


def tabqa_system(**fields: Any) -> Event:
    """A Tabqa protest with no trigger evidence: only the place rule can pair it."""
    values: dict[str, Any] = {
        "event_type": "Protests", "sub_event_type": "Peaceful protest", "event_date": date(2023, 8, 19),
        "actor1": "Protesters (Syria)", "inter1": 6, "admin1": "Ar-Raqqa", "location": "Tabqa",
        "geo_precision": 1,
    }
    values.update(fields)
    return system_event("tabqa", TABQA, None, **values)


# --------------------------------------------------------------------------- detection


def test_perfect_match_scores_f1_one() -> None:
    report = score(as_gold(IDLIB_GOLD), {"idlib": [idlib_system()]})
    assert (report.detection.precision, report.detection.recall, report.detection.f1) == (1.0, 1.0, 1.0)
    assert report.any_type.f1 == 1.0
    assert all(t.correct == t.total == 1 for t in report.fields.values())
    assert not report.collect("missed") and not report.collect("spurious") and not report.collect("mismatches")


def test_missed_gold_event_is_listed_with_its_evidence() -> None:
    report = score(as_gold(IDLIB_GOLD), {})
    assert (report.detection.paired, report.detection.recall, report.detection.precision) == (0, 0.0, 0.0)
    [missed] = report.collect("missed")
    assert missed["evidence"] == sentence(IDLIB, 0)
    assert "no system event of type" in missed["reason"]


def test_spurious_event_lowers_precision_and_says_why() -> None:
    extra = system_event("idlib", IDLIB, "سقطت", n=1, event_type="Battles", sub_event_type="Armed clash",
                         location="Kafr Nabl")
    report = score(as_gold(IDLIB_GOLD), {"idlib": [idlib_system(), extra]})
    assert report.detection.precision == 0.5 and report.detection.recall == 1.0
    [spurious] = report.collect("spurious")
    assert spurious["event_id"] == "idlib-1" and spurious["trigger"] == "سقطت"
    assert "no gold event of type 'Battles'" in spurious["reason"]
    assert spurious["evidence"] == sentence(IDLIB, 1)


def test_wrong_type_counts_only_in_any_type_detection() -> None:
    wrong = idlib_system(event_type="Battles", sub_event_type="Armed clash")
    report = score(as_gold(IDLIB_GOLD), {"idlib": [wrong]})
    assert report.detection.f1 == 0.0
    assert report.any_type.f1 == 1.0


def test_trigger_inside_gold_evidence_pairs_without_a_place() -> None:
    unplaced = idlib_system(location=None, location_ar=None, latitude=None, longitude=None)
    report = score(as_gold(IDLIB_GOLD), {"idlib": [unplaced]})
    assert report.detection.paired == 1
    assert [m["field"] for m in report.collect("mismatches")] == ["place"]


def test_trigger_outside_evidence_and_no_place_does_not_pair() -> None:
    elsewhere = idlib_system(trigger="سقطت", location=None, location_ar=None, latitude=None, longitude=None)
    report = score(as_gold(IDLIB_GOLD), {"idlib": [elsewhere]})
    assert report.detection.paired == 0
    assert "none matches its place" in report.collect("missed")[0]["reason"]


def test_mismatched_fields_are_listed_with_both_evidences() -> None:
    report = score(as_gold(IDLIB_GOLD), {"idlib": [idlib_system(fatalities=5, event_date=date(2023, 3, 13))]})
    assert report.detection.f1 == 1.0
    mismatches = {m["field"]: m for m in report.collect("mismatches")}
    assert set(mismatches) == {"fatalities", "event_date"}
    assert (mismatches["fatalities"]["gold"], mismatches["fatalities"]["system"]) == (2, 5)
    assert mismatches["event_date"]["gold"] == "2023-03-14"
    assert mismatches["fatalities"]["gold_evidence"] == sentence(IDLIB, 0)
    assert mismatches["fatalities"]["system_evidence"] == sentence(IDLIB, 0)
    assert report.fields["fatalities"].accuracy == 0.0 and report.fields["place"].accuracy == 1.0


# --------------------------------------------------------------------------- place rule


def test_place_matches_by_normalised_arabic_form() -> None:
    # teh marbuta written as heh: equal once folded; English names and coordinates absent/different.
    report = score(as_gold(tabqa_gold()), {"tabqa": [tabqa_system(location_ar="الطبقه")]})
    assert report.detection.paired == 1
    assert report.fields["place"].correct == 1


def test_place_matches_by_english_name_variant() -> None:
    assert place_key("Al-Bukamal") == place_key("Bukamal") == place_key("al Bukamal")
    assert place_key("Deir ez-Zor") == place_key("Deir Ez Zor")
    assert place_key("Tal Abyad") != place_key("Abyad")
    report = score(as_gold(bukamal_gold()), {"bukamal": [bukamal_system()]})
    assert report.detection.paired == 1
    assert report.fields["place"].correct == 1


def test_place_matches_by_coordinates_within_ten_km() -> None:
    near = tabqa_system(latitude=35.87, longitude=38.57)
    assert haversine_km(35.8356, 38.5481, 35.87, 38.57) < 10
    assert score(as_gold(tabqa_gold()), {"tabqa": [near]}).detection.paired == 1
    far = tabqa_system(latitude=35.95, longitude=39.02)  # Raqqa city, about 44 km away
    report = score(as_gold(tabqa_gold()), {"tabqa": [far]})
    assert report.detection.paired == 0
    assert len(report.collect("missed")) == 1 and len(report.collect("spurious")) == 1


# --------------------------------------------------------------------------- actors and types


def test_actor_period_suffix_is_ignored() -> None:
    assert actor_key("Military Forces of Syria (2000-2024)") == actor_key("military forces of syria")
    assert actor_key("Military Forces of Syria (2000-)") == "military forces of syria"
    system = idlib_system(actor1="Civilians (Syria)", actor2="military forces of syria (2000-)", inter1=7, inter2=1)
    report = score(as_gold(IDLIB_GOLD), {"idlib": [system]})
    assert report.fields["actors"].correct == 1
    assert report.fields["inter"].correct == 1  # codes compared as an unordered pair


def test_also_accept_actors_is_honoured() -> None:
    ok = bukamal_system(actor2="PMF: Popular Mobilization Forces")
    assert score(as_gold(bukamal_gold()), {"bukamal": [ok]}).fields["actors"].correct == 1
    other = bukamal_system(actor2="Hezbollah")
    report = score(as_gold(bukamal_gold()), {"bukamal": [other]})
    assert report.fields["actors"].correct == 0
    [mismatch] = report.collect("mismatches")
    assert mismatch["field"] == "actors" and mismatch["gold"] == ["Unidentified Military Forces", "Hashd al-Shaabi"]


def test_also_accept_type_pairs_and_credits_sub_type() -> None:
    riot = tabqa_system(event_type="Riots", sub_event_type="Violent demonstration", location="Al-Thawrah")
    report = score(as_gold(tabqa_gold()), {"tabqa": [riot]})
    assert report.detection.f1 == 1.0
    assert report.fields["sub_event_type"].correct == 1
    battle = tabqa_system(event_type="Battles", sub_event_type="Armed clash", location="Al-Thawrah")
    assert score(as_gold(tabqa_gold()), {"tabqa": [battle]}).detection.paired == 0


# --------------------------------------------------------------------------- optional, not-events, greedy


def tafas_gold() -> dict[str, Any]:
    optional = {
        "event_date": "2023-10-02", "time_precision": 1, "event_type": "Strategic developments",
        "sub_event_type": "Other", "actor1": "Military Forces of Syria (2000-2024)", "inter1": 1,
        "country": "Syria", "admin1": "Dar'a", "location": "Tafas", "location_ar": "طفس", "geo_precision": 1,
        "evidence_text": sentence(TAFAS, 1),
    }
    return gold_article("tafas", TAFAS, [gold_event(
        event_date="2023-10-02", event_type="Violence against civilians", sub_event_type="Attack",
        actor1="Unidentified Armed Group (Syria)", inter1=3, actor2="Civilians (Syria)", inter2=7,
        admin1="Dar'a", location="Tafas", location_ar="طفس", latitude=None, longitude=None,
        fatalities=1, injured=None, evidence_text=sentence(TAFAS, 0),
    )], published="2023-10-03", optional=[optional])


def test_optional_event_is_neither_credited_nor_counted() -> None:
    attack = system_event("tafas", TAFAS, "اغتال", event_type="Violence against civilians", sub_event_type="Attack",
                          event_date=date(2023, 10, 2), location="Tafas", actor1="Unidentified Armed Group (Syria)",
                          actor2="Civilians (Syria)")
    checkpoint = system_event("tafas", TAFAS, "نصبت", n=1, event_type="Strategic developments",
                              sub_event_type="Other", disorder_type="Strategic developments")
    report = score(as_gold(tafas_gold()), {"tafas": [attack, checkpoint]})
    d = report.detection
    assert (d.system, d.excluded, d.paired, d.precision, d.recall) == (2, 1, 1, 1.0, 1.0)
    assert not report.collect("spurious")
    # without its optional entry the same event is spurious
    plain = dict(tafas_gold(), optional=[])
    assert score(as_gold(plain), {"tafas": [attack, checkpoint]}).detection.precision == 0.5


def test_not_event_quote_hit_is_a_listed_false_positive() -> None:
    threat = bukamal_system(trigger="وتوعد", n=1, event_type="Strategic developments", sub_event_type="Other",
                            location=None, fatalities=0)
    report = score(as_gold(bukamal_gold()), {"bukamal": [bukamal_system(trigger="استهدفت"), threat]})
    assert report.not_events_hit == 1
    [hit] = report.collect("not_event_hits")
    assert hit["event_id"] == "bukamal-1" and hit["evidence_fields"] == ["trigger"]
    assert hit["quote"] == sentence(BUKAMAL, 1)[:-1]
    [spurious] = report.collect("spurious")
    assert spurious["not_event_quotes"] == [hit["quote"]]
    assert report.detection.precision == 0.5


def test_event_outside_not_event_quote_is_not_a_hit() -> None:
    report = score(as_gold(bukamal_gold()), {"bukamal": [bukamal_system(trigger="استهدفت")]})
    assert report.not_events_hit == 0 and not report.collect("warnings")


def test_greedy_pairing_prefers_the_candidate_with_more_agreeing_fields() -> None:
    shelling = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
                "actor2": None, "inter2": 0, "fatalities": 0, "civilian_targeting": False,
                "latitude": None, "longitude": None}
    gold = gold_article("twice", TWICE, [
        gold_event(**shelling, event_date="2023-05-07", evidence_text=sentence(TWICE, 0)),
        gold_event(**shelling, event_date="2023-05-08", evidence_text=sentence(TWICE, 1)),
    ])
    common = {"event_type": shelling["event_type"], "sub_event_type": shelling["sub_event_type"],
              "location": "Kafr Nabl", "actor1": "Military Forces of Syria (2000-2024)", "inter1": 1}
    # The Monday event comes first: pairing in list order would swap both dates.
    monday = system_event("twice", TWICE, "قصف البلدة", n=0, event_date=date(2023, 5, 8), **common)
    sunday = system_event("twice", TWICE, "قصفت", n=1, event_date=date(2023, 5, 7), **common)
    report = score(as_gold(gold), {"twice": [monday, sunday]})
    assert report.detection.paired == 2
    assert report.fields["event_date"].correct == 2
    assert "event_date" not in {m["field"] for m in report.collect("mismatches")}
    pairs = {p["gold_index"]: p["event_id"] for p in report.to_dict()["per_article"][0]["pairs"]}
    assert pairs == {0: "twice-1", 1: "twice-0"}


def test_micro_sum_over_articles_and_per_article_figures() -> None:
    report = score(as_gold(IDLIB_GOLD, tabqa_gold()), {"idlib": [idlib_system()]})
    assert (report.detection.gold, report.detection.paired) == (2, 1)
    assert report.detection.recall == 0.5 and report.detection.precision == 1.0
    per_article = {a["article_id"]: a for a in report.to_dict()["per_article"]}
    assert per_article["idlib"]["detection"]["f1"] == 1.0
    assert per_article["tabqa"]["detection"]["recall"] == 0.0


# --------------------------------------------------------------------------- loading


def write_jsonl(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


def test_load_gold_reads_json_lines_a_list_and_a_single_article(tmp_path: Path) -> None:
    lines = write_jsonl(tmp_path / "gold.jsonl", [IDLIB_GOLD, tabqa_gold()])
    listed = tmp_path / "gold.json"
    listed.write_text(json.dumps([IDLIB_GOLD, tabqa_gold()], ensure_ascii=False, indent=1), encoding="utf-8")
    single = tmp_path / "one.json"
    single.write_text(json.dumps(tafas_gold(), ensure_ascii=False, indent=1), encoding="utf-8")
    assert [a.id for a in load_gold(lines)] == ["idlib", "tabqa"]
    assert [a.id for a in load_gold(listed)] == ["idlib", "tabqa"]
    [tafas] = load_gold(single)
    assert tafas.published == date(2023, 10, 3) and len(tafas.optional) == 1
    assert tafas.events[0].event_date == date(2023, 10, 2)


def test_gold_error_names_file_article_and_missing_field(tmp_path: Path) -> None:
    broken = gold_event()
    del broken["fatalities"]
    path = write_jsonl(tmp_path / "gold.jsonl", [tabqa_gold(), gold_article("idlib", IDLIB, [broken])])
    with pytest.raises(GoldError) as info:
        load_gold(path)
    message = str(info.value)
    assert str(path) in message and "'idlib'" in message and "line 2" in message
    assert "event 1" in message and "'fatalities'" in message


def test_gold_error_on_missing_evidence_and_bad_values(tmp_path: Path) -> None:
    no_evidence = gold_event()
    del no_evidence["evidence_text"]
    with pytest.raises(GoldError, match="evidence_text"):
        load_gold(write_jsonl(tmp_path / "a.jsonl", [gold_article("a", IDLIB, [no_evidence])]))
    with pytest.raises(GoldError, match="event_date"):
        load_gold(write_jsonl(tmp_path / "b.jsonl", [gold_article("b", IDLIB, [gold_event(event_date="14/03/2023")])]))
    with pytest.raises(GoldError, match="line 1: missing field 'id'"):
        load_gold(write_jsonl(tmp_path / "c.jsonl", [{"published": "2023-03-14", "text": IDLIB, "events": []}]))


def test_text_ref_resolves_against_a_gzipped_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"docno": "other", "text": TABQA}, ensure_ascii=False) + "\n")
        out.write(json.dumps({"docno": "doc-7", "text": IDLIB}, ensure_ascii=False) + "\n")
    ref = {k: v for k, v in IDLIB_GOLD.items() if k != "text"} | {"text_ref": {"dataset": "news", "id": "doc-7"}}
    gold = write_jsonl(tmp_path / "gold.jsonl", [ref])
    [article] = load_gold(gold, corpus)
    assert article.text == IDLIB
    with pytest.raises(GoldError, match="needs a corpus"):
        load_gold(gold)
    missing = write_jsonl(tmp_path / "missing.jsonl", [ref | {"text_ref": {"dataset": "news", "id": "nope"}}])
    with pytest.raises(GoldError, match="'nope' not found"):
        load_gold(missing, corpus)


def test_unlocatable_evidence_is_warned_about() -> None:
    gold = gold_article("idlib", IDLIB, [gold_event(evidence_text="جملة لا ترد في النص")])
    report = score(as_gold(gold), {})
    assert any("evidence_text not found" in w for w in report.collect("warnings"))


# --------------------------------------------------------------------------- command line


def run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    """Run `rasd` with only the evaluate command registered (others may not exist yet)."""
    monkeypatch.setattr(rasd.cli, "_COMMAND_MODULES", ("evaluate",))
    return rasd.cli.main(list(argv))


def test_cli_runs_the_extractor_with_each_article_date_and_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[str, date | None, str]] = []

    def fake_extract(text: str, published: date | None = None, article_id: str = "article") -> list[Event]:
        calls.append((text, published, article_id))
        return [idlib_system()] if article_id == "idlib" else []

    monkeypatch.setattr("rasd.api.extract", fake_extract)
    gold = write_jsonl(tmp_path / "gold.jsonl", [IDLIB_GOLD, tabqa_gold()])
    assert run_cli(monkeypatch, "evaluate", str(gold), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert calls == [(IDLIB, date(2023, 3, 14), "idlib"), (TABQA, date(2023, 8, 19), "tabqa")]
    assert data["detection"]["paired"] == 1 and data["detection"]["recall"] == 0.5
    assert data["fields"]["fatalities"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert [m["article_id"] for m in data["missed"]] == ["tabqa"]
    assert data["missed"][0]["evidence"] == sentence(TABQA, 0)


def test_cli_table_shows_figures_and_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("rasd.api.extract", lambda text, published=None, article_id="a": [])
    gold = write_jsonl(tmp_path / "gold.jsonl", [IDLIB_GOLD])
    assert run_cli(monkeypatch, "evaluate", str(gold)) == 0
    out = capsys.readouterr().out
    assert "Detection" in out and "Missed gold events (1)" in out and sentence(IDLIB, 0)[:40] in out


def test_cli_scores_saved_events_and_resolves_text_ref(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_extraction(*args: Any, **kwargs: Any) -> list[Event]:
        raise AssertionError("--events must not run the extractor")

    monkeypatch.setattr("rasd.api.extract", no_extraction)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"id": "doc-7", "text": IDLIB}])
    ref = {k: v for k, v in IDLIB_GOLD.items() if k != "text"} | {"text_ref": {"dataset": "news", "id": "doc-7"}}
    gold = write_jsonl(tmp_path / "gold.jsonl", [ref])
    events = write_jsonl(tmp_path / "events.jsonl", [idlib_system().to_json_dict()])
    assert read_events(events)["idlib"][0].fatalities == 2
    code = run_cli(monkeypatch, "evaluate", str(gold), "--corpus", str(corpus), "--events", str(events), "--json")
    assert code == 0
    assert json.loads(capsys.readouterr().out)["detection"]["f1"] == 1.0


def test_cli_exit_status_on_gold_and_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = gold_event()
    del broken["location_ar"]
    gold = write_jsonl(tmp_path / "gold.jsonl", [gold_article("idlib", IDLIB, [broken])])
    assert run_cli(monkeypatch, "evaluate", str(gold)) == 1
    assert "'location_ar'" in capsys.readouterr().err
    assert run_cli(monkeypatch, "evaluate", str(tmp_path / "absent.jsonl")) == 2
    with pytest.raises(SystemExit) as info:
        run_cli(monkeypatch, "evaluate")
    assert info.value.code == 2
