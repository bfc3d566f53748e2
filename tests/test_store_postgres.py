"""The PostgreSQL backend's own behaviour: migrations, the writer lock, URLs. Every other store
and dedupe test runs against PostgreSQL too (the `store_location` fixture of conftest.py)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from test_store import TEXT_A, article, fill, make_event

from rasd.errors import StoreError
from rasd.store import migrations, open_store
from rasd.store.migrations import LATEST_VERSION, Migration
from rasd.store.postgres import connection_url, redact


def _psycopg():
    return pytest.importorskip("psycopg", reason="PostgreSQL needs psycopg (pip install 'rasd[postgres]')")


def test_urls_are_redacted_and_driver_prefixes_accepted() -> None:
    assert redact("postgresql://rasd:pw@db:5432/x") == "postgresql://rasd:***@db:5432/x"
    assert redact("postgresql://rasd@db/x") == "postgresql://rasd@db/x"
    assert connection_url("postgresql+psycopg://u@h/d") == "postgresql://u@h/d"
    assert connection_url("postgres://u@h/d") == "postgres://u@h/d"


def test_fresh_database_gets_the_same_tables_and_version(postgres_url: str) -> None:
    psycopg = _psycopg()
    with open_store(postgres_url) as store:
        assert store.schema_version == LATEST_VERSION  # type: ignore[attr-defined]
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == LATEST_VERSION
        tables = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        assert {"articles", "events", "clusters", "merge_decisions", "reviews", "schema_version"} <= tables
        kinds = dict(conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = 'clusters'").fetchall())
        assert kinds["latitude"] == "double precision"  # never 4-byte REAL


def test_reopening_does_not_migrate_twice_and_keeps_the_data(postgres_url: str) -> None:
    psycopg = _psycopg()
    with open_store(postgres_url) as first:
        fill(first)
    with open_store(postgres_url) as second:
        assert second.counts() == {"articles": 3, "events": 4}
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == LATEST_VERSION


def test_new_and_failing_migrations(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    psycopg = _psycopg()
    with open_store(postgres_url) as old:
        fill(old)
    extra = Migration(LATEST_VERSION + 1, "fatalities index", ("CREATE INDEX events_fatalities ON events (fatalities)",))
    broken = Migration(LATEST_VERSION + 2, "broken", ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL"))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, extra, broken))
    monkeypatch.setattr(migrations, "LATEST_VERSION", broken.version)
    with pytest.raises(StoreError, match=f"migration {broken.version}"):
        open_store(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == extra.version
        assert conn.execute("SELECT to_regclass('half_done')").fetchone()[0] is None
        assert conn.execute("SELECT to_regclass('events_fatalities')").fetchone()[0] is not None
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 4


def test_database_from_a_newer_rasd_is_refused(postgres_url: str) -> None:
    psycopg = _psycopg()
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    with pytest.raises(StoreError, match="newer"):
        open_store(postgres_url)


def test_concurrent_writers_are_serialised(postgres_url: str) -> None:
    """Two processes' worth of writers on one store: every article lands once, one event per
    strike (the writer lock keeps de-duplication from racing)."""
    open_store(postgres_url).close()
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            with open_store(postgres_url) as store:
                for n in range(10):
                    text = f"{TEXT_A} ({offset + n})"
                    store.add(article(f"w{offset + n}", text), [make_event(f"w{offset + n}-1", f"w{offset + n}")])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k * 100,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(postgres_url) as store:
        assert store.counts() == {"articles": 30, "events": 1}  # all 30 reports are one strike
        assert store.stats()["reports"] == 30


def test_text_with_a_nul_character_is_a_store_error_for_that_article_only(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        with pytest.raises(StoreError, match="not stored"):
            store.add(article("nul", "قصف\x00"), [make_event("nul-1", "nul")])
        assert store.add(article("ok", TEXT_A), [make_event("ok-1", "ok")]).stored
        assert store.counts() == {"articles": 1, "events": 1}
        assert [e.event_id for e in store.events(since=date(2018, 1, 1))] == ["ok-1"]
