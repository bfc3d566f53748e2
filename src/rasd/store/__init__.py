"""The event store: articles, the reports read from them, and the events those reports describe.

`open_store` picks the backend from the location (CLI.md: `--db`, else `$RASD_DB`, else
`rasd.db` in the working directory): an SQLite file (`rasd.store.sqlite`) or, for a
`postgresql://` URL, a PostgreSQL server (`rasd.store.postgres`, needs the `postgres`
extra). Both share one schema and one set of queries (`rasd.store.sql`,
`rasd.store.migrations`); callers only see `Store`.

Vocabulary: a *report* is an event as the extractor read it from one article; an *event*
(a cluster) is what one or more reports describe, after cross-article de-duplication
(`rasd.dedupe`). An event's id is the id of the report that founded it, so an event read
from one article keeps the id the extractor gave it, and ids never change as more reports
of it arrive (docs/api.md, "Event ids"). Reviews (confirm, edit, reject) attach to events
and are kept in an audit trail; what the store returns is always the reviewed record.
"""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Any

from rasd.dedupe import FatalitySpread
from rasd.model import Article, Event

DEFAULT_DB = "rasd.db"
DB_ENV_VAR = "RASD_DB"
_POSTGRES_PREFIXES = ("postgresql://", "postgres://", "postgresql+")
_SQLITE_PREFIX = "sqlite:///"


# Review actions and states (docs/api.md, "Review").
REVIEW_ACTIONS = ("confirm", "edit", "reject", "reopen")
REVIEW_STATES = ("unreviewed", "confirmed", "edited", "rejected")
# Fields an analyst may correct. Ids, evidence and provenance are the machine's record of
# what it read and stay as they are.
EDITABLE_FIELDS = frozenset({
    "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "notes", "fatalities", "fatalities_known",
    "injured", "arrested", "abducted", "tags", "source", "source_scale",
})


