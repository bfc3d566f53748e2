"""Batch runner and engines (rasd.batch): input order, bounded work in flight, failures that
stay with their article, and the same events from the process pool and from dask.

The articles are short reports written for these tests in the style of Syrian, Iraqi and
Yemeni news; `BATCH_ARTICLES` is shared with test_cli_extract.py.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from rasd.batch import Outcome, make_engine, run_batch
from rasd.batch.local import LocalEngine
from rasd.batch.progress import ProgressBar, count_articles
from rasd.batch.runner import WorkerFailure, extract_chunk
from rasd.errors import RasdError
from rasd.io import InputProblem
from rasd.model import Article, Event

# (id, publication date, text): eight reports, one with no event, two with two paragraphs.
BATCH_ARTICLES: list[tuple[str, str, str]] = [
    ("idlib-shelling", "2019-03-17",
     "قتل ثلاثة مدنيين وأصيب خمسة آخرون، اليوم الأحد، جراء قصف مدفعي لقوات النظام على بلدة كفرنبل "
     "في ريف إدلب الجنوبي."),
    ("hajin-strikes", "2018-11-04",
     "شنت طائرات التحالف الدولي غارات جوية على مواقع لتنظيم داعش قرب مدينة هجين في ريف دير الزور الشرقي، "
     "أمس السبت، ما أسفر عن مقتل 12 عنصرا من التنظيم.\n"
     "وقالت مصادر محلية إن الاشتباكات بين قوات سوريا الديمقراطية والتنظيم تواصلت حتى ساعات الفجر."),
    ("mosul-arrests", "2018-07-10",
     "اعتقلت قوات الأمن العراقية، اليوم الثلاثاء، خمسة أشخاص يشتبه بانتمائهم إلى تنظيم داعش في مدينة الموصل."),
    ("basra-protest", "2018-07-13",
     "تظاهر مئات من أهالي مدينة البصرة، اليوم الجمعة، احتجاجا على انقطاع الكهرباء وتردي الخدمات."),
    ("moscow-talks", "2018-04-28",
     "عقد وزراء خارجية روسيا وتركيا وإيران اجتماعا في موسكو اليوم السبت لبحث الأوضاع في سوريا، "
     "وأكدوا التزامهم بالحل السياسي."),
    ("hodeidah-attack", "2018-06-14",
     "قتل جندي يمني وأصيب اثنان آخران في هجوم شنه مسلحو الحوثي على مواقع الجيش اليمني في مديرية حيس "
     "جنوب الحديدة، أمس الأربعاء."),
    ("baghdad-ied", "2018-05-02",
     "انفجرت عبوة ناسفة، صباح اليوم الأربعاء، بسيارة عسكرية على طريق مطار بغداد، ما أدى إلى إصابة "
     "ثلاثة جنود من الجيش العراقي."),
    ("daraa-clashes", "2018-06-20",
     "اندلعت اشتباكات عنيفة، اليوم الأربعاء، بين فصائل المعارضة وقوات النظام في ريف درعا الشرقي، "
     "وقتل أربعة عناصر من قوات النظام.\n"
     "وفي سياق متصل، استهدفت طائرات روسية بلدة الحراك بعدة غارات جوية."),
]


def batch_articles(copies: int = 1) -> list[Article]:
    """The reports `copies` times over, each copy with ids of its own."""
    return [
        Article(id=f"{name}-{n}" if copies > 1 else name, text=text, published=date.fromisoformat(day))
        for n in range(copies)
        for name, day, text in BATCH_ARTICLES
    ]


def write_batch_corpus(path: Path, copies: int = 1, bad_lines: bool = False) -> Path:
    """The reports as JSON Lines; with `bad_lines`, a broken line and an empty text among them."""
    lines = [json.dumps({"id": a.id, "published": a.published.isoformat(), "text": a.text}, ensure_ascii=False)
             for a in batch_articles(copies)]
    if bad_lines:
        lines.insert(2, '{"id": "broken", "text": "\u0642\u062a\u0644')
        lines.insert(5, json.dumps({"id": "blank", "text": "   "}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _records(outcomes: Iterator[Outcome]) -> list[tuple[str, str]]:
    """(item id or problem, events as JSON) of each outcome, to compare runs."""
    rows = []
    for outcome in outcomes:
        key = outcome.article.id if outcome.article else f"problem: {outcome.problem}"
        body = json.dumps([e.to_json_dict() for e in outcome.events], ensure_ascii=False)
        rows.append((key, body if outcome.error is None else f"error: {outcome.error}"))
    return rows


# --------------------------------------------------------------------------- fakes (picklable)


def echo_extract(article: Article) -> list[Event]:
    """One tiny event per article, its id derived from the article's: cheap and checkable."""
    return [Event(event_id=f"{article.id}/0", disorder_type="Political violence", event_type="Battles",
                  sub_event_type="Armed clash", article_id=article.id)]


