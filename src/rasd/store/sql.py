"""The SQL event store shared by every backend: one schema, one set of queries.

`SQLStore` holds all of the store's SQL, written once with `?` placeholders; a `Dialect`
isolates what differs between SQLite and PostgreSQL (placeholders, how a write transaction
takes the single-writer lock, case-insensitive comparison, substring search, "no limit",
the driver's exception classes). The backends (`rasd.store.sqlite`, `rasd.store.postgres`)
only open the connection and pick the dialect; the schemas are `rasd.store.migrations`.

Every write is one transaction that first takes the store's writer lock (SQLite: BEGIN
IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so a failure or a crash rolls
back exactly one article (its reports, their merging and the events they changed) and never
anything committed before it, and two writers never de-duplicate against each other's
half-written state. Readers never wait for writers (WAL; MVCC). All SQL is parameterised:
values are never formatted into a statement, only the dialect's fixed fragments are.

Tables: `articles`; `events`, one row per *report* (an event as read from one article,
with `cluster_id` naming the event it reports); `clusters`, one row per de-duplicated
event with its composed record and the columns the filters use; `merge_decisions`, why
each report is where it is; `reviews`, the audit trail. Rows keep their insertion order in
`rowid` (SQLite's own; a BIGSERIAL column of that name in PostgreSQL). A connection belongs
to the thread that opened it: the HTTP server opens one per request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any

from pydantic import ValidationError

from rasd.dedupe import Candidate, compare_versions, fatality_spread, place
from rasd.dedupe.compare import RULES_VERSION, date_window, family
from rasd.errors import StoreError, UsageError
from rasd.model import Article, Event
from rasd.store import (
    EDITABLE_FIELDS,
    REVIEW_ACTIONS,
    EventDetail,
    IngestOutcome,
    MergeDecision,
    Report,
    ReportPlacement,
    ReviewEntry,
    Store,
    content_hash,
)
from rasd.store.records import actor_names, compose, search_text, validate_edits


class Dialect:
    """What one SQL database does differently; the base class is SQLite's behaviour."""

    name = "sqlite"
    # The driver's exception base class (a tuple, for `except`).
    errors: tuple[type[BaseException], ...] = ()
    # LIMIT value meaning "no limit".
    no_limit: int | None = -1

    def sql(self, statement: str) -> str:
        """The statement in the driver's placeholder style (written with `?`)."""
        return statement

    def begin_write(self, conn: Any) -> None:
        """Open a write transaction holding the store's single-writer lock."""
        conn.execute("BEGIN IMMEDIATE")

    def in_transaction(self, conn: Any) -> bool:
        return bool(conn.in_transaction)

    def ci(self, column: str) -> str:
        """A column compared without regard to case (SQLite: the column is COLLATE NOCASE)."""
        return column

    def ci_param(self) -> str:
        """The placeholder of a value compared with a `ci` column."""
        return "?"

    def contains(self, haystack: str) -> str:
        """A condition: the parameter is a substring of `haystack`."""
        return f"instr({haystack}, ?) > 0"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# Reports of one event may be dated up to a month apart (time_precision 3): candidates are
# looked for in the new report's date window widened by this much.
_CANDIDATE_MARGIN = timedelta(days=31)
_DEMONSTRATION_TYPES = ("Protests", "Riots")


