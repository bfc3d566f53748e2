"""A bounded fuzz run (issue 7, "never crash, never lose"), part of every test run and of CI.

Random bytes and mangled Arabic go through every input path (.txt, .html, .json, .jsonl,
.jsonl.gz, standard input) and then through extraction and the store: nothing may raise;
every input becomes articles or reported problems; every stored article can be read back.
The example budgets are fixed, and the runs derandomised, so the run is bounded and the same
on every machine.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd import api
from rasd.io import InputProblem, iter_articles
from rasd.model import Article
from rasd.store import open_store

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SEED_TEXT = "قصفت طائرات حربية مدينة معرة النعمان يوم الخميس، ما أدى إلى مقتل خمسة مدنيين."


def _mangle(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        if out:
            out[position % len(out)] = value
    return bytes(out)


_BYTES = st.one_of(
    st.binary(max_size=600),
    st.builds(_mangle, st.just(SEED_TEXT.encode("utf-8")), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8)),
    st.builds(_mangle, st.just(SEED_TEXT.encode("cp1256")), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8)),
    st.builds(_mangle, st.just(SEED_TEXT.encode("utf-16")), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4)),
)
_ENDINGS = ["txt", "html", "json", "jsonl", "jsonl.gz"]


def _check(items: list[Article | InputProblem]) -> list[Article]:
    for item in items:
        assert isinstance(item, (Article, InputProblem))
        if isinstance(item, InputProblem):
            assert item.reason and str(item)
        else:
            assert item.text.strip()
            item.text.encode("utf-8")  # every article can be written out
    return [i for i in items if isinstance(i, Article)]


@FUZZ
@given(data=_BYTES, ending=st.sampled_from(_ENDINGS))
def test_any_bytes_in_any_file_kind_are_articles_or_reported_problems(tmp_path: Path, data: bytes, ending: str) -> None:
    path = tmp_path / f"fuzz.{ending}"
    if ending == "jsonl.gz" and data[:1] != b"\x1f":
        data = gzip.compress(data)[: max(10, len(data))]  # a gzip file, sometimes truncated
    path.write_bytes(data)
    for article in _check(list(iter_articles([str(path)], date(2018, 8, 9)))):
        api.extract(article.text, article.published, article.id)


def _json_line(text: str, key: str) -> bytes:
    return (json.dumps({"id": "x", key: text}, ensure_ascii=bool(len(text) % 2)) + "\n").encode("utf-8")


@FUZZ
@given(st.lists(st.one_of(st.binary(max_size=80), st.builds(_json_line, st.text(max_size=40), st.sampled_from(["text", "title", "published"]))), max_size=6))
def test_mangled_json_lines_never_stop_the_file(tmp_path: Path, lines: list[bytes]) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines))
    items = list(iter_articles([str(path)]))
    _check(items)


@FUZZ
@given(_BYTES)
def test_any_bytes_on_standard_input(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    fake = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    _check(list(iter_articles(["-"])))


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=1, max_size=120).map(lambda t: t + " " + SEED_TEXT[: len(t) % len(SEED_TEXT)]), min_size=1, max_size=4))
def test_extract_then_store_never_raises_and_reads_back(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    db = str(tmp_path_factory.mktemp("fuzzdb") / "f.db")
    with open_store(db) as store:
        for index, text in enumerate(texts):
            article = Article(id=f"f{index}", text=text, published=date(2018, 8, 9))
            events = api.extract(article.text, article.published, article.id)
            store.add(article, events)
            assert store.has_article(text)
        for event in store.events(review="any"):
            assert store.event_detail(event.event_id) is not None
