"""The local engine: this process (one worker) or a pool of worker processes on this machine."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from rasd.batch.runner import Extractor, extract_chunk
from rasd.errors import RasdError
from rasd.model import Article

if TYPE_CHECKING:  # concurrent.futures is imported only when a pool is started
    from concurrent.futures import Future, ProcessPoolExecutor

# Articles per task sent to a worker process: enough to make the cost of sending a task
# (a fraction of a millisecond) small against extracting it (a few milliseconds an article),
# few enough that results stream out steadily.
POOL_CHUNK = 16
# Chunks in flight per worker: one running, the next ones queued so a worker never waits.
CHUNKS_PER_WORKER = 3


class _Done:
    """A result computed on the spot (one worker: no process, no pickling)."""

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self) -> Any:
        return self._value


class _Pending:
    """A pool future whose failure of the pool itself becomes a RasdError."""

    __slots__ = ("_future",)

    def __init__(self, future: Future[Any]) -> None:
        self._future = future

    def result(self) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._future.result()
        except BrokenProcessPool as exc:
            raise RasdError(f"a worker process died ({exc}); the run was stopped") from exc


class LocalEngine:
    """`workers` = 1: extract in this process, one article at a time; above 1: a pool of that
    many processes, each given chunks of `POOL_CHUNK` articles."""

    def __init__(self, workers: int = 1, chunk_size: int | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.chunk_size = chunk_size or (1 if workers == 1 else POOL_CHUNK)
        self.window = 1 if workers == 1 else CHUNKS_PER_WORKER * workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        if self.workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close(cancel=exc is not None)

    def close(self, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None

    def submit(self, extract: Extractor, articles: list[Article]) -> _Done | _Pending:
        if self._pool is None:
            if self.workers > 1:
                raise RuntimeError("LocalEngine used outside its `with` block")
            return _Done(extract_chunk(extract, articles))
        return _Pending(self._pool.submit(extract_chunk, extract, articles))

    def describe(self) -> str:
        return "this process" if self.workers == 1 else f"{self.workers} local worker processes"
