"""Tests of rasd.store: migrations, idempotent transactional ingest, filters, bad files."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rasd.errors import StoreError
from rasd.model import Article, Event, Evidence
from rasd.store import DEFAULT_DB, Store, content_hash, open_store
from rasd.store import migrations
from rasd.store.migrations import LATEST_VERSION, Migration

TEXT_A = "قصفت طائرات حربية مدينة معرة النعمان يوم الخميس."
TEXT_B = "اشتباكات بين قوات سوريا الديمقراطية وتنظيم الدولة في هجين."
TEXT_C = "اعتقلت قوات الأمن عشرة متظاهرين في درعا."


def make_event(event_id: str, article_id: str = "a", **fields: Any) -> Event:
    base: dict[str, Any] = {
        "event_id": event_id,
        "article_id": article_id,
        "event_date": date(2018, 8, 9),
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Syria (2000-2024)",
        "actor2": "Civilians (Syria)",
        "country": "Syria",
        "admin1": "Idleb",
        "location": "Maarrat an Numan",
        "fatalities": 5,
        "evidence": [Evidence(field="trigger", start=0, end=4, text=TEXT_A[0:4])],
    }
    base.update(fields)
    return Event(**base)


def article(article_id: str, text: str, published: date | None = date(2018, 8, 10)) -> Article:
    return Article(id=article_id, text=text, published=published, title="t", source="SANA", url="http://x")


@pytest.fixture()
def store(store_location: str) -> Store:
    """A fresh store, once in SQLite and once in PostgreSQL (conftest.store_location)."""
    with open_store(store_location) as opened:
        yield opened  # type: ignore[misc]


def fill(store: Store) -> None:
    store.ingest(article("a", TEXT_A), [make_event("a-1"), make_event("a-2", event_date=date(2018, 8, 1), fatalities=0)])
    store.ingest(
        article("b", TEXT_B),
        [
            make_event(
                "b-1", "b", event_date=date(2018, 9, 3), event_type="Battles", sub_event_type="Armed clash",
                actor1="QSD: Syrian Democratic Forces", actor2="Islamic State (Syria)",
                assoc_actor_1=["Military Forces of the United States (2017-2021)"],
                admin1="Deir ez Zor", location="Hajin",
            )
        ],
    )
    store.ingest(
        article("c", TEXT_C, None),
        [
            make_event(
                "c-1", "c", event_date=None, event_type="Strategic developments", sub_event_type="Arrests",
                actor1="Police Forces of Syria (2000-2024)", actor2="Protesters (Syria)", country="Syria",
                admin1="Dara", location="Dara",
            )
        ],
    )


def ids(events: Any) -> list[str]:
    return [e.event_id for e in events]


# --------------------------------------------------------------------------- opening and migrations


def test_fresh_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "events", "schema_version"} <= tables
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"events_date", "events_country_date", "events_type"} <= indexes


def test_existing_database_keeps_its_data_and_is_not_migrated_twice(tmp_path: Path) -> None:
    path = str(tmp_path / "again.db")
    with open_store(path) as first:
        fill(first)
    with open_store(path) as second:
        assert second.counts() == {"articles": 3, "events": 4}
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == LATEST_VERSION


def test_new_migration_is_applied_to_an_existing_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "old.db")
    with open_store(path) as old:
        fill(old)
    extra = Migration(LATEST_VERSION + 1, "notes index", ("CREATE INDEX events_fatalities ON events (fatalities)",))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, extra))
    monkeypatch.setattr(migrations, "LATEST_VERSION", extra.version)
    with open_store(path) as upgraded:
        assert upgraded.counts()["events"] == 4
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == extra.version
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'events_fatalities'").fetchone()


def test_failing_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "fail.db")
    with open_store(path) as old:
        fill(old)
    broken = Migration(
        LATEST_VERSION + 1, "broken", ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "LATEST_VERSION", broken.version)
    with pytest.raises(StoreError, match=f"migration {broken.version}"):
        open_store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchone() is None
    assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 4


def test_database_from_a_newer_rasd_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "future.db")
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(path)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes", encoding="utf-8")
    with pytest.raises(StoreError, match="not an SQLite database") as info:
        open_store(str(path))
    assert str(path) in str(info.value)
    assert path.read_text(encoding="utf-8") == "these are my notes"


def test_corrupt_sqlite_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(StoreError) as info:
        open_store(str(path))
    assert str(path) in str(info.value)


def test_folder_or_missing_parent_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        open_store(str(tmp_path))
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "no" / "x.db"))


def test_unreachable_postgres_is_a_store_error_without_the_password() -> None:
    pytest.importorskip("psycopg", reason="PostgreSQL needs psycopg (pip install 'rasd[postgres]')")
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as info:
        open_store("postgresql://rasd:s3cret@127.0.0.1:9/rasd?connect_timeout=2")
    assert "s3cret" not in str(info.value) and "rasd:***@127.0.0.1:9" in str(info.value)


def test_default_location_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RASD_DB", raising=False)
    open_store(None).close()
    assert (tmp_path / DEFAULT_DB).exists()
    monkeypatch.setenv("RASD_DB", str(tmp_path / "env.db"))
    with open_store(None) as store:
        assert store.location == str(tmp_path / "env.db")
    assert (tmp_path / "env.db").exists()
    open_store(f"sqlite:///{tmp_path / 'url.db'}").close()
    assert (tmp_path / "url.db").exists()


# --------------------------------------------------------------------------- ingest


def test_ingest_is_idempotent_on_the_text(store: Store) -> None:
    assert store.ingest(article("a", TEXT_A), [make_event("a-1")]) is True
    assert store.ingest(article("a", TEXT_A), [make_event("a-1")]) is False
    assert store.ingest(article("other-id", TEXT_A), [make_event("x-1", "other-id")]) is False
    assert store.counts() == {"articles": 1, "events": 1}
    assert store.has_article(TEXT_A) and not store.has_article(TEXT_B)


def test_ingest_stores_the_article_and_the_full_record(store: Store) -> None:
    event = make_event("a-1", assoc_actor_1=["NDF"], injured=3, fatalities_known=False)
    store.ingest(article("a", TEXT_A), [event])
    assert store.event("a-1") == event
    assert store.event("missing") is None
    stored = store.article("a")
    assert stored == article("a", TEXT_A)
    assert store.article("zzz") is None


def test_article_without_events_is_stored(store: Store) -> None:
    assert store.ingest(article("empty", TEXT_C), []) is True
    assert store.counts() == {"articles": 1, "events": 0}


def test_event_id_collision_rolls_back_that_article_only(store: Store) -> None:
    store.ingest(article("a", TEXT_A), [make_event("a-1")])
    with pytest.raises(StoreError, match="a-1 is already stored"):
        store.ingest(article("b", TEXT_B), [make_event("b-1", "b"), make_event("a-1", "b")])
    assert store.counts() == {"articles": 1, "events": 1}
    assert store.event("b-1") is None
    assert store.event("a-1").article_id == "a"  # type: ignore[union-attr]
    assert store.ingest(article("b", TEXT_B), [make_event("b-1", "b")]) is True


def test_failure_in_the_middle_of_an_article_leaves_nothing_of_it(store: Store) -> None:
    store.ingest(article("a", TEXT_A), [make_event("a-1")])

    class Boom(Exception):
        pass

    class ExplodingEvents(list):  # type: ignore[type-arg]
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield make_event("b-1", "b")
            raise Boom

    with pytest.raises(Boom):
        store.ingest(article("b", TEXT_B), ExplodingEvents())
    assert store.counts() == {"articles": 1, "events": 1}
    assert not store.has_article(TEXT_B)
    assert store.ingest(article("b", TEXT_B), [make_event("b-1", "b")]) is True


def test_content_hash_is_sha256_of_utf8() -> None:
    import hashlib

    assert content_hash(TEXT_A) == hashlib.sha256(TEXT_A.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- queries


def test_events_are_ordered_by_date_undated_last(store: Store) -> None:
    fill(store)
    assert ids(store.events()) == ["a-2", "a-1", "b-1", "c-1"]
    assert ids(store.events(limit=2)) == ["a-2", "a-1"]


def test_date_filters(store: Store) -> None:
    fill(store)
    assert ids(store.events(since=date(2018, 8, 9))) == ["a-1", "b-1"]
    assert ids(store.events(until=date(2018, 8, 9))) == ["a-2", "a-1"]
    assert ids(store.events(since=date(2018, 8, 2), until=date(2018, 9, 1))) == ["a-1"]


def test_place_filters_ignore_case(store: Store) -> None:
    fill(store)
    assert ids(store.events(country="syria")) == ["a-2", "a-1", "b-1", "c-1"]
    assert ids(store.events(country="Iraq")) == []
    assert ids(store.events(admin1="deir ez zor")) == ["b-1"]


def test_type_matches_type_or_sub_type_in_any_case(store: Store) -> None:
    fill(store)
    assert ids(store.events(event_type="battles")) == ["b-1"]
    assert ids(store.events(event_type="AIR/DRONE STRIKE")) == ["a-2", "a-1"]
    assert ids(store.events(event_type="Arrests")) == ["c-1"]


def test_actor_is_a_substring_of_any_actor(store: Store) -> None:
    fill(store)
    assert ids(store.events(actor="islamic state")) == ["b-1"]
    assert ids(store.events(actor="united states")) == ["b-1"]  # an associated actor
    assert ids(store.events(actor="forces of syria")) == ["a-2", "a-1", "c-1"]
    assert ids(store.events(actor="protesters", country="SYRIA")) == ["c-1"]


def test_filter_values_are_parameters_not_sql(store: Store) -> None:
    fill(store)
    assert ids(store.events(actor="x' OR 1=1 --")) == []
    assert ids(store.events(country="Syria' OR '1'='1")) == []
    assert ids(store.events(actor="%")) == []
    assert store.counts()["events"] == 4
