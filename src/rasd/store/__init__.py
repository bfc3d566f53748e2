"""The event store: articles and the events read from them, queried by `events`, `export`, `serve`.

`open_store` picks the backend from the location (CLI.md: `--db`, else `$RASD_DB`, else
`rasd.db` in the working directory). Only SQLite exists for now; `Store` is the interface a
PostgreSQL backend will implement, so that callers never depend on SQLite itself.
"""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from datetime import date
from types import TracebackType

from rasd.errors import StoreError
from rasd.model import Article, Event

DEFAULT_DB = "rasd.db"
DB_ENV_VAR = "RASD_DB"
_POSTGRES_PREFIXES = ("postgresql://", "postgres://", "postgresql+")
_SQLITE_PREFIX = "sqlite:///"


def content_hash(text: str) -> str:
    """The key that makes ingestion idempotent: sha256 of the article text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Store(ABC):
    """Articles and events on disk. Every write is one transaction per article."""

    location: str

    @abstractmethod
    def ingest(self, article: Article, events: Sequence[Event]) -> bool:
        """Store an article and its events; False (and no change) when its text is already stored."""

    @abstractmethod
    def has_article(self, text: str) -> bool:
        """Whether an article with exactly this text is stored (lets callers skip extraction)."""

    @abstractmethod
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
        """Stored events matching every filter given, by date (undated last), then insertion order.

        `event_type` matches the type or the sub-type; `actor` is a case-insensitive substring
        of actor1, actor2 or an associated actor; country and admin1 ignore case.
        """

    @abstractmethod
    def event(self, event_id: str) -> Event | None:
        """One stored event by its id."""

    @abstractmethod
    def article(self, article_id: str) -> Article | None:
        """The (first stored) article with this id, for showing evidence in context."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Numbers of stored `articles` and `events`."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; the store cannot be used afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def resolve_location(path: str | None) -> str:
    """The database location: the given one, else $RASD_DB, else rasd.db in the working directory."""
    return path or os.environ.get(DB_ENV_VAR) or DEFAULT_DB


def open_store(path: str | None = None) -> Store:
    """Open (creating and migrating as needed) the store at `path` (see resolve_location)."""
    location = resolve_location(path)
    if location.lower().startswith(_POSTGRES_PREFIXES):
        raise StoreError("PostgreSQL is not supported yet; use an SQLite file path for --db")
    if location.startswith(_SQLITE_PREFIX):
        location = location[len(_SQLITE_PREFIX):]
    from rasd.store.sqlite import SQLiteStore

    return SQLiteStore(location)


__all__ = ["DB_ENV_VAR", "DEFAULT_DB", "Store", "content_hash", "open_store", "resolve_location"]