def content_hash(text: str) -> str:
    """The key that makes ingestion idempotent: sha256 of the article text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReportPlacement:
    """Where one report of an ingested article went: which event, and how it got there.

    `decision` is `founded` (a new event), `joined` (merged into an event reported by
    other articles) or `inherited` (a re-extracted report took over its earlier version's
    event, with that event's reviews).
    """

    report_id: str
    event_id: str
    decision: str


@dataclass(frozen=True)
class IngestOutcome:
    """What storing one article did; `stored` is False when its text was already stored."""

    stored: bool
    placements: tuple[ReportPlacement, ...] = ()

    @property
    def merged(self) -> int:
        """Reports that joined an event already reported by another article."""
        return sum(1 for p in self.placements if p.decision == "joined")


@dataclass(frozen=True)
class Report:
    """One report of an event, with the article it was read from (text left out)."""

    event: Event
    article_id: str
    title: str | None
    source: str | None
    url: str | None
    published: date | None


@dataclass(frozen=True)
class MergeDecision:
    """Why a report is in its event: how it was placed, by which rules, with every check."""

    report_id: str
    decision: str
    rules: str
    detail: dict[str, Any]
    decided_at: str


@dataclass(frozen=True)
class ReviewEntry:
    """One line of an event's audit trail: who did what, when, and which values changed."""

    id: int
    action: str
    reviewer: str
    note: str | None
    changes: dict[str, Any]
    reviewed_at: str


@dataclass(frozen=True)
class EventDetail:
    """An event with everything behind it: reports, merge decisions, fatality spread, reviews."""

    event: Event
    review: str
    orphaned: bool
    edits: dict[str, Any]
    reports: tuple[Report, ...]
    decisions: tuple[MergeDecision, ...]
    history: tuple[ReviewEntry, ...]
    spread: FatalitySpread
    requested_id: str = field(default="")


class Store(ABC):
    """Articles, reports and events on disk. Every write is one transaction per article."""

    location: str

    def ingest(self, article: Article, events: Sequence[Event]) -> bool:
        """Store an article and its events; False (and no change) when its text is already stored."""
        return self.add(article, events).stored

    @abstractmethod
    def add(self, article: Article, events: Sequence[Event]) -> IngestOutcome:
        """Store an article and its reports, merging each into the event it reports (or a new one).

        Nothing changes when the article's text is already stored.
        """

    @abstractmethod
    def reextract(self, article: Article, events: Sequence[Event]) -> IngestOutcome:
        """Replace the stored reports of an article by a new extraction of it.

        Each new report that is still the same event as one of the article's earlier reports
        takes over that report's event, so reviews and event ids survive a better extractor.
        An article not stored yet is simply added.
        """

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
        q: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        review: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Event]:
        """Stored events (reviewed values) matching every filter given, by date (undated last),
        then the order they were first reported in.

        `event_type` matches the type or the sub-type; `actor` is a case-insensitive substring
        of actor1, actor2 or an associated actor; country and admin1 ignore case; `q` is a
        case-insensitive substring of the notes, names and places, or of a report's article
        text; `bbox` is (west, south, east, north) in degrees. Rejected events are left out
        unless `review` asks for them (`rejected`, or `any` for every state).
        """

    @abstractmethod
    def count_events(self, **filters: Any) -> int:
        """How many events `events(**filters)` would give without limit and offset."""

    @abstractmethod
    def review_states(self, event_ids: Iterable[str]) -> dict[str, tuple[str, int]]:
        """(review state, number of reports) of each of these events, for listings."""

    @abstractmethod
    def report_clusters(self, report_ids: Iterable[str]) -> dict[str, str]:
        """The event each of these report ids belongs to."""

    @abstractmethod
    def event(self, event_id: str) -> Event | None:
        """One stored event by its id (rejected ones too), with reviewed values."""

    @abstractmethod
    def resolve_id(self, event_id: str) -> str | None:
        """The id of the event that `event_id` names: itself, or the event a report id was merged into."""

    @abstractmethod
    def event_detail(self, event_id: str) -> EventDetail | None:
        """An event (by its id or one of its reports' ids) with its reports, decisions and reviews."""

    @abstractmethod
    def article_reports(self, article_id: str) -> tuple[Article, list[Event]] | None:
        """The (first stored) article with this id and the reports read from it."""

    @abstractmethod
    def review(
        self,
        event_id: str,
        action: str,
        reviewer: str,
        *,
        fields: dict[str, Any] | None = None,
        revert: Sequence[str] = (),
        note: str | None = None,
    ) -> EventDetail:
        """Record an analyst's review of an event and return the event as it now stands.

        `confirm` marks it checked, `edit` sets `fields` (EDITABLE_FIELDS) and drops the
        edits named in `revert`, `reject` says it is not an event (hidden from lists and
        exports), `reopen` undoes a rejection or a confirmation. Every action is added to the
        audit trail with `reviewer`, the time and the values changed. UsageError for an
        unknown event, action or field, or a value that does not validate.
        """

    @abstractmethod
    def article(self, article_id: str) -> Article | None:
        """The (first stored) article with this id, for showing evidence in context."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Numbers of stored `articles` and `events` (events that are not rejected)."""

    @abstractmethod
    def stats(self) -> dict[str, int]:
        """`articles`, `reports`, `events` (not rejected), and events by review state."""

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


def is_postgres(location: str) -> bool:
    """Whether a database location names a PostgreSQL server (a `postgresql://` URL)."""
    return location.lower().startswith(_POSTGRES_PREFIXES)


def open_store(path: str | None = None) -> Store:
    """Open (creating and migrating as needed) the store at `path` (see resolve_location)."""
    location = resolve_location(path)
    if is_postgres(location):
        from rasd.store.postgres import PostgresStore

        return PostgresStore(location)
    if location.startswith(_SQLITE_PREFIX):
        location = location[len(_SQLITE_PREFIX):]
    from rasd.store.sqlite import SQLiteStore

    return SQLiteStore(location)


__all__ = [
    "DB_ENV_VAR",
    "DEFAULT_DB",
    "EDITABLE_FIELDS",
    "REVIEW_ACTIONS",
    "REVIEW_STATES",
    "EventDetail",
    "IngestOutcome",
    "MergeDecision",
    "Report",
    "ReportPlacement",
    "ReviewEntry",
    "Store",
    "content_hash",
    "is_postgres",
    "open_store",
    "resolve_location",
]
