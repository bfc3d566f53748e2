"""What `rasd watch` remembers between rounds and restarts, in a small SQLite file next to
the store (`rasd.db` -> `rasd.watch.sqlite`):

- `sources`: per source, the listing's validators (ETag, Last-Modified, or a local file's
  size and time), the last success, the last error, the number of articles seen;
- `items`: every article URL seen, its state (`done`, `duplicate`, `failed` = retried in
  later rounds, `gave_up`), the content hash of its text and how often it was tried;
- `pending_events`: events created or updated by ingested articles, not yet alerted on;
- `alerts_sent`: (rule, event) pairs already delivered, so that each event alerts once per rule.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY,
    url TEXT,
    etag TEXT,
    last_modified TEXT,
    last_attempt TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    articles_seen INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS items (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    published TEXT,
    status TEXT NOT NULL,
    content_hash TEXT,
    article_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    first_seen TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_source_status ON items (source, status);
CREATE INDEX IF NOT EXISTS items_hash ON items (content_hash);
CREATE TABLE IF NOT EXISTS pending_events (
    event_id TEXT PRIMARY KEY,
    change TEXT NOT NULL,
    since TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts_sent (
    rule TEXT NOT NULL,
    event_id TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (rule, event_id)
);
"""


def now_iso() -> str:
    """UTC time, to the microsecond (an error and a success in one second must stay ordered)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class SourceState:
    name: str
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    articles_seen: int = 0
    failures: int = 0

    @property
    def failing(self) -> bool:
        """The last attempt failed (an error newer than the last success)."""
        return self.last_error_at is not None and (self.last_success or "") <= self.last_error_at


@dataclass(frozen=True)
class Item:
    url: str
    source: str
    title: str | None
    published: str | None
    status: str
    attempts: int


class WatchState:
    """The state file; safe to use from several threads (one connection behind a lock)."""

    def __init__(self, path: str) -> None:
        self.path = path
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> WatchState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ sources

    def source(self, name: str) -> SourceState:
        with self._lock:
            row = self._conn.execute(
                "SELECT name, url, etag, last_modified, last_attempt, last_success, last_error, last_error_at,"
                " articles_seen, failures FROM sources WHERE name = ?", (name,)
            ).fetchone()
        return SourceState(*row) if row else SourceState(name)

    def _ensure_source(self, name: str, url: str) -> None:
        self._conn.execute("INSERT OR IGNORE INTO sources (name, url) VALUES (?, ?)", (name, url))
        self._conn.execute("UPDATE sources SET url = ? WHERE name = ?", (url, name))

    def source_attempted(self, name: str, url: str) -> None:
        with self._lock:
            self._ensure_source(name, url)
            self._conn.execute("UPDATE sources SET last_attempt = ? WHERE name = ?", (now_iso(), name))

    def source_succeeded(self, name: str, url: str, etag: str | None, last_modified: str | None,
                         keep_validators: bool) -> None:
        with self._lock:
            self._ensure_source(name, url)
            if keep_validators:
                self._conn.execute(
                    "UPDATE sources SET etag = ?, last_modified = ? WHERE name = ?", (etag, last_modified, name)
                )
            self._conn.execute(
                "UPDATE sources SET last_success = ?, failures = 0 WHERE name = ?", (now_iso(), name)
            )

    def source_failed(self, name: str, url: str, error: str) -> None:
        with self._lock:
            self._ensure_source(name, url)
            self._conn.execute(
                "UPDATE sources SET last_error = ?, last_error_at = ?, failures = failures + 1 WHERE name = ?",
                (error, now_iso(), name),
            )

    def forget_validators(self, name: str) -> None:
        with self._lock:
            self._conn.execute("UPDATE sources SET etag = NULL, last_modified = NULL WHERE name = ?", (name,))

    # ------------------------------------------------------------------ items

    def known(self, urls: Iterable[str]) -> set[str]:
        """The URLs among `urls` that are already recorded (in any state)."""
        urls = list(urls)
        found: set[str] = set()
        with self._lock:
            for i in range(0, len(urls), 500):
                chunk = urls[i:i + 500]
                marks = ",".join("?" * len(chunk))
                found.update(r[0] for r in self._conn.execute(f"SELECT url FROM items WHERE url IN ({marks})", chunk))
        return found

    def add_items(self, source: str, items: Iterable[tuple[str, str | None, str | None]]) -> None:
        """Record new item URLs (url, title, published) as to be fetched."""
        stamp = now_iso()
        with self._lock:
            self._conn.executemany(
                "INSERT OR IGNORE INTO items (url, source, title, published, status, first_seen, updated)"
                " VALUES (?, ?, ?, ?, 'new', ?, ?)",
                [(url, source, title, published, stamp, stamp) for url, title, published in items],
            )

    def due_items(self, source: str, max_attempts: int) -> list[Item]:
        """Items of a source to (re)try: new ones, and failed ones with attempts left."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT url, source, title, published, status, attempts FROM items"
                " WHERE source = ? AND (status = 'new' OR (status = 'failed' AND attempts < ?))"
                " ORDER BY first_seen, rowid",
                (source, max_attempts),
            ).fetchall()
        return [Item(*r) for r in rows]

    def item_done(self, url: str, status: str, content_hash: str | None, article_id: str | None) -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE items SET status = ?, content_hash = ?, article_id = ?, attempts = attempts + 1,"
                " last_error = NULL, updated = ? WHERE url = ?",
                (status, content_hash, article_id, now_iso(), url),
            )

    def item_failed(self, url: str, error: str, *, permanent: bool, max_attempts: int) -> str:
        """Record a failed try; the new status (`failed`, retried later, or `gave_up`)."""
        with self._lock:
            row = self._conn.execute("SELECT attempts FROM items WHERE url = ?", (url,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            status = "gave_up" if permanent or attempts >= max_attempts else "failed"
            self._conn.execute(
                "UPDATE items SET status = ?, attempts = ?, last_error = ?, updated = ? WHERE url = ?",
                (status, attempts, error, now_iso(), url),
            )
        return status

    def hash_seen(self, content_hash: str) -> bool:
        with self._lock:
            return self._conn.execute(
                "SELECT 1 FROM items WHERE content_hash = ? LIMIT 1", (content_hash,)
            ).fetchone() is not None

    def count_articles(self, source: str) -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE sources SET articles_seen = (SELECT COUNT(*) FROM items WHERE source = ?"
                " AND status IN ('done', 'duplicate')) WHERE name = ?",
                (source, source),
            )

    def item_counts(self, source: str) -> dict[str, int]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT status, COUNT(*) FROM items WHERE source = ? GROUP BY status", (source,)
            ).fetchall()
        return {status: n for status, n in rows}

    # ------------------------------------------------------------------ alerts

    def add_pending(self, changes: Iterable[tuple[str, str]]) -> None:
        """Events to consider for alerts: (event id, `new` or `updated`)."""
        with self._lock:
            for event_id, change in changes:
                self._conn.execute(
                    "INSERT INTO pending_events (event_id, change, since) VALUES (?, ?, ?)"
                    " ON CONFLICT (event_id) DO NOTHING",
                    (event_id, change, now_iso()),
                )

    def pending(self) -> list[tuple[str, str]]:
        with self._lock:
            return [(r[0], r[1]) for r in self._conn.execute(
                "SELECT event_id, change FROM pending_events ORDER BY since, rowid")]

    def clear_pending(self, event_id: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM pending_events WHERE event_id = ?", (event_id,))

    def alerted(self, rule: str, event_id: str) -> bool:
        with self._lock:
            return self._conn.execute(
                "SELECT 1 FROM alerts_sent WHERE rule = ? AND event_id = ?", (rule, event_id)
            ).fetchone() is not None

    def mark_alerted(self, rule: str, event_id: str) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR IGNORE INTO alerts_sent (rule, event_id, sent_at) VALUES (?, ?, ?)",
                (rule, event_id, now_iso()),
            )
