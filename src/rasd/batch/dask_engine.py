"""The dask engine: partitions of the input extracted on a dask.distributed cluster.

Without a scheduler address a `LocalCluster` of `workers` single-threaded worker processes
is started on this machine (and stopped at the end; like any program that starts processes
with multiprocessing's "spawn", a script that calls this must guard its entry point with
`if __name__ == "__main__":`); with `--scheduler tcp://HOST:PORT` the
partitions go to an existing cluster, whose workers need only `pip install rasd` (the same
version as here: the function sent is `rasd.batch.runner.extract_chunk`, by name).

The input is read here and sent partition by partition, a bounded number in flight, and the
results are taken back in input order: the output equals the local engine's, event ids
included (they hash the article id and the event's index within the article).
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

from rasd.batch.runner import Extractor, extract_chunk
from rasd.errors import RasdError, UsageError
from rasd.model import Article

# Articles per dask task: larger than the local pool's chunks, since a task through the
# scheduler costs more (a few milliseconds), but small enough to spread a corpus evenly.
PARTITION = 64
PARTITIONS_PER_WORKER = 3
CONNECT_TIMEOUT = "10s"


def dask_available() -> bool:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


class _Pending:
    __slots__ = ("_future",)

    def __init__(self, future: Any) -> None:
        self._future = future

    def result(self) -> Any:
        try:
            return self._future.result()
        except Exception as exc:  # noqa: BLE001 - a lost worker, a killed task, ...
            raise RasdError(f"dask task failed ({type(exc).__name__}: {exc})") from exc


class DaskEngine:
    """Extraction on dask.distributed (see the module docstring)."""

    def __init__(
        self,
        workers: int = 1,
        scheduler: str | None = None,
        chunk_size: int | None = None,
        processes: bool = True,
        client: Any = None,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.scheduler = scheduler
        self.processes = processes
        self.chunk_size = chunk_size or PARTITION
        self.window = PARTITIONS_PER_WORKER * workers
        self._client = client
        self._own_client = client is None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:
            raise UsageError(
                "--engine dask needs dask.distributed, which is not installed: pip install 'rasd[dask]'"
            ) from exc
        if self._client is None:
            if self.scheduler:
                try:
                    self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
                except (OSError, TimeoutError) as exc:
                    raise RasdError(f"cannot reach the dask scheduler at {self.scheduler} ({exc})") from exc
            else:
                try:
                    self._cluster = LocalCluster(
                        n_workers=self.workers, threads_per_worker=1, processes=self.processes,
                        dashboard_address=None, silence_logs=logging.ERROR,
                    )
                except Exception as exc:  # noqa: BLE001 - e.g. worker processes that cannot start
                    raise RasdError(f"cannot start a local dask cluster ({type(exc).__name__}: {exc})") from exc
                self._client = Client(self._cluster)
        threads = sum(self._client.nthreads().values()) or 1
        self.window = PARTITIONS_PER_WORKER * threads
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None and self._own_client:
            self._client.close()
        self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def submit(self, extract: Extractor, articles: list[Article]) -> _Pending:
        if self._client is None:
            raise RuntimeError("DaskEngine used outside its `with` block")
        return _Pending(self._client.submit(extract_chunk, extract, articles, pure=False))

    def describe(self) -> str:
        where = self.scheduler or f"a local dask cluster of {self.workers} worker processes"
        return f"dask ({where})"
