"""Batch extraction: a stream of articles through one core, a process pool or a dask cluster.

    from rasd.batch import make_engine, run_batch
    with make_engine("local", workers=4) as engine:
        for outcome in run_batch(iter_articles(paths), engine):
            ...  # outcome.events / outcome.error / outcome.problem, in input order

Whatever the engine and the number of workers, the outcomes come in input order and the
events are the same, byte for byte once written (`rasd.batch.runner`).
"""

from __future__ import annotations

from typing import Any

from rasd.batch.runner import Engine, Outcome, extract_chunk, run_batch

__all__ = ["ENGINES", "Engine", "Outcome", "extract_chunk", "make_engine", "run_batch"]

ENGINES = ("local", "dask")


def make_engine(name: str = "local", workers: int = 1, scheduler: str | None = None, **options: Any) -> Any:
    """A `LocalEngine` or a `DaskEngine` (not started: use it as a context manager)."""
    if name == "local":
        from rasd.batch.local import LocalEngine

        return LocalEngine(workers, **options)
    if name == "dask":
        from rasd.batch.dask_engine import DaskEngine

        return DaskEngine(workers, scheduler, **options)
    raise ValueError(f"unknown engine {name!r} (choose from: {', '.join(ENGINES)})")
