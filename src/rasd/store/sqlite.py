"""The SQLite event store (stdlib sqlite3, WAL mode, versioned migrations).

WAL lets `serve` read while `ingest` writes. The connection runs in autocommit mode and
every write opens its own `BEGIN IMMEDIATE` transaction, so a failure rolls back exactly
one article and never anything stored before it. All SQL is parameterised.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any

from pydantic import ValidationError

from rasd.errors import StoreError
from rasd.model import Article, Event
from rasd.store import Store, content_hash
from rasd.store.migrations import migrate

_SQLITE_MAGIC = b"SQLite format 3\x00"
_MEMORY = ":memory:"
_BUSY_TIMEOUT_S = 30.0


def _check_file(path: str) -> None:
    """Refuse a path that is not an SQLite database before sqlite3 gives a vaguer error."""
    if path == _MEMORY or path.startswith("file:"):
        return
    if os.path.isdir(path):
        raise StoreError(f"{path}: is a folder, not an SQLite database file")
    if not os.path.exists(path):
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise StoreError(f"{path}: cannot create the database (folder {parent} does not exist)")
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database ({exc.strerror or exc})") from exc
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path}: not an SQLite database (refusing to touch it)")


def _actor_names(event: Event) -> str:
    """Every actor name of an event, case-folded, one a line: what `--actor` searches."""
    names = [event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2]
    return "\n".join(name.casefold() for name in names if name)


class SQLiteStore(Store):
    """A Store in one SQLite file."""

    def __init__(self, path: str) -> None:
        self.location = path
        _check_file(path)
        try:
            self._conn = sqlite3.connect(
                path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, uri=path.startswith("file:")
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self.schema_version = migrate(self._conn, path)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{path}: not a usable SQLite database ({exc})") from exc
        except StoreError:
            self._conn.close()
            raise

    # ------------------------------------------------------------------ writing

    def ingest(self, article: Article, events: Sequence[Event]) -> bool:
        digest = content_hash(article.text)
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.location}: cannot write (article {article.id}): {exc}") from exc
        try:
            if conn.execute("SELECT 1 FROM articles WHERE content_hash = ?", (digest,)).fetchone():
                conn.execute("ROLLBACK")
                return False
            self._insert_article(article, digest)
            for event in events:
                self._insert_event(article, event)
            conn.execute("COMMIT")
        except StoreError:
            self._rollback()
            raise
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"{self.location}: article {article.id} not stored: {exc}") from exc
        except BaseException:
            self._rollback()
            raise
        return True

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _insert_article(self, article: Article, digest: str) -> None:
        self._conn.execute(
            "INSERT INTO articles (id, content_hash, text, published, title, source, url, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                digest,
                article.text,
                article.published.isoformat() if article.published else None,
                article.title,
                article.source,
                article.url,
                datetime.now(timezone.utc).isoformat(timespec="seconds"),
            ),
        )

    def _insert_event(self, article: Article, event: Event) -> None:
        record = json.dumps(event.to_json_dict(), ensure_ascii=False)
        try:
            self._conn.execute(
                "INSERT INTO events (event_id, article_id, event_date, country, admin1, event_type,"
                " sub_event_type, actor1, actor2, actors, fatalities, record)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event.event_id,
                    event.article_id,
                    event.event_date.isoformat() if event.event_date else None,
                    event.country,
                    event.admin1,
                    event.event_type,
                    event.sub_event_type,
                    event.actor1,
                    event.actor2,
                    _actor_names(event),
                    event.fatalities,
                    record,
                ),
            )
        except sqlite3.IntegrityError as exc:
            row = self._conn.execute(
                "SELECT article_id FROM events WHERE event_id = ?", (event.event_id,)
            ).fetchone()
            if row is None:
                raise
            raise StoreError(
                f"{self.location}: article {article.id} not stored: event id {event.event_id} is "
                f"already stored (from article {row[0]})"
            ) from exc

    # ------------------------------------------------------------------ reading

    def has_article(self, text: str) -> bool:
        with self._reading():
            row = self._conn.execute(
                "SELECT 1 FROM articles WHERE content_hash = ?", (content_hash(text),)
            ).fetchone()
        return row is not None

    def events(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Event]:
        clauses: list[str] = []
        params: list[Any] = []
        if since is not None:
            clauses.append("event_date >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("event_date <= ?")
            params.append(until.isoformat())
        if country:
            clauses.append("country = ?")  # the column is COLLATE NOCASE
            params.append(country.strip())
        if admin1:
            clauses.append("admin1 = ?")
            params.append(admin1.strip())
        if event_type:
            clauses.append("(event_type = ? OR sub_event_type = ?)")
            params.extend([event_type.strip()] * 2)
        if actor:
            clauses.append("instr(actors, ?) > 0")  # `actors` is stored case-folded
            params.append(actor.strip().casefold())
        sql = "SELECT event_id, record FROM events"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY event_date IS NULL, event_date, rowid"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._reading():
            for event_id, record in self._conn.execute(sql, params):
                yield self._load(event_id, record)

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn a database failure while reading (a corrupt file, a lock) into a StoreError."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"{self.location}: cannot read the database ({exc})") from exc

    def _load(self, event_id: str, record: str) -> Event:
        try:
            return Event.model_validate_json(record)
        except ValidationError as exc:
            raise StoreError(f"{self.location}: stored event {event_id} does not validate: {exc}") from exc

    def event(self, event_id: str) -> Event | None:
        with self._reading():
            row = self._conn.execute(
                "SELECT event_id, record FROM events WHERE event_id = ?", (event_id,)
            ).fetchone()
        return self._load(row[0], row[1]) if row else None

    def article(self, article_id: str) -> Article | None:
        with self._reading():
            row = self._conn.execute(
                "SELECT id, text, published, title, source, url FROM articles WHERE id = ?"
                " ORDER BY rowid LIMIT 1",
                (article_id,),
            ).fetchone()
        if row is None:
            return None
        return Article(
            id=row[0],
            text=row[1],
            published=date.fromisoformat(row[2]) if row[2] else None,
            title=row[3],
            source=row[4],
            url=row[5],
        )

    def counts(self) -> dict[str, int]:
        with self._reading():
            articles = self._conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            events = self._conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        return {"articles": int(articles), "events": int(events)}

    def close(self) -> None:
        self._conn.close()