def slow_first_extract(article: Article) -> list[Event]:
    """The first articles take longest, so later chunks finish first in a pool."""
    number = int(article.id.rsplit("-", 1)[1])
    time.sleep(max(0.0, 0.2 - 0.05 * number))
    return echo_extract(article)


def failing_extract(article: Article) -> list[Event]:
    if article.id.endswith("-1"):
        raise ValueError("no lexicon for this one")
    if article.id.endswith("-2"):
        raise _Unpicklable("cannot travel")
    return echo_extract(article)


class _Unpicklable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.lock = threading.Lock()  # locks do not pickle


def _numbered(count: int) -> list[Article]:
    return [Article(id=f"a-{i}", text=f"text {i}") for i in range(count)]


class _RecordingEngine:
    """Runs chunks on the spot, but only when their result is asked for (like a slow pool)."""

    def __init__(self, chunk_size: int, window: int) -> None:
        self.chunk_size = chunk_size
        self.window = window
        self.submitted = 0

    def submit(self, extract, articles):  # type: ignore[no-untyped-def]
        self.submitted += len(articles)

        class Later:
            def result(self_inner):  # type: ignore[no-untyped-def]
                return extract_chunk(extract, articles)

        return Later()


# --------------------------------------------------------------------------- runner


def test_in_process_run_keeps_input_order_and_problems_in_place() -> None:
    problem = InputProblem("feed.jsonl", "broken JSON line (Expecting value)", 2)
    items: list[Article | InputProblem] = [*_numbered(1), problem, *_numbered(3)[1:]]
    with LocalEngine(1) as engine:
        outcomes = list(run_batch(items, engine, echo_extract))
    assert [o.item for o in outcomes] == items
    assert outcomes[1].problem == problem and outcomes[1].events == [] and outcomes[1].article is None
    assert [o.events[0].event_id for o in outcomes if o.article] == ["a-0/0", "a-1/0", "a-2/0"]


def test_pool_outcomes_come_in_input_order_even_when_later_chunks_finish_first() -> None:
    with LocalEngine(2, chunk_size=1) as engine:
        outcomes = list(run_batch(_numbered(6), engine, slow_first_extract))
    assert [o.article.id for o in outcomes if o.article] == [f"a-{i}" for i in range(6)]
    assert [o.events[0].event_id for o in outcomes] == [f"a-{i}/0" for i in range(6)]


def test_work_in_flight_is_bounded_so_memory_stays_flat() -> None:
    pulled = 0

    def stream() -> Iterator[Article]:
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield Article(id=f"a-{i}", text="x")

    engine = _RecordingEngine(chunk_size=5, window=3)
    ahead = []
    for done, _outcome in enumerate(run_batch(stream(), engine, echo_extract), start=1):
        ahead.append(pulled - done)
    assert pulled == 1000 and engine.submitted == 1000
    assert max(ahead) <= engine.chunk_size * engine.window  # never more than the window ahead


def test_extraction_errors_stay_with_their_article_and_cross_processes() -> None:
    with LocalEngine(2, chunk_size=2) as engine:
        outcomes = list(run_batch(_numbered(4), engine, failing_extract))
    errors = {o.article.id: o.error for o in outcomes if o.error is not None}  # type: ignore[union-attr]
    assert isinstance(errors["a-1"], ValueError) and str(errors["a-1"]) == "no lexicon for this one"
    assert isinstance(errors["a-2"], WorkerFailure) and str(errors["a-2"]) == "_Unpicklable: cannot travel"
    assert [len(o.events) for o in outcomes] == [1, 0, 0, 1]


