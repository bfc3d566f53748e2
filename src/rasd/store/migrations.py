"""Versioned schema migrations of the event store, for SQLite and PostgreSQL alike.

Each migration is applied once, in its own transaction, and recorded in `schema_version`;
a database is never changed by a migration that fails half-way (both databases have
transactional DDL). Add new migrations at the end of MIGRATIONS with the next version
number; never edit one that has been released, because databases in the field have
already applied it.

One list serves both backends, so their schemas cannot drift apart: a migration's
`statements` are run by both, unless it gives PostgreSQL its own `postgres` statements
where the SQL differs. The differences kept there: PostgreSQL has no implicit `rowid`, so
tables that are read in insertion order get a BIGSERIAL column of that name; no COLLATE
NOCASE (the store compares lower() there); DOUBLE PRECISION for REAL (PostgreSQL's REAL is
4 bytes); BIGSERIAL for SQLite's INTEGER PRIMARY KEY; JSON operators for json_extract;
dates (ISO text) in the "C" collation so they sort as strings everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from rasd.errors import StoreError


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    # PostgreSQL's statements when they differ from `statements` (None: the same).
    postgres: tuple[str, ...] | None = None

    def for_dialect(self, dialect: str) -> tuple[str, ...]:
        if dialect == "postgresql" and self.postgres is not None:
            return self.postgres
        return self.statements


_PG_DATE = 'TEXT COLLATE "C"'


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles and events",
        (
            """CREATE TABLE articles (
                id           TEXT NOT NULL,
                content_hash TEXT NOT NULL UNIQUE,
                text         TEXT NOT NULL,
                published    TEXT,
                title        TEXT,
                source       TEXT,
                url          TEXT,
                ingested_at  TEXT NOT NULL
            )""",
            "CREATE INDEX articles_id ON articles (id)",
            """CREATE TABLE events (
                event_id       TEXT PRIMARY KEY,
                article_id     TEXT NOT NULL,
                event_date     TEXT,
                country        TEXT COLLATE NOCASE,
                admin1         TEXT COLLATE NOCASE,
                event_type     TEXT COLLATE NOCASE,
                sub_event_type TEXT COLLATE NOCASE,
                actor1         TEXT,
                actor2         TEXT,
                actors         TEXT NOT NULL DEFAULT '',
                fatalities     INTEGER NOT NULL DEFAULT 0,
                record         TEXT NOT NULL
            )""",
            "CREATE INDEX events_date ON events (event_date)",
            "CREATE INDEX events_country_date ON events (country, event_date)",
            "CREATE INDEX events_admin1_date ON events (admin1, event_date)",
            "CREATE INDEX events_type ON events (event_type)",
            "CREATE INDEX events_sub_type ON events (sub_event_type)",
            "CREATE INDEX events_article ON events (article_id)",
        ),
        postgres=(
            f"""CREATE TABLE articles (
                rowid        BIGSERIAL NOT NULL UNIQUE,
                id           TEXT NOT NULL,
                content_hash TEXT NOT NULL UNIQUE,
                text         TEXT NOT NULL,
                published    {_PG_DATE},
                title        TEXT,
                source       TEXT,
                url          TEXT,
                ingested_at  TEXT NOT NULL
            )""",
            "CREATE INDEX articles_id ON articles (id)",
            f"""CREATE TABLE events (
                rowid          BIGSERIAL NOT NULL UNIQUE,
                event_id       TEXT PRIMARY KEY,
                article_id     TEXT NOT NULL,
                event_date     {_PG_DATE},
                country        TEXT,
                admin1         TEXT,
                event_type     TEXT,
                sub_event_type TEXT,
                actor1         TEXT,
                actor2         TEXT,
                actors         TEXT NOT NULL DEFAULT '',
                fatalities     INTEGER NOT NULL DEFAULT 0,
                record         TEXT NOT NULL
            )""",
            "CREATE INDEX events_date ON events (event_date)",
            "CREATE INDEX events_country_date ON events (lower(country), event_date)",
            "CREATE INDEX events_admin1_date ON events (lower(admin1), event_date)",
            "CREATE INDEX events_type ON events (lower(event_type))",
            "CREATE INDEX events_sub_type ON events (lower(sub_event_type))",
            "CREATE INDEX events_article ON events (article_id)",
        ),
    ),
    Migration(
        2,
        "de-duplicated events (clusters of reports), merge decisions, reviews",
        (
            # `events` keeps one row per report (an event as read from one article); a
            # cluster is the event those reports describe. Existing reports become one
            # cluster each (they were stored before de-duplication existed).
            "ALTER TABLE events ADD COLUMN cluster_id TEXT",
            "ALTER TABLE events ADD COLUMN article_hash TEXT",
            """UPDATE events SET cluster_id = event_id, article_hash = (
                SELECT content_hash FROM articles WHERE articles.id = events.article_id
                ORDER BY articles.rowid LIMIT 1)""",
            "CREATE INDEX events_cluster ON events (cluster_id)",
            "CREATE INDEX events_article_hash ON events (article_hash)",
            """CREATE TABLE clusters (
                cluster_id     TEXT PRIMARY KEY,
                founder        TEXT NOT NULL,
                review         TEXT NOT NULL DEFAULT 'unreviewed',
                edits          TEXT NOT NULL DEFAULT '{}',
                orphaned       INTEGER NOT NULL DEFAULT 0,
                reports        INTEGER NOT NULL DEFAULT 1,
                event_date     TEXT,
                country        TEXT COLLATE NOCASE,
                admin1         TEXT COLLATE NOCASE,
                event_type     TEXT COLLATE NOCASE,
                sub_event_type TEXT COLLATE NOCASE,
                actors         TEXT NOT NULL DEFAULT '',
                fatalities     INTEGER NOT NULL DEFAULT 0,
                latitude       REAL,
                longitude      REAL,
                search         TEXT NOT NULL DEFAULT '',
                record         TEXT NOT NULL
            )""",
            """INSERT INTO clusters (cluster_id, founder, event_date, country, admin1, event_type,
                sub_event_type, actors, fatalities, latitude, longitude, search, record)
               SELECT event_id, event_id, event_date, country, admin1, event_type, sub_event_type,
                actors, fatalities, json_extract(record, '$.latitude'), json_extract(record, '$.longitude'),
                lower(coalesce(json_extract(record, '$.notes'), '') || char(10) || actors), record
               FROM events ORDER BY rowid""",
            "CREATE INDEX clusters_date ON clusters (event_date)",
            "CREATE INDEX clusters_country_date ON clusters (country, event_date)",
            "CREATE INDEX clusters_admin1_date ON clusters (admin1, event_date)",
            "CREATE INDEX clusters_type ON clusters (event_type)",
            "CREATE INDEX clusters_sub_type ON clusters (sub_event_type)",
            "CREATE INDEX clusters_position ON clusters (latitude, longitude)",
            """CREATE TABLE merge_decisions (
                id          INTEGER PRIMARY KEY,
                report_id   TEXT NOT NULL,
                cluster_id  TEXT NOT NULL,
                decision    TEXT NOT NULL,
                rules       TEXT NOT NULL,
                detail      TEXT NOT NULL,
                decided_at  TEXT NOT NULL
            )""",
            "CREATE INDEX merge_decisions_cluster ON merge_decisions (cluster_id)",
            """CREATE TABLE reviews (
                id          INTEGER PRIMARY KEY,
                cluster_id  TEXT NOT NULL,
                action      TEXT NOT NULL,
                reviewer    TEXT NOT NULL,
                note        TEXT,
                changes     TEXT NOT NULL DEFAULT '{}',
                reviewed_at TEXT NOT NULL
            )""",
            "CREATE INDEX reviews_cluster ON reviews (cluster_id, id)",
        ),
        postgres=(
            "ALTER TABLE events ADD COLUMN cluster_id TEXT",
            "ALTER TABLE events ADD COLUMN article_hash TEXT",
            """UPDATE events SET cluster_id = event_id, article_hash = (
                SELECT content_hash FROM articles WHERE articles.id = events.article_id
                ORDER BY articles.rowid LIMIT 1)""",
            "CREATE INDEX events_cluster ON events (cluster_id)",
            "CREATE INDEX events_article_hash ON events (article_hash)",
            f"""CREATE TABLE clusters (
                rowid          BIGSERIAL NOT NULL UNIQUE,
                cluster_id     TEXT PRIMARY KEY,
                founder        TEXT NOT NULL,
                review         TEXT NOT NULL DEFAULT 'unreviewed',
                edits          TEXT NOT NULL DEFAULT '{{}}',
                orphaned       INTEGER NOT NULL DEFAULT 0,
                reports        INTEGER NOT NULL DEFAULT 1,
                event_date     {_PG_DATE},
                country        TEXT,
                admin1         TEXT,
                event_type     TEXT,
                sub_event_type TEXT,
                actors         TEXT NOT NULL DEFAULT '',
                fatalities     INTEGER NOT NULL DEFAULT 0,
                latitude       DOUBLE PRECISION,
                longitude      DOUBLE PRECISION,
                search         TEXT NOT NULL DEFAULT '',
                record         TEXT NOT NULL
            )""",
            """INSERT INTO clusters (cluster_id, founder, event_date, country, admin1, event_type,
                sub_event_type, actors, fatalities, latitude, longitude, search, record)
               SELECT event_id, event_id, event_date, country, admin1, event_type, sub_event_type,
                actors, fatalities, (record::json ->> 'latitude')::double precision,
                (record::json ->> 'longitude')::double precision,
                lower(coalesce(record::json ->> 'notes', '') || chr(10) || actors), record
               FROM events ORDER BY rowid""",
            "CREATE INDEX clusters_date ON clusters (event_date)",
            "CREATE INDEX clusters_country_date ON clusters (lower(country), event_date)",
            "CREATE INDEX clusters_admin1_date ON clusters (lower(admin1), event_date)",
            "CREATE INDEX clusters_type ON clusters (lower(event_type))",
            "CREATE INDEX clusters_sub_type ON clusters (lower(sub_event_type))",
            "CREATE INDEX clusters_position ON clusters (latitude, longitude)",
            """CREATE TABLE merge_decisions (
                id          BIGSERIAL PRIMARY KEY,
                report_id   TEXT NOT NULL,
                cluster_id  TEXT NOT NULL,
                decision    TEXT NOT NULL,
                rules       TEXT NOT NULL,
                detail      TEXT NOT NULL,
                decided_at  TEXT NOT NULL
            )""",
            "CREATE INDEX merge_decisions_cluster ON merge_decisions (cluster_id)",
            """CREATE TABLE reviews (
                id          BIGSERIAL PRIMARY KEY,
                cluster_id  TEXT NOT NULL,
                action      TEXT NOT NULL,
                reviewer    TEXT NOT NULL,
                note        TEXT,
                changes     TEXT NOT NULL DEFAULT '{}',
                reviewed_at TEXT NOT NULL
            )""",
            "CREATE INDEX reviews_cluster ON reviews (cluster_id, id)",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version

_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
)
# The key of PostgreSQL's transaction-scoped advisory lock that serialises writers
# (migrations and ingest alike), as SQLite's BEGIN IMMEDIATE does.
WRITER_LOCK_KEY = 0x72617364  # "rasd"


class _SQLite:
    name = "sqlite"
    placeholder = "?"

    @staticmethod
    def errors() -> tuple[type[BaseException], ...]:
        import sqlite3

        return (sqlite3.Error,)

    @staticmethod
    def begin(conn: Any) -> None:
        conn.execute("BEGIN IMMEDIATE")

    @staticmethod
    def in_transaction(conn: Any) -> bool:
        return bool(conn.in_transaction)


class _Postgres:
    name = "postgresql"
    placeholder = "%s"

    @staticmethod
    def errors() -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    @staticmethod
    def begin(conn: Any) -> None:
        conn.execute("BEGIN")
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK_KEY,))

    @staticmethod
    def in_transaction(conn: Any) -> bool:
        from psycopg.pq import TransactionStatus

        return conn.info.transaction_status != TransactionStatus.IDLE


def _backend(dialect: str) -> type[_SQLite] | type[_Postgres]:
    return _Postgres if dialect == "postgresql" else _SQLite


def current_version(conn: Any, dialect: str = "sqlite") -> int:
    """The schema version of the database; 0 for a fresh one."""
    if dialect == "postgresql":
        row = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
        if not row[0]:
            return 0
    else:
        conn.execute(_VERSION_TABLE)
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: Any, name: str, dialect: str = "sqlite") -> int:
    """Bring the database up to LATEST_VERSION; returns the version it is at afterwards.

    `conn` must be in autocommit mode (sqlite3: isolation_level=None; psycopg:
    autocommit=True): each migration runs inside an explicit transaction that holds the
    writer lock (BEGIN IMMEDIATE; an advisory lock), which also keeps two processes from
    migrating at once. `dialect` is "sqlite" or "postgresql".
    """
    backend = _backend(dialect)
    try:
        version = current_version(conn, dialect)
    except backend.errors() as exc:
        raise StoreError(f"{name}: cannot read the schema version: {exc}") from exc
    if version > LATEST_VERSION:
        raise StoreError(
            f"{name}: database schema version {version} is newer than this rasd supports "
            f"({LATEST_VERSION}); upgrade rasd"
        )
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        _apply(conn, name, migration, backend)
    return max(version, LATEST_VERSION)


def _apply(conn: Any, name: str, migration: Migration, backend: type[_SQLite] | type[_Postgres]) -> None:
    errors = backend.errors()
    try:
        backend.begin(conn)
        if backend.name == "postgresql":
            conn.execute(_VERSION_TABLE)
        # Another process may have applied it while we waited for the lock.
        if current_version(conn, backend.name) >= migration.version:
            conn.execute("ROLLBACK")
            return
        for statement in migration.for_dialect(backend.name):
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_version (version, description, applied_at) VALUES "
            f"({backend.placeholder}, {backend.placeholder}, {backend.placeholder})",
            (migration.version, migration.description, datetime.now(timezone.utc).isoformat(timespec="seconds")),
        )
        conn.execute("COMMIT")
    except errors as exc:
        try:
            if backend.in_transaction(conn):
                conn.execute("ROLLBACK")
        except errors:
            pass
        raise StoreError(f"{name}: migration {migration.version} ({migration.description}) failed: {exc}") from exc
