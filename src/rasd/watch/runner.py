"""One watch round, and the loop of rounds.

A round polls the sources that are due, each in a worker thread (listing, then the pages of
new entries, politely: see `fetch.Fetcher`). The main thread then extracts and ingests what
each source brought, records it in the state file, and finally sends alerts for the events
the round created or updated. A source that fails is reported and retried in the next round;
the others go on. The store is only touched from the main thread.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, TextIO

from rasd.model import Article, Event
from rasd.store import Store, content_hash, open_store
from rasd.watch.alerts import DeliveryError, alert_payload, deliver
from rasd.watch.config import SourceConfig, WatchConfig
from rasd.watch.fetch import Fetcher, FetchError, Response
from rasd.watch.pages import PageError, page_article
from rasd.watch.sources import Entry, ListingError, parse_feed, parse_sitemap, parse_telegram_export
from rasd.watch.state import Item, SourceState, WatchState

MAX_CHILD_SITEMAPS = 20


@dataclass
class SourceReport:
    """What one source did in a round."""

    name: str
    ok: bool = True
    error: str | None = None
    not_modified: bool = False
    listed: int = 0
    new: int = 0
    ingested: int = 0
    duplicates: int = 0
    events: int = 0
    merged: int = 0
    page_errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        if not self.ok:
            return f"{self.name}: FAILED: {self.error}"
        listing = "not modified" if self.not_modified else f"{self.listed} listed, {self.new} new"
        text = f"{self.name}: {listing}, {self.ingested} ingested"
        if self.duplicates:
            text += f", {self.duplicates} already stored"
        text += f", {self.events} event report{'s' if self.events != 1 else ''}"
        if self.merged:
            text += f" ({self.merged} merged into known events)"
        if self.page_errors:
            text += f", {len(self.page_errors)} page{'s' if len(self.page_errors) != 1 else ''} failed"
        return text


@dataclass
class RoundReport:
    sources: list[SourceReport] = field(default_factory=list)
    alerts_sent: int = 0
    alert_errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(not s.ok for s in self.sources)


@dataclass
class _Fetched:
    """What a worker brought back for one source (nothing here touches the store)."""

    source: SourceConfig
    response: Response | None = None
    error: str | None = None
    listed: int = 0
    new: int = 0
    ready: list[tuple[Item, str | None, str, date | None]] = field(default_factory=list)  # item, title, text, date
    page_errors: list[str] = field(default_factory=list)
    keep_validators: bool = True


def article_id(source: SourceConfig, url: str) -> str:
    """A stable article id: the source's name and a digest of the URL."""
    return f"{source.name}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}"