def test_a_dead_worker_process_stops_the_run_with_a_rasd_error() -> None:
    with pytest.raises(RasdError, match="worker process died"), LocalEngine(2) as engine:
        list(run_batch(_numbered(3), engine, _exit_now))


def _exit_now(article: Article) -> list[Event]:
    import os

    os._exit(3)


def test_make_engine_names() -> None:
    assert isinstance(make_engine("local", 3), LocalEngine)
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine("spark")
    with pytest.raises(ValueError):
        LocalEngine(0)


# --------------------------------------------------------------------------- same events everywhere


def test_pool_of_two_gives_the_same_events_as_one_process() -> None:
    articles = batch_articles(copies=2)
    with LocalEngine(1) as one:
        expected = _records(run_batch(articles, one))
    with LocalEngine(2, chunk_size=3) as two:
        assert _records(run_batch(articles, two)) == expected
    assert sum(body != "[]" for _key, body in expected) == 14  # every report but the talks


def test_dask_engine_gives_the_same_event_ids_as_local() -> None:
    pytest.importorskip("dask.distributed")
    articles = batch_articles()
    with LocalEngine(1) as local:
        expected = _records(run_batch(articles, local))
    with make_engine("dask", 1, processes=False, chunk_size=3) as engine:
        got = _records(run_batch(articles, engine))
    assert got == expected
    ids = [e["event_id"] for _key, body in got for e in json.loads(body)]
    assert len(ids) == len(set(ids)) == 8


# --------------------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_rate_and_eta_from_the_second_article() -> None:
    screen = _Terminal()
    bar = ProgressBar(screen, total=10)
    bar.update()
    assert screen.getvalue() == ""  # one article: no bar
    bar.update()
    assert "2/10 articles" in screen.getvalue() and "articles/s" in screen.getvalue()
    assert "ETA" in screen.getvalue()
    bar.write("rasd: feed.jsonl:3: broken JSON line")
    bar.close()
    lines = screen.getvalue().split("\n")
    assert lines[0].endswith("rasd: feed.jsonl:3: broken JSON line") and lines[-1] == ""


def test_progress_bar_without_a_total_shows_count_and_rate() -> None:
    bar = ProgressBar(_Terminal())
    bar.done = 5
    assert bar.line().startswith("5 articles") and "ETA" not in bar.line()


def test_count_articles_ahead(tmp_path: Path) -> None:
    corpus = write_batch_corpus(tmp_path / "c.jsonl", bad_lines=True)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "a.txt").write_text("x", encoding="utf-8")
    assert count_articles([str(corpus), str(tmp_path / "folder")]) == 8 + 2 + 1
    assert count_articles(["-"]) is None


# --------------------------------------------------------------------------- start-up


def test_parsed_lexicons_are_kept_between_runs_and_refreshed_when_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasd.kb import loader

    cache = tmp_path / "cache"
    monkeypatch.setenv("RASD_CACHE_DIR", str(cache))
    parsed = loader.load_yaml.__wrapped__("triggers.yml")  # a new process: parse, then cache
    assert len(list(cache.glob("triggers-*.pickle"))) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(loader.yaml, "load", no_parsing)
    assert loader.load_yaml.__wrapped__("triggers.yml") == parsed  # the next one: from the cache

    lexicon = tmp_path / "x.yml"
    lexicon.write_text("a: [1, 2]\n", encoding="utf-8")
    first = loader._cache_file(lexicon)
    assert loader._read_cache(first) is loader._MISSING
    loader._write_cache(first, {"a": [1, 2]})
    assert loader._read_cache(first) == {"a": [1, 2]}
    lexicon.write_text("a: [1, 2, 3]\n", encoding="utf-8")  # edited: another entry, the old one dropped
    second = loader._cache_file(lexicon)
    assert second != first and loader._read_cache(second) is loader._MISSING
    loader._write_cache(second, {"a": [1, 2, 3]})
    assert not first.exists() and loader._read_cache(second) == {"a": [1, 2, 3]}
