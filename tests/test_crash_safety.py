"""Crash safety (issue 7): an ingest killed with SIGKILL loses nothing it committed, running it
again ends with exactly the events of one uninterrupted run, and readers work meanwhile.

The corpus is generated from our own Arabic templates (tests/corpus_templates.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus_templates import write_generated_corpus

from rasd.store import open_store

ARTICLES = 300
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _ingest_command(corpus: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "rasd", "ingest", str(corpus), "--db", db, "--quiet"]


def _events(db: str) -> list[dict]:
    with open_store(db) as store:
        return [e.to_json_dict() for e in store.events(review="any")]


def _articles(db: str) -> int:
    with open_store(db) as store:
        return store.counts()["articles"]


def test_sigkilled_ingest_resumes_to_the_same_events_and_readers_work_meanwhile(
    tmp_path: Path, store_location: str
) -> None:
    """The killed run goes to each backend in turn; the reference is one uninterrupted run into SQLite."""
    corpus = write_generated_corpus(tmp_path / "corpus.jsonl", ARTICLES)
    reference, killed = str(tmp_path / "reference.db"), store_location
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    done = subprocess.run(_ingest_command(corpus, reference), env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    expected = _events(reference)
    assert _articles(reference) == ARTICLES and len(expected) > ARTICLES // 2

    open_store(killed).close()  # created (and migrated) before the run, so readers can open it at once
    process = subprocess.Popen(_ingest_command(corpus, killed), env=env, stderr=subprocess.PIPE)
    seen, reads, deadline = 0, 0, time.monotonic() + 300
    try:
        # Read while the ingest writes (WAL): counts only grow, every query succeeds.
        while seen < ARTICLES // 4 and process.poll() is None and time.monotonic() < deadline:
            with open_store(killed) as store:
                now = store.counts()["articles"]
                assert now >= seen
                seen = now
                list(store.events(limit=50))
                store.stats()
            reads += 1
            time.sleep(0.02)
        assert process.poll() is None, "the ingest finished before it could be killed; make the corpus bigger"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        if process.stderr:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert reads > 0

    committed = _articles(killed)
    assert seen <= committed < ARTICLES  # nothing seen committed was lost, and the job is unfinished
    again = subprocess.run(_ingest_command(corpus, killed), env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert _articles(killed) == ARTICLES
    assert _events(killed) == expected

    # A third run changes nothing.
    third = subprocess.run([*_ingest_command(corpus, killed)[:-1]], env=env, capture_output=True, text=True, timeout=600)
    assert third.returncode == 0
    assert f"{ARTICLES} already stored" in third.stderr
    assert _events(killed) == expected