class Watcher:
    """Runs rounds over the configured sources with one store, state file and fetcher."""

    def __init__(
        self,
        config: WatchConfig,
        store: Store,
        state: WatchState,
        fetcher: Fetcher | None = None,
        extract: Callable[[Article], list[Event]] | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.state = state
        self.fetcher = fetcher or Fetcher(
            config.user_agent, timeout=config.timeout, retries=config.retries,
            backoff=config.backoff, per_host=config.per_host,
        )
        if extract is None:
            from rasd import api

            extract = api.extract_article
        self.extract = extract
        self.err = err if err is not None else sys.stderr
        self._stop = threading.Event()

    @classmethod
    @contextmanager
    def open(cls, config: WatchConfig, **kwargs: Any) -> Iterator[Watcher]:
        store = open_store(config.db)
        try:
            state = WatchState(config.state)
            try:
                yield cls(config, store, state, **kwargs)
            finally:
                state.close()
        finally:
            store.close()

    def say(self, message: str) -> None:
        print(f"rasd watch: {message}", file=self.err, flush=True)

    # ------------------------------------------------------------------ rounds

    def due(self, source: SourceConfig, now: float) -> bool:
        if not source.enabled:
            return False
        last = self.state.source(source.name).last_attempt
        if last is None:
            return True
        return datetime.fromisoformat(last).timestamp() + source.interval <= now + 0.5

    def seconds_to_next(self) -> float:
        now = time.time()
        waits = []
        for source in self.config.sources:
            if not source.enabled:
                continue
            last = self.state.source(source.name).last_attempt
            waits.append(0.0 if last is None else datetime.fromisoformat(last).timestamp() + source.interval - now)
        return max(0.0, min(waits, default=60.0))

    def run_round(self, force: bool = False) -> RoundReport:
        """Poll every due source (every enabled source with `force`), ingest, alert."""
        now = time.time()
        sources = [s for s in self.config.sources if s.enabled and (force or self.due(s, now))]
        report = RoundReport()
        if sources:
            for source in sources:
                self.state.source_attempted(source.name, source.url)
            with ThreadPoolExecutor(max_workers=min(self.config.workers, len(sources)),
                                    thread_name_prefix="rasd-watch") as pool:
                futures = [pool.submit(self._collect, s) for s in sources]
                # ingested in config order (while later sources are still fetched), so that
                # which outlet's copy of a republished article is kept does not depend on timing
                for future in futures:
                    report.sources.append(self._ingest(future.result()))
        self._send_alerts(report)
        return report

    def run_forever(self, on_round: Callable[[RoundReport], None] | None = None,
                    max_sleep: float = 60.0) -> None:
        """Rounds until `stop()` (or SIGINT/SIGTERM, wired by the CLI)."""
        while not self._stop.is_set():
            report = self.run_round()
            if on_round is not None and (report.sources or report.alerts_sent or report.alert_errors):
                on_round(report)
            self._stop.wait(min(max_sleep, max(1.0, self.seconds_to_next())))

    def stop(self) -> None:
        self._stop.set()

    # ------------------------------------------------------------------ fetching (worker threads)

    def _collect(self, source: SourceConfig) -> _Fetched:
        got = _Fetched(source)
        try:
            entries = self._listing(source, got)
        except (FetchError, ListingError, OSError) as exc:
            got.error = str(exc)
            return got
        except Exception as exc:  # noqa: BLE001 - one odd source never stops the others
            got.error = f"{type(exc).__name__}: {exc}"
            return got
        entries = entries[: source.max_items]
        got.listed = len(entries)
        by_url = {e.url: e for e in entries}
        known = self.state.known(by_url)
        fresh = [e for e in entries if e.url not in known]
        got.new = len(fresh)
        self.state.add_items(
            source.name, [(e.url, e.title, e.published.isoformat() if e.published else None) for e in fresh]
        )
        due = self.state.due_items(source.name, self.config.max_attempts)
        to_fetch: list[Item] = []
        for item in due:
            entry = by_url.get(item.url)
            if entry is not None and entry.text:
                got.ready.append((item, entry.title, entry.text, entry.published))
            elif source.kind == "telegram-export" or (not source.pages and source.kind in ("rss", "atom")):
                # the text lives in the listing only: read the listing in full next round
                got.keep_validators = False
                if entry is not None:
                    self.state.item_failed(item.url, "no text in the listing", permanent=True,
                                           max_attempts=self.config.max_attempts)
            else:
                to_fetch.append(item)
        if to_fetch:
            workers = max(1, min(self.config.per_host, len(to_fetch)))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"rasd-page-{source.name}") as pool:
                for item, outcome in zip(to_fetch, pool.map(self._page, to_fetch)):
                    if isinstance(outcome, tuple):
                        title, text, published = outcome
                        got.ready.append((item, title or item.title, text,
                                          _iso_date(item.published) or published))
                    else:
                        got.page_errors.append(outcome)
        return got

    def _listing(self, source: SourceConfig, got: _Fetched) -> list[Entry]:
        stored = self.state.source(source.name)
        if source.is_local_file:
            return self._local_listing(source, stored, got)
        response = self.fetcher.get(source.url, etag=stored.etag, last_modified=stored.last_modified)
        got.response = response
        if response.not_modified:
            return []
        if source.kind in ("rss", "atom"):
            return parse_feed(response.body, response.url, use_content=not source.pages)
        if source.kind == "sitemap":
            entries, children = parse_sitemap(response.body)
            for child in children[:MAX_CHILD_SITEMAPS]:
                child_entries, _ = parse_sitemap(self.fetcher.get(child).body)
                entries.extend(child_entries)
            return entries
        return parse_telegram_export(response.body, source.url, source.channel)

    def _local_listing(self, source: SourceConfig, stored: SourceState, got: _Fetched) -> list[Entry]:
        info = os.stat(source.url)
        stamp = f"{info.st_size}-{int(info.st_mtime_ns)}"
        got.response = Response(url=source.url, status=304 if stamp == stored.etag else 200,
                                headers={"etag": stamp})
        if stamp == stored.etag:
            return []
        with open(source.url, "rb") as handle:
            body = handle.read()
        return parse_telegram_export(body, source.url, source.channel)

    def _page(self, item: Item) -> tuple[str | None, str, date | None] | str:
        """(title, text, date) of an item's page, or the error (recorded in the state)."""
        try:
            response = self.fetcher.get(item.url)
            return page_article(response.body, response.charset, response.url)
        except FetchError as exc:
            status = self.state.item_failed(item.url, exc.reason, permanent=not exc.transient,
                                            max_attempts=self.config.max_attempts)
            return f"{item.url}: {exc.reason}" + (" (will retry)" if status == "failed" else " (given up)")
        except PageError as exc:
            self.state.item_failed(item.url, str(exc), permanent=True, max_attempts=self.config.max_attempts)
            return f"{item.url}: {exc} (given up)"
        except Exception as exc:  # noqa: BLE001
            status = self.state.item_failed(item.url, f"{type(exc).__name__}: {exc}", permanent=False,
                                            max_attempts=self.config.max_attempts)
            return f"{item.url}: {type(exc).__name__}: {exc}" + (" (will retry)" if status == "failed" else "")

    # ------------------------------------------------------------------ ingesting (main thread)

    def _ingest(self, got: _Fetched) -> SourceReport:
        source = got.source
        report = SourceReport(source.name, listed=got.listed, new=got.new, page_errors=list(got.page_errors))
        if got.error is not None:
            report.ok = False
            report.error = got.error
            self.state.source_failed(source.name, source.url, got.error)
            self.say(f"source {source.name!r} failed (retried next round): {got.error}")
            return report
        report.not_modified = bool(got.response and got.response.not_modified)
        for item, title, text, published in got.ready:
            try:
                self._ingest_one(source, item, title, text, published, report)
            except Exception as exc:  # noqa: BLE001 - one article never stops the round
                status = self.state.item_failed(item.url, f"{type(exc).__name__}: {exc}", permanent=False,
                                                max_attempts=self.config.max_attempts)
                report.page_errors.append(f"{item.url}: cannot extract or store: {exc}"
                                          + (" (will retry)" if status == "failed" else ""))
        for problem in report.page_errors:
            self.say(f"{source.name}: {problem}")
        response = got.response
        if got.keep_validators:
            self.state.source_succeeded(source.name, source.url, response.etag if response else None,
                                        response.last_modified if response else None,
                                        keep_validators=not report.not_modified)
        else:
            self.state.source_succeeded(source.name, source.url, None, None, keep_validators=True)
        self.state.count_articles(source.name)
        return report

    def _ingest_one(self, source: SourceConfig, item: Item, title: str | None, text: str,
                    published: date | None, report: SourceReport) -> None:
        digest = content_hash(text)
        if self.store.has_article(text):
            self.state.item_done(item.url, "duplicate", digest, None)
            report.duplicates += 1
            return
        article = Article(
            id=article_id(source, item.url),
            text=text,
            published=published or datetime.now(timezone.utc).date(),
            title=title,
            source=source.name,
            url=item.url if item.url.startswith(("http://", "https://")) else None,
        )
        events = list(self.extract(article))
        if source.scale:
            events = [e if e.source_scale else e.model_copy(update={"source_scale": source.scale}) for e in events]
        changes: list[tuple[str, str]]
        add = getattr(self.store, "add", None)
        if add is not None:
            outcome = add(article, events)
            stored = outcome.stored
            changes = [(p.event_id, "new" if p.decision == "founded" else "updated") for p in outcome.placements]
            report.merged += outcome.merged
        else:  # a store with only `ingest`: alert on this article's own events
            stored = self.store.ingest(article, events)
            changes = [(e.event_id, "new") for e in events] if stored else []
        if not stored:
            self.state.item_done(item.url, "duplicate", digest, None)
            report.duplicates += 1
            return
        self.state.add_pending(changes)
        self.state.item_done(item.url, "done", digest, article.id)
        report.ingested += 1
        report.events += len(events)

    # ------------------------------------------------------------------ alerts (main thread)

    def _send_alerts(self, report: RoundReport) -> None:
        pending = self.state.pending()
        if not pending:
            return
        rules = self.config.alerts
        resolve = getattr(self.store, "resolve_id", None)
        review_states = getattr(self.store, "review_states", None)
        for event_id, change in pending:
            current = resolve(event_id) if resolve is not None else event_id
            event = self.store.event(current) if current else None
            if event is None:
                self.state.clear_pending(event_id)
                continue
            if review_states is not None:
                state = review_states([event.event_id]).get(event.event_id, ("unreviewed", 0))[0]
                if state == "rejected":
                    self.state.clear_pending(event_id)
                    continue
            all_done = True
            for rule in rules:
                if self.state.alerted(rule.name, event.event_id) or not rule.matches(event):
                    continue
                try:
                    deliver(rule, alert_payload(rule, event, change, self.config), self.fetcher)
                except DeliveryError as exc:
                    all_done = False
                    report.alert_errors.append(str(exc))
                    self.say(f"{exc} (retried next round)")
                    continue
                self.state.mark_alerted(rule.name, event.event_id)
                report.alerts_sent += 1
            if all_done:
                self.state.clear_pending(event_id)


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def source_states(config: WatchConfig) -> list[tuple[SourceConfig, SourceState, dict[str, int]]]:
    """Each configured source with its recorded state (without creating the state file)."""
    if not os.path.exists(config.state):
        return [(s, SourceState(s.name), {}) for s in config.sources]
    with WatchState(config.state) as state:
        return [(s, state.source(s.name), state.item_counts(s.name)) for s in config.sources]
