"""Versioned schema migrations of the SQLite event store.

Each migration is applied once, in its own transaction, and recorded in `schema_version`;
a database is never changed by a migration that fails half-way. Add new migrations at the
end of MIGRATIONS with the next version number; never edit one that has been released,
because databases in the field have already applied it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from rasd.errors import StoreError


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


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
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version of the database; 0 for a fresh one."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, name: str) -> int:
    """Bring the database up to LATEST_VERSION; returns the version it is at afterwards.

    `conn` must be in autocommit mode (isolation_level=None): each migration runs inside an
    explicit BEGIN IMMEDIATE, which also keeps two processes from migrating at once.
    """
    version = current_version(conn)
    if version > LATEST_VERSION:
        raise StoreError(
            f"{name}: database schema version {version} is newer than this rasd supports "
            f"({LATEST_VERSION}); upgrade rasd"
        )
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        _apply(conn, name, migration)
    return max(version, LATEST_VERSION)


def _apply(conn: sqlite3.Connection, name: str, migration: Migration) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have applied it while we waited for the lock.
        if current_version(conn) >= migration.version:
            conn.execute("ROLLBACK")
            return
        for statement in migration.statements:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.description, datetime.now(timezone.utc).isoformat(timespec="seconds")),
        )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(f"{name}: migration {migration.version} ({migration.description}) failed: {exc}") from exc
