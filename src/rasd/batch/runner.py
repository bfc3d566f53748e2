"""The batch runner: a stream of inputs in, one `Outcome` per input out, in input order.

The runner cuts the stream into chunks, hands each chunk to an engine (`rasd.batch.local`,
`rasd.batch.dask_engine`) and yields the results of the oldest chunk as soon as it is done.
At most `engine.window` chunks are in flight, so memory stays flat however long the input,
and the output order - hence the output bytes - never depends on the number of workers or
on which worker finished first. Input problems (unreadable files, broken JSON lines) are not
sent anywhere: they keep their place in the stream and come out as outcomes of their own.

Event ids are a hash of the article id and the event's index in the article, so an article
gives the same records wherever it is extracted.
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from rasd.io import InputProblem
from rasd.model import Article, Event

Extractor = Callable[[Article], list[Event]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: its events, the exception its extraction raised, or the
    problem that kept it from being read."""

    item: Article | InputProblem
    events: list[Event] = field(default_factory=list)
    error: BaseException | None = None

    @property
    def problem(self) -> InputProblem | None:
        return self.item if isinstance(self.item, InputProblem) else None

    @property
    def article(self) -> Article | None:
        return self.item if isinstance(self.item, Article) else None


class WorkerFailure(RuntimeError):
    """An extraction error that could not be sent back from a worker as it was raised."""


def extract_chunk(extract: Extractor, articles: list[Article]) -> list[list[Event] | BaseException]:
    """Events of each article, or the exception its extraction raised (one bad article must
    not cost the others). Runs in the worker; must stay importable by name for pickling."""
    results: list[list[Event] | BaseException] = []
    for article in articles:
        try:
            results.append(list(extract(article)))
        except Exception as exc:  # noqa: BLE001 - reported by the caller, with the article id
            results.append(_sendable(exc))
    return results


def _sendable(exc: Exception) -> BaseException:
    """The exception itself when it survives pickling (to cross processes), else its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any pickling failure
        return WorkerFailure(f"{type(exc).__name__}: {exc}")
    return exc


class Result(Protocol):
    def result(self) -> Any: ...


class Engine(Protocol):
    """Where chunks are extracted. `window` chunks of `chunk_size` articles may be in flight."""

    chunk_size: int
    window: int

    def submit(self, extract: Extractor, articles: list[Article]) -> Result: ...


def run_batch(
    items: Iterable[Article | InputProblem],
    engine: Engine,
    extract: Extractor | None = None,
) -> Iterator[Outcome]:
    """One Outcome per item of `items`, in the same order (see the module docstring).

    `extract` defaults to `rasd.api.extract_article`, looked up at call time (so that tests
    can replace it). Closing the returned generator early cancels nothing already running,
    but submits nothing more.
    """
    if extract is None:
        from rasd import api

        extract = api.extract_article
    pending: deque[tuple[list[Article | InputProblem], Result | None]] = deque()
    for chunk in _chunks(items, max(1, engine.chunk_size)):
        articles = [item for item in chunk if isinstance(item, Article)]
        pending.append((chunk, engine.submit(extract, articles) if articles else None))
        while len(pending) >= max(1, engine.window):
            yield from _settle(*pending.popleft())
    while pending:
        yield from _settle(*pending.popleft())


def _chunks(items: Iterable[Article | InputProblem], size: int) -> Iterator[list[Article | InputProblem]]:
    """Lists of up to `size` articles (problems ride along where they stand)."""
    chunk: list[Article | InputProblem] = []
    articles = 0
    for item in items:
        chunk.append(item)
        if isinstance(item, Article):
            articles += 1
            if articles >= size:
                yield chunk
                chunk, articles = [], 0
    if chunk:
        yield chunk


def _settle(chunk: list[Article | InputProblem], pending: Result | None) -> Iterator[Outcome]:
    results = iter(pending.result() if pending is not None else ())
    for item in chunk:
        if isinstance(item, InputProblem):
            yield Outcome(item)
            continue
        result = next(results)
        if isinstance(result, BaseException):
            yield Outcome(item, error=result)
        else:
            yield Outcome(item, events=result)
