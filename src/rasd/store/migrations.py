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