class SQLStore(Store):
    """A Store over one DB-API-like connection (`execute` returning an iterable cursor).

    Subclasses open `self._conn`, set `self._dialect` and `self.location`, and migrate.
    """

    _conn: Any
    _dialect: Dialect

    def _x(self, statement: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (written with `?` placeholders) and return its cursor."""
        return self._conn.execute(self._dialect.sql(statement), params)

    # ------------------------------------------------------------------ writing

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One write transaction; any failure rolls all of it back and names `what`."""
        errors = self._dialect.errors
        try:
            self._dialect.begin_write(self._conn)
        except errors as exc:
            self._rollback()
            raise StoreError(f"{self.location}: cannot write ({what}): {exc}") from exc
        try:
            yield
            self._x("COMMIT")
        except errors as exc:
            self._rollback()
            raise StoreError(f"{self.location}: {what} not stored: {exc}") from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            if self._dialect.in_transaction(self._conn):
                self._x("ROLLBACK")
        except self._dialect.errors:  # the connection is gone: the server rolls back by itself
            pass

    def add(self, article: Article, events: Sequence[Event]) -> IngestOutcome:
        digest = content_hash(article.text)
        with self._transaction(f"article {article.id}"):
            if self._x("SELECT 1 FROM articles WHERE content_hash = ?", (digest,)).fetchone():
                return IngestOutcome(stored=False)
            self._insert_article(article, digest)
            placements = tuple(self._add_report(article, digest, event, []) for event in events)
        return IngestOutcome(stored=True, placements=placements)

    def reextract(self, article: Article, events: Sequence[Event]) -> IngestOutcome:
        digest = content_hash(article.text)
        with self._transaction(f"article {article.id}"):
            if not self._x("SELECT 1 FROM articles WHERE content_hash = ?", (digest,)).fetchone():
                self._insert_article(article, digest)
            old = [
                (self._load(event_id, record), cluster_id)
                for event_id, record, cluster_id in self._x(
                    "SELECT event_id, record, cluster_id FROM events WHERE article_hash = ? ORDER BY rowid",
                    (digest,),
                ).fetchall()
            ]
            self._x("DELETE FROM events WHERE article_hash = ?", (digest,))
            ghosts = list(old)
            placements = tuple(self._add_report(article, digest, event, ghosts) for event in events)
            for cluster_id in dict.fromkeys(cluster for _event, cluster in old):
                self._refresh(cluster_id)
        return IngestOutcome(stored=True, placements=placements)

    def _insert_article(self, article: Article, digest: str) -> None:
        self._x(
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
                _now(),
            ),
        )

    def _add_report(
        self, article: Article, digest: str, event: Event, ghosts: list[tuple[Event, str]]
    ) -> ReportPlacement:
        """Store one report and put it in its event: an earlier version's, a matching one, or a new one."""
        self._insert_report(article, digest, event)
        inherited = self._inherit(event, ghosts)
        if inherited is not None:
            cluster_id, detail, decision = inherited[0], inherited[1], "inherited"
        else:
            placement = place(event, self._candidates(event, digest))
            detail = placement.to_json()
            if placement.cluster_id is None:
                cluster_id, decision = self._found_cluster(event, digest), "founded"
            else:
                cluster_id, decision = placement.cluster_id, "joined"
        self._x("UPDATE events SET cluster_id = ? WHERE event_id = ?", (cluster_id, event.event_id))
        self._x(
            "INSERT INTO merge_decisions (report_id, cluster_id, decision, rules, detail, decided_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (event.event_id, cluster_id, decision, RULES_VERSION, json.dumps(detail, ensure_ascii=False), _now()),
        )
        self._refresh(cluster_id)
        return ReportPlacement(event.event_id, cluster_id, decision)

    def _insert_report(self, article: Article, digest: str, event: Event) -> None:
        # Checked before inserting: after a failed statement PostgreSQL accepts nothing more
        # in the transaction, not even the query that would explain the failure.
        row = self._x("SELECT article_id FROM events WHERE event_id = ?", (event.event_id,)).fetchone()
        if row is not None:
            raise StoreError(
                f"{self.location}: article {article.id} not stored: event id {event.event_id} is "
                f"already stored (from article {row[0]})"
            )
        record = json.dumps(event.to_json_dict(), ensure_ascii=False)
        self._x(
            "INSERT INTO events (event_id, article_id, event_date, country, admin1, event_type,"
            " sub_event_type, actor1, actor2, actors, fatalities, record, article_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                actor_names(event),
                event.fatalities,
                record,
                digest,
            ),
        )

    @staticmethod
    def _inherit(event: Event, ghosts: list[tuple[Event, str]]) -> tuple[str, dict[str, Any]] | None:
        """The event of the first earlier version of this report that is still the same event.

        A ghost is used at most once, so two new reports cannot both take one old event.
        """
        for index, (old, cluster_id) in enumerate(ghosts):
            comparison = compare_versions(old, event)
            if comparison.same:
                del ghosts[index]
                detail = {"rules": RULES_VERSION, "inherited_from": old.event_id, **comparison.to_json()}
                return cluster_id, detail
        return None

    def _candidates(self, event: Event, digest: str) -> list[Candidate]:
        """Events that a report could belong to: same family, dates near, same country (blocking).

        Only these are compared rule by rule, so ingest stays fast on a large store.
        """
        window = date_window(event)
        if window is None:
            return []
        types = _DEMONSTRATION_TYPES if family(event) == "demonstrations" else (event.event_type,)
        d = self._dialect
        sql = (
            "SELECT DISTINCT c.cluster_id, c.rowid FROM events e JOIN clusters c ON c.cluster_id = e.cluster_id"
            " WHERE c.orphaned = 0 AND e.article_hash != ? AND e.event_date BETWEEN ? AND ?"
            f" AND {d.ci('e.event_type')} IN ({', '.join([d.ci_param()] * len(types))})"
        )
        params: list[Any] = [
            digest, (window[0] - _CANDIDATE_MARGIN).isoformat(), (window[1] + _CANDIDATE_MARGIN).isoformat(), *types,
        ]
        if event.country:
            sql += f" AND ({d.ci('e.country')} = {d.ci_param()} OR e.country IS NULL)"
            params.append(event.country)
        sql += " ORDER BY c.rowid"
        rows = self._x(sql, params).fetchall()
        return [Candidate(cluster_id, order, tuple(self._members(cluster_id))) for cluster_id, order in rows]

    def _members(self, cluster_id: str) -> list[Event]:
        return [
            self._load(event_id, record)
            for event_id, record in self._x(
                "SELECT event_id, record FROM events WHERE cluster_id = ? ORDER BY rowid", (cluster_id,)
            )
        ]

    def _found_cluster(self, event: Event, digest: str) -> str:
        """A new event for a report; its id is the report's, unless an event already has that id."""
        cluster_id = event.event_id
        if self._x("SELECT 1 FROM clusters WHERE cluster_id = ?", (cluster_id,)).fetchone():
            cluster_id = hashlib.sha1(f"{event.event_id}\x1f{digest}".encode()).hexdigest()[:16]
        self._x(
            "INSERT INTO clusters (cluster_id, founder, record) VALUES (?, ?, ?)",
            (cluster_id, event.event_id, json.dumps(event.to_json_dict(), ensure_ascii=False)),
        )
        return cluster_id

    def _refresh(self, cluster_id: str) -> None:
        """Compose an event's record again from its reports and edits, and its filter columns.

        An event left without reports (its article was re-extracted and nothing matched it)
        is deleted, unless an analyst reviewed it: then it is kept, hidden, for its audit trail.
        """
        row = self._x("SELECT edits FROM clusters WHERE cluster_id = ?", (cluster_id,)).fetchone()
        if row is None:
            return
        members = self._members(cluster_id)
        if not members:
            if self._x("SELECT 1 FROM reviews WHERE cluster_id = ?", (cluster_id,)).fetchone():
                self._x("UPDATE clusters SET orphaned = 1, reports = 0 WHERE cluster_id = ?", (cluster_id,))
            else:
                self._x("DELETE FROM clusters WHERE cluster_id = ?", (cluster_id,))
            return
        self._write_record(cluster_id, compose(members, cluster_id, json.loads(row[0])), len(members))

    def _write_record(self, cluster_id: str, event: Event, reports: int) -> None:
        self._x(
            "UPDATE clusters SET orphaned = 0, reports = ?, event_date = ?, country = ?, admin1 = ?,"
            " event_type = ?, sub_event_type = ?, actors = ?, fatalities = ?, latitude = ?, longitude = ?,"
            " search = ?, record = ? WHERE cluster_id = ?",
            (
                reports,
                event.event_date.isoformat() if event.event_date else None,
                event.country,
                event.admin1,
                event.event_type,
                event.sub_event_type,
                actor_names(event),
                event.fatalities,
                event.latitude,
                event.longitude,
                search_text(event),
                json.dumps(event.to_json_dict(), ensure_ascii=False),
                cluster_id,
            ),
        )

    # ------------------------------------------------------------------ review

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
        if action not in REVIEW_ACTIONS:
            raise UsageError(f"unknown review action {action!r} (choose from: {', '.join(REVIEW_ACTIONS)})")
        if not reviewer or not reviewer.strip():
            raise UsageError("a review needs the reviewer's name")
        if action != "edit" and (fields or revert):
            raise UsageError(f"only 'edit' changes fields (got fields with {action!r})")
        if action == "edit" and not (fields or revert):
            raise UsageError("'edit' needs fields to set or to revert")
        with self._transaction(f"review of event {event_id}"):
            cluster_id = self._resolve(event_id)
            if cluster_id is None:
                raise UsageError(f"no event with id {event_id!r}")
            state, edits_json, record, orphaned = self._x(
                "SELECT review, edits, record, orphaned FROM clusters WHERE cluster_id = ?", (cluster_id,)
            ).fetchone()
            edits: dict[str, Any] = json.loads(edits_json)
            changes: dict[str, Any] = {}
            if action == "edit":
                if orphaned:
                    raise UsageError(f"event {cluster_id} has no reports left (its article was re-extracted)")
                unknown = sorted(set(revert) - set(edits))
                if unknown:
                    raise UsageError(f"cannot revert {', '.join(unknown)}: not edited")
                current = self._load(cluster_id, record)
                checked = validate_edits(current, fields or {}, EDITABLE_FIELDS)
                for name in revert:
                    del edits[name]
                edits.update(checked)
                if state != "rejected":
                    state = "edited" if edits else "unreviewed"
                members = self._members(cluster_id)
                updated = compose(members, cluster_id, edits)
                before, after = current.to_json_dict(), updated.to_json_dict()
                changes = {k: {"from": before[k], "to": after[k]} for k in after if after[k] != before[k]}
                self._write_record(cluster_id, updated, len(members))
            elif action == "confirm":
                state = "confirmed"
            elif action == "reject":
                state = "rejected"
            else:  # reopen
                state = "edited" if edits else "unreviewed"
            self._x(
                "UPDATE clusters SET review = ?, edits = ? WHERE cluster_id = ?",
                (state, json.dumps(edits, ensure_ascii=False), cluster_id),
            )
            self._x(
                "INSERT INTO reviews (cluster_id, action, reviewer, note, changes, reviewed_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (cluster_id, action, reviewer.strip(), note, json.dumps(changes, ensure_ascii=False), _now()),
            )
        detail = self.event_detail(cluster_id)
        assert detail is not None
        return detail

    # ------------------------------------------------------------------ reading

    def has_article(self, text: str) -> bool:
        with self._reading():
            row = self._x(
                "SELECT 1 FROM articles WHERE content_hash = ?", (content_hash(text),)
            ).fetchone()
        return row is not None

    def _where(
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
    ) -> tuple[str, list[Any]]:
        """The WHERE clause (on `clusters c`) and its parameters for the event filters.

        Only fixed fragments go into the statement; every value is a parameter.
        """
        d = self._dialect
        clauses: list[str] = ["c.orphaned = 0"]
        params: list[Any] = []
        if review in (None, ""):
            clauses.append("c.review != 'rejected'")
        elif review != "any":
            clauses.append("c.review = ?")
            params.append(review)
        if since is not None:
            clauses.append("c.event_date >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("c.event_date <= ?")
            params.append(until.isoformat())
        if country:
            clauses.append(f"{d.ci('c.country')} = {d.ci_param()}")  # any case (SQLite: COLLATE NOCASE)
            params.append(country.strip())
        if admin1:
            clauses.append(f"{d.ci('c.admin1')} = {d.ci_param()}")
            params.append(admin1.strip())
        if event_type:
            clauses.append(
                f"({d.ci('c.event_type')} = {d.ci_param()} OR {d.ci('c.sub_event_type')} = {d.ci_param()})"
            )
            params.extend([event_type.strip()] * 2)
        if actor:
            clauses.append(d.contains("c.actors"))  # `actors` is stored case-folded
            params.append(actor.strip().casefold())
        if q and q.strip():
            needle = q.strip()
            clauses.append(
                f"({d.contains('c.search')} OR EXISTS (SELECT 1 FROM events r JOIN articles a"
                f" ON a.content_hash = r.article_hash WHERE r.cluster_id = c.cluster_id AND {d.contains('a.text')}))"
            )
            params.extend([needle.casefold(), needle])
        if bbox is not None:
            west, south, east, north = bbox
            clauses.append("c.latitude BETWEEN ? AND ?")
            params.extend([south, north])
            if west <= east:
                clauses.append("c.longitude BETWEEN ? AND ?")
                params.extend([west, east])
            else:  # the box crosses the antimeridian
                clauses.append("(c.longitude >= ? OR c.longitude <= ?)")
                params.extend([west, east])
        return " WHERE " + " AND ".join(clauses), params

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
        where, params = self._where(
            since=since, until=until, country=country, admin1=admin1, event_type=event_type,
            actor=actor, q=q, bbox=bbox, review=review,
        )
        sql = "SELECT c.cluster_id, c.record FROM clusters c" + where
        sql += " ORDER BY c.event_date IS NULL, c.event_date, c.rowid"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params.extend([self._dialect.no_limit if limit is None else limit, offset])
        with self._reading():
            for event_id, record in self._x(sql, params):
                yield self._load(event_id, record)

    def count_events(self, **filters: Any) -> int:
        where, params = self._where(**filters)
        with self._reading():
            return int(self._x("SELECT COUNT(*) FROM clusters c" + where, params).fetchone()[0])

    def review_states(self, event_ids: Iterable[str]) -> dict[str, tuple[str, int]]:
        """(review state, number of reports) of each of these events, for listings."""
        ids = list(event_ids)
        result: dict[str, tuple[str, int]] = {}
        with self._reading():
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows = self._x(
                    f"SELECT cluster_id, review, reports FROM clusters WHERE cluster_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
                result.update({cid: (state, int(n)) for cid, state, n in rows})
        return result

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn a database failure while reading (a corrupt file, a lock) into a StoreError."""
        try:
            yield
        except self._dialect.errors as exc:
            raise StoreError(f"{self.location}: cannot read the database ({exc})") from exc

    def _load(self, event_id: str, record: str) -> Event:
        try:
            return Event.model_validate_json(record)
        except ValidationError as exc:
            raise StoreError(f"{self.location}: stored event {event_id} does not validate: {exc}") from exc

    def _resolve(self, event_id: str) -> str | None:
        """The event an id names: a live event, else the event of a report with that id, else
        an orphaned event (one whose reports were all re-extracted away)."""
        cluster = self._x(
            "SELECT cluster_id, orphaned FROM clusters WHERE cluster_id = ?", (event_id,)
        ).fetchone()
        if cluster is not None and not cluster[1]:
            return str(cluster[0])
        row = self._x("SELECT cluster_id FROM events WHERE event_id = ?", (event_id,)).fetchone()
        if row is not None and row[0]:
            return str(row[0])
        return str(cluster[0]) if cluster is not None else None

    def resolve_id(self, event_id: str) -> str | None:
        with self._reading():
            return self._resolve(event_id)

    def event(self, event_id: str) -> Event | None:
        with self._reading():
            row = self._x(
                "SELECT cluster_id, record FROM clusters WHERE cluster_id = ?", (event_id,)
            ).fetchone()
        return self._load(row[0], row[1]) if row else None

    def event_detail(self, event_id: str) -> EventDetail | None:
        with self._reading():
            cluster_id = self._resolve(event_id)
            if cluster_id is None:
                return None
            review, edits, orphaned, record = self._x(
                "SELECT review, edits, orphaned, record FROM clusters WHERE cluster_id = ?", (cluster_id,)
            ).fetchone()
            reports = tuple(
                Report(self._load(rid, rec), aid or "", title, source, url, _date_or_none(published))
                for rid, rec, aid, title, source, url, published in self._x(
                    "SELECT e.event_id, e.record, a.id, a.title, a.source, a.url, a.published FROM events e"
                    " LEFT JOIN articles a ON a.content_hash = e.article_hash"
                    " WHERE e.cluster_id = ? ORDER BY e.rowid",
                    (cluster_id,),
                )
            )
            latest: dict[str, MergeDecision] = {}
            for rid, decision, rules, detail, at in self._x(
                "SELECT report_id, decision, rules, detail, decided_at FROM merge_decisions"
                " WHERE cluster_id = ? ORDER BY id",
                (cluster_id,),
            ):
                latest[rid] = MergeDecision(rid, decision, rules, json.loads(detail), at)
            member_ids = [r.event.event_id for r in reports]
            decisions = tuple(latest[rid] for rid in member_ids if rid in latest)
            history = tuple(
                ReviewEntry(int(i), action, who, note, json.loads(changes), at)
                for i, action, who, note, changes, at in self._x(
                    "SELECT id, action, reviewer, note, changes, reviewed_at FROM reviews"
                    " WHERE cluster_id = ? ORDER BY id",
                    (cluster_id,),
                )
            )
        return EventDetail(
            event=self._load(cluster_id, record),
            review=review,
            orphaned=bool(orphaned),
            edits=json.loads(edits),
            reports=reports,
            decisions=decisions,
            history=history,
            spread=fatality_spread([r.event for r in reports]),
            requested_id=event_id,
        )

    def _article_row(self, article_id: str) -> tuple[Any, ...] | None:
        return self._x(
            "SELECT id, text, published, title, source, url, content_hash FROM articles WHERE id = ?"
            " ORDER BY rowid LIMIT 1",
            (article_id,),
        ).fetchone()

    @staticmethod
    def _article(row: tuple[Any, ...]) -> Article:
        return Article(
            id=row[0], text=row[1], published=_date_or_none(row[2]), title=row[3], source=row[4], url=row[5]
        )

    def article(self, article_id: str) -> Article | None:
        with self._reading():
            row = self._article_row(article_id)
        return self._article(row) if row else None

    def article_reports(self, article_id: str) -> tuple[Article, list[Event]] | None:
        with self._reading():
            row = self._article_row(article_id)
            if row is None:
                return None
            reports = [
                self._load(rid, rec)
                for rid, rec in self._x(
                    "SELECT event_id, record FROM events WHERE article_hash = ? ORDER BY rowid", (row[6],)
                )
            ]
        return self._article(row), reports

    def report_clusters(self, report_ids: Iterable[str]) -> dict[str, str]:
        """The event each of these reports belongs to."""
        ids = list(report_ids)
        if not ids:
            return {}
        with self._reading():
            rows = self._x(
                f"SELECT event_id, cluster_id FROM events WHERE event_id IN ({', '.join('?' * len(ids))})", ids
            ).fetchall()
        return {rid: cid for rid, cid in rows}

    def counts(self) -> dict[str, int]:
        stats = self.stats()
        return {"articles": stats["articles"], "events": stats["events"]}

    def stats(self) -> dict[str, int]:
        with self._reading():
            result = {
                "articles": int(self._x("SELECT COUNT(*) FROM articles").fetchone()[0]),
                "reports": int(self._x("SELECT COUNT(*) FROM events").fetchone()[0]),
                "events": int(self._x(
                    "SELECT COUNT(*) FROM clusters WHERE orphaned = 0 AND review != 'rejected'"
                ).fetchone()[0]),
            }
            for state, count in self._x(
                "SELECT review, COUNT(*) FROM clusters WHERE orphaned = 0 GROUP BY review"
            ):
                result[state] = int(count)
        return result

    def close(self) -> None:
        self._conn.close()
