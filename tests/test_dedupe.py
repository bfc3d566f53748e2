"""Cross-article de-duplication: the pairwise rules, merging, incremental clustering, the
store's use of them (ids, idempotence, explanations), reviews that last, and the real
extractor end to end (three articles, five reports, three events)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from news_samples import (
    ARTICLES, CIVILIANS, CLASH, KHAN_SHAYKHUN, MAIN, REBELS, REGIME, RUSSIA, STRIKE, STRIKE_TYPE,
    main_reports, sample_reports, strike_reports, write_jsonl,
)
from rasd.cli import main
from rasd.dedupe import Candidate, compare, fatality_spread, lead_report, merge_reports, place
from rasd.errors import UsageError
from rasd.model import Article, Event
from rasd.store import Store, migrations, open_store


def strike(article_id: str = "x", **fields: Any) -> Event:
    """A minimal air-strike report on Khan Shaykhun on 12 June 2019."""
    base: dict[str, Any] = {
        "event_id": f"{article_id}-0", "article_id": article_id, "event_date": date(2019, 6, 12),
        "disorder_type": "Political violence", **STRIKE_TYPE, **KHAN_SHAYKHUN, "country": "Syria",
        "actor1": RUSSIA, "actor2": CIVILIANS, "geo_precision": 1, "fatalities": 4,
    }
    base.update(fields)
    return Event(**base)


def failed(a: Event, b: Event) -> dict[str, str]:
    return {c.name: c.detail for c in compare(a, b).failed}


# --------------------------------------------------------------------------- pairwise rules


def test_two_outlets_on_one_strike_are_the_same_event() -> None:
    comparison = compare(strike("a"), strike("b", fatalities=6))
    assert comparison.same and comparison.score > 0
    assert {c.name for c in comparison.checks} == {"article", "family", "date", "place", "actors"}


def test_same_town_different_days_stay_apart() -> None:
    assert failed(strike("a"), strike("b", event_date=date(2019, 6, 13))) == {
        "date": "different dates (2019-06-12 (exact day) / 2019-06-13 (exact day))"
    }


def test_strike_and_the_funeral_protest_after_it_stay_apart() -> None:
    funeral = strike("b", disorder_type="Demonstrations", event_type="Protests", sub_event_type="Peaceful protest",
                     actor1="Protesters (Syria)", actor2=None)
    assert "family" in failed(strike("a"), funeral)


def test_an_air_strike_and_an_ied_in_one_town_on_one_day_stay_apart() -> None:
    ied = strike("b", sub_event_type="Remote explosive/landmine/IED", actor1=None)
    assert failed(strike("a"), ied) == {"family": "different acts (Air/drone strike / Remote explosive/landmine/IED)"}


def test_reports_of_one_article_are_never_merged() -> None:
    assert "article" in failed(strike("a"), strike("a", event_id="a-1"))


def test_clash_with_sides_swapped_or_a_side_missing_is_the_same() -> None:
    a = strike("a", event_type="Battles", sub_event_type="Armed clash", actor1=REBELS, actor2=REGIME)
    assert compare(a, strike("b", event_type="Battles", sub_event_type="Armed clash", actor1=REGIME, actor2=REBELS)).same
    assert compare(a, strike("c", event_type="Battles", sub_event_type="Armed clash", actor1=REBELS, actor2=None)).same
    unidentified = strike("d", event_type="Battles", sub_event_type="Armed clash",
                          actor1="Unidentified Armed Group (Syria)", actor2=REGIME)
    assert compare(a, unidentified).same


def test_one_group_against_two_different_enemies_stays_apart() -> None:
    a = strike("a", event_type="Battles", sub_event_type="Armed clash", actor1="Islamic State (Syria)", actor2=REGIME)
    b = strike("b", event_type="Battles", sub_event_type="Armed clash", actor1="Islamic State (Syria)",
               actor2="QSD: Syrian Democratic Forces")
    assert set(failed(a, b)) == {"actors"}


def test_places_within_a_few_km_or_an_approximate_place_in_the_same_district() -> None:
    near = strike("b", location="Khan Shaykhun outskirts", latitude=35.46, longitude=36.66)
    assert compare(strike("a"), near).same
    far = strike("c", location="Maarrat an Numan", latitude=35.6478, longitude=36.6717)
    assert "place" in failed(strike("a", admin2="Maarrat an Nu'man"), far.model_copy(update={"admin2": "Maarrat an Nu'man"}))
    approximate = far.model_copy(update={"admin2": "Maarrat an Nu'man", "geo_precision": 2})
    assert compare(strike("a", admin2="Maarrat an Nu'man"), approximate).same
    assert "place" in failed(strike("a"), strike("d", country="Iraq"))


def test_date_windows_follow_time_precision() -> None:
    week = strike("b", event_date=date(2019, 6, 14), time_precision=2)
    assert compare(strike("a"), week).same
    month = strike("c", event_date=date(2019, 6, 15), time_precision=3)
    assert compare(strike("a"), month).same
    assert "date" in failed(strike("a"), strike("d", event_date=date(2019, 7, 15), time_precision=3))
    assert "date" in failed(strike("a"), strike("e", event_date=None))


# --------------------------------------------------------------------------- merging


def test_fatalities_are_the_lowest_stated_figure_and_the_spread_is_kept() -> None:
    reports = [strike("a", fatalities=0, fatalities_known=False), strike("b", fatalities=6), strike("c", fatalities=4)]
    merged = merge_reports(reports, "a-0")
    assert (merged.fatalities, merged.fatalities_known) == (4, True)
    spread = fatality_spread(reports)
    assert (spread.low, spread.high, spread.disputed) == (4, 6, True)
    assert "range from 4 to 6" in merged.notes


def test_no_stated_figure_but_deaths_reported_is_unknown() -> None:
    merged = merge_reports([strike("a", fatalities=0, fatalities_known=False), strike("b", fatalities=0)], "a-0")
    assert (merged.fatalities, merged.fatalities_known) == (0, False)


def test_one_report_is_returned_unchanged() -> None:
    only = strike("a")
    assert merge_reports([only], "a-0") is only
    assert merge_reports([only], "other").event_id == "other"


def test_lead_report_is_the_most_precise_then_the_first() -> None:
    vague = strike("a", geo_precision=2)
    precise = strike("b", geo_precision=1)
    assert lead_report([vague, precise]) is precise
    assert lead_report([strike("c"), strike("d")]).article_id == "c"
    merged = merge_reports([vague, precise], "a-0")
    assert merged.article_id == "b" and merged.event_id == "a-0"
    assert merged.source == "a; b" or merged.source is not None


# --------------------------------------------------------------------------- incremental clustering


def test_a_report_joins_only_a_cluster_it_matches_entirely() -> None:
    monday, wednesday = strike("a", event_date=date(2019, 6, 10)), strike("b", event_date=date(2019, 6, 12))
    vague_week = strike("c", event_date=date(2019, 6, 11), time_precision=2)
    # "this week" and Monday are one event; Wednesday matches "this week" but not Monday.
    placement = place(wednesday, [Candidate("A", 0, (vague_week, monday))])
    assert placement.cluster_id is None  # complete linkage: no chaining through a vague report
    assert placement.near_misses[0].member_id == "a-0"
    assert place(strike("d"), [Candidate("B", 1, (strike("b"),)), Candidate("A", 0, (strike("a"),))]).cluster_id == "A"


# --------------------------------------------------------------------------- the store


@pytest.fixture()
def store(store_location: str) -> Store:
    """A fresh store, once in SQLite and once in PostgreSQL (conftest.store_location)."""
    with open_store(store_location) as opened:
        yield opened  # type: ignore[misc]


def fill(store: Store) -> None:
    for article, reports in sample_reports():
        assert store.add(article, reports).stored


def snapshot(store: Store) -> list[dict[str, Any]]:
    return [e.to_json_dict() for e in store.events(review="any")]


def test_three_articles_five_reports_three_events(store: Store) -> None:
    fill(store)
    assert store.stats()["reports"] == 5
    events = list(store.events())
    assert [e.event_id for e in events] == ["orient-0612-1", "orient-0612-0", "orient-0612-2"]
    clash, strike_event, shelling = events
    assert (strike_event.fatalities, strike_event.source) == (4, "Orient News; Enab Baladi")
    assert (clash.fatalities, clash.sources) == (2, ["Orient News", "SMART"])
    assert shelling.sources == ["Orient News"]
    detail = store.event_detail("orient-0612-0")
    assert detail is not None
    assert [r.article_id for r in detail.reports] == ["orient-0612", "enab-0612"]
    assert [d.decision for d in detail.decisions] == ["founded", "joined"]
    assert detail.spread.low == 4 and detail.spread.high == 6


def test_reingesting_changes_nothing(store: Store, tmp_path: Path) -> None:
    fill(store)
    before = snapshot(store), store.stats()
    for article, reports in sample_reports():
        assert store.add(article, reports).stored is False
    assert (snapshot(store), store.stats()) == before


def test_a_report_id_names_its_event(store: Store) -> None:
    fill(store)
    assert store.resolve_id("enab-0612-0") == "orient-0612-0"
    assert store.event("enab-0612-0") is None  # only events have records of their own
    detail = store.event_detail("enab-0612-0")
    assert detail is not None and detail.event.event_id == "orient-0612-0"


def test_ids_and_records_do_not_depend_on_anything_but_the_input(tmp_path: Path) -> None:
    results = []
    for name in ("one.db", "two.db"):
        with open_store(str(tmp_path / name)) as s:
            fill(s)
            results.append(snapshot(s))
    assert results[0] == results[1]


def test_look_alikes_stay_distinct(store: Store) -> None:
    fill(store)
    next_day = Article(id="next", text="غارة جديدة على خان شيخون.", published=date(2019, 6, 13))
    funeral = Article(id="funeral", text="تشييع ضحايا خان شيخون.", published=date(2019, 6, 12))
    store.add(next_day, [strike("next", event_date=date(2019, 6, 13))])
    store.add(funeral, [strike("funeral", disorder_type="Demonstrations", event_type="Protests",
                               sub_event_type="Peaceful protest", actor1="Protesters (Syria)", actor2=None)])
    assert store.counts()["events"] == 5
    assert store.resolve_id("next-0") == "next-0" and store.resolve_id("funeral-0") == "funeral-0"
    decision = store.event_detail("next-0").decisions[0]  # type: ignore[union-attr]
    kept_apart = decision.detail["kept_apart"]
    assert kept_apart[0]["cluster"] == "orient-0612-0"
    assert any(c["name"] == "date" and not c["ok"] for c in kept_apart[0]["checks"])


def test_founding_id_already_taken_gets_a_derived_id(store: Store) -> None:
    fill(store)
    store.review("orient-0612-2", "confirm", "amal")
    store.reextract(MAIN, main_reports()[:2])  # the shelling vanishes: its reviewed event is kept, orphaned
    shelling = main_reports()[2]
    store.add(Article(id="again", text="نص آخر", published=date(2019, 6, 12)), [shelling])
    new_id = store.report_clusters([shelling.event_id])[shelling.event_id]
    assert new_id != shelling.event_id and len(new_id) == 16
    assert store.resolve_id(shelling.event_id) == new_id  # a live event before an orphaned one
    live = store.event_detail(new_id)
    assert live is not None and not live.orphaned


def test_filters_text_bbox_paging(store: Store) -> None:
    fill(store)
    # the article text: every event reported in it
    assert [e.event_id for e in store.events(q="جسر الشغور")] == ["orient-0612-1", "orient-0612-0", "orient-0612-2"]
    assert [e.event_id for e in store.events(q="shughur")] == ["orient-0612-2"]  # location, any case
    assert [e.event_id for e in store.events(q="طفلان")] == ["orient-0612-0"]  # the second outlet's text
    assert [e.event_id for e in store.events(bbox=(36.0, 35.7, 36.5, 36.0))] == ["orient-0612-2"]
    assert [e.event_id for e in store.events(limit=1, offset=1)] == ["orient-0612-0"]
    assert store.count_events(country="syria", event_type="Battles") == 1


# --------------------------------------------------------------------------- reviews


def test_review_edit_reject_reopen_with_audit_trail(store: Store) -> None:
    fill(store)
    detail = store.review("orient-0612-0", "edit", "amal", fields={"fatalities": 5}, note="hospital list")
    assert detail.event.fatalities == 5 and detail.review == "edited" and detail.edits == {"fatalities": 5}
    assert "5 killed" not in detail.event.notes or "lowest is coded" not in detail.event.notes
    store.review("orient-0612-0", "confirm", "omar")
    store.review("orient-0612-1", "reject", "omar", note="a clash already coded elsewhere")
    assert [e.event_id for e in store.events()] == ["orient-0612-0", "orient-0612-2"]
    assert [e.event_id for e in store.events(review="rejected")] == ["orient-0612-1"]
    assert store.counts()["events"] == 2
    history = store.event_detail("orient-0612-0").history  # type: ignore[union-attr]
    assert [(h.action, h.reviewer) for h in history] == [("edit", "amal"), ("confirm", "omar")]
    assert history[0].changes["fatalities"] == {"from": 4, "to": 5} and history[0].reviewed_at
    store.review("orient-0612-1", "reopen", "amal")
    assert store.count_events() == 3
    store.review("orient-0612-0", "edit", "amal", revert=["fatalities"])
    assert store.event("orient-0612-0").fatalities == 4  # type: ignore[union-attr]


def test_reviews_survive_reingestion_and_reextraction(store: Store) -> None:
    fill(store)
    store.review("orient-0612-0", "edit", "amal", fields={"fatalities": 5, "admin2": "Khan Shaykhun"})
    store.review("orient-0612-2", "reject", "amal")
    for article, reports in sample_reports():
        store.add(article, reports)
    # A better extractor: new confidence and notes, same events; ids are kept, edits re-applied.
    better = [e.model_copy(update={"confidence": 0.95, "notes": "new notes"}) for e in main_reports()]
    outcome = store.reextract(MAIN, better)
    assert [p.decision for p in outcome.placements] == ["inherited"] * 3
    event = store.event("orient-0612-0")
    assert event is not None and (event.fatalities, event.admin2) == (5, "Khan Shaykhun")
    assert event.confidence == 0.95
    assert store.event_detail("orient-0612-2").review == "rejected"  # type: ignore[union-attr]
    assert [e.event_id for e in store.events()] == ["orient-0612-1", "orient-0612-0"]
    assert store.stats()["reports"] == 5


def test_bad_reviews_are_usage_errors(store: Store) -> None:
    fill(store)
    with pytest.raises(UsageError, match="no event"):
        store.review("nope", "confirm", "amal")
    with pytest.raises(UsageError, match="reviewer"):
        store.review("orient-0612-0", "confirm", " ")
    with pytest.raises(UsageError, match="cannot edit event_id"):
        store.review("orient-0612-0", "edit", "amal", fields={"event_id": "x"})
    with pytest.raises(UsageError, match="fatalities"):
        store.review("orient-0612-0", "edit", "amal", fields={"fatalities": "many"})
    with pytest.raises(UsageError, match="unknown review action"):
        store.review("orient-0612-0", "delete", "amal")
    assert store.event_detail("orient-0612-0").history == ()  # type: ignore[union-attr]


# --------------------------------------------------------------------------- migration of an old store


def test_a_store_from_before_dedupe_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 1)
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    migrations.migrate(conn, str(path))
    event = main_reports()[0]
    conn.execute("INSERT INTO articles VALUES (?, 'h', ?, '2019-06-12', NULL, NULL, NULL, 'now')", (MAIN.id, MAIN.text))
    conn.execute(
        "INSERT INTO events (event_id, article_id, event_date, country, admin1, event_type, sub_event_type,"
        " actor1, actor2, actors, fatalities, record) VALUES (?, ?, '2019-06-12', 'Syria', 'Idleb', ?, ?, ?, ?, '', 4, ?)",
        (event.event_id, MAIN.id, event.event_type, event.sub_event_type, event.actor1, event.actor2,
         json.dumps(event.to_json_dict(), ensure_ascii=False)),
    )
    conn.close()
    monkeypatch.undo()
    with open_store(str(path)) as upgraded:
        assert upgraded.event(event.event_id) == event
        assert [e.event_id for e in upgraded.events(bbox=(36, 35, 37, 36))] == [event.event_id]
        upgraded.add(STRIKE, strike_reports())
        assert upgraded.resolve_id("enab-0612-0") == event.event_id


# --------------------------------------------------------------------------- the CLI


def test_ingest_summary_and_explain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    coded = {article.id: reports for article, reports in sample_reports()}
    monkeypatch.setattr("rasd.api.extract_article", lambda article: coded[article.id])
    db = str(tmp_path / "cli.db")
    assert main(["ingest", str(write_jsonl(tmp_path / "news.jsonl")), "--db", db]) == 0
    assert capsys.readouterr().err.strip() == (
        "rasd: 3 articles read, 3 new, 0 already stored, 5 events stored (2 merged with reports from other articles)"
    )
    assert main(["events", "--db", db, "--explain", "enab-0612-0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("(report enab-0612-0 is part of event orient-0612-0)")
    assert "reports (2):" in out and "fatalities: reports give 4 to 6; coded 4, the lowest" in out
    assert "enab-0612-0: joined" in out and "place: 0.0 km apart (Khan Shaykhun / Khan Shaykhun)" in out
    assert "report enab-0612-0 (article enab-0612):" in out and "[ستة]" in out
    assert main(["ingest", str(tmp_path / "news.jsonl"), "--db", db, "--reextract"]) == 0
    assert "3 articles re-extracted" in capsys.readouterr().err
    with open_store(db) as s:
        assert s.stats()["reports"] == 5 and s.counts()["events"] == 3


# --------------------------------------------------------------------------- the real extractor, end to end


def test_real_extractor_three_articles_three_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "real.db")
    news = write_jsonl(tmp_path / "news.jsonl")
    assert main(["ingest", str(news), "--db", db]) == 0
    with open_store(db) as s:
        assert s.stats()["reports"] == 5
        events = list(s.events())
        assert len(events) == 3
        details = [s.event_detail(e.event_id) for e in events]
    by_place = {d.event.location: d for d in details if d}
    assert sorted(len(d.reports) for d in by_place.values()) == [1, 2, 2]
    assert {r.article_id for r in by_place["Khan Shaykhun"].reports} == {"orient-0612", "enab-0612"}
    assert {r.article_id for r in by_place["Murak"].reports} == {"orient-0612", "smart-0613"}
    assert by_place["Khan Shaykhun"].event.fatalities == 4  # 4 and 6 reported: the lowest
    capsys.readouterr()
    before = [e.to_json_dict() for e in events]
    assert main(["ingest", str(news), "--db", db]) == 0
    assert "0 new, 3 already stored, 0 events stored" in capsys.readouterr().err
    with open_store(db) as s:
        assert [e.to_json_dict() for e in s.events()] == before
    assert {a.id for a in ARTICLES} == {"orient-0612", "enab-0612", "smart-0613"} and CLASH.source == "SMART"
