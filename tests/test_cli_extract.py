"""`rasd extract` and `rasd bench` from the command line: parallel output equal to serial
output byte for byte, bad inputs reported in parallel mode too, the progress bar only on a
terminal, the dask engine, usage errors. Articles: test_batch.BATCH_ARTICLES (written for
these tests)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from test_batch import write_batch_corpus

from rasd.cli import main


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _extract(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["extract", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write_batch_corpus(tmp_path / "reports.jsonl", copies=3)


def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path, corpus: Path) -> None:
    for fmt in ("jsonl", "csv"):
        one, two = tmp_path / f"one.{fmt}", tmp_path / f"two.{fmt}"
        assert main(["extract", str(corpus), "--format", fmt, "--output", str(one), "--quiet"]) == 0
        assert main(["extract", str(corpus), "--format", fmt, "--output", str(two), "--workers", "2", "--quiet"]) == 0
        assert one.read_bytes() == two.read_bytes()
    records = [json.loads(line) for line in (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3 * 8
    assert [r["article_id"] for r in records[:2]] == ["idlib-shelling-0", "hajin-strikes-0"]


def test_bad_inputs_are_reported_with_exit_1_in_parallel_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_batch_corpus(tmp_path / "mixed.jsonl", copies=2, bad_lines=True)
    missing = tmp_path / "missing.txt"
    status1, out1, err1 = _extract(capsys, str(corpus), str(missing))
    status2, out2, err2 = _extract(capsys, str(corpus), str(missing), "--workers", "2")
    assert status1 == status2 == 1
    assert out2 == out1 and len(out2.splitlines()) == 16
    assert err2 == err1
    assert f"rasd: {corpus}:3: broken JSON line" in err2
    assert f"rasd: {corpus}:6 (id blank): empty text" in err2
    assert f"rasd: {missing}: no such file or directory" in err2
    assert err2.strip().endswith("rasd: 16 events; 3 inputs could not be read")


def test_extraction_failure_is_reported_and_the_rest_written(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import rasd.api
    from rasd.model import Article, Event

    real = rasd.api.extract_article

    def flaky(article: Article) -> list[Event]:
        if article.id == "mosul-arrests-1":
            raise RuntimeError("lexicon exploded")
        return real(article)

    monkeypatch.setattr(rasd.api, "extract_article", flaky)
    status, out, err = _extract(capsys, str(corpus))
    assert status == 1
    assert "rasd: mosul-arrests-1: extraction failed (RuntimeError: lexicon exploded)" in err
    assert err.strip().endswith("; 1 articles could not be extracted")
    assert len(out.splitlines()) == 3 * 8 - 1


def test_no_progress_bar_when_standard_error_is_not_a_terminal(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _extract(capsys, str(corpus), "--workers", "2")
    assert status == 0 and out
    assert "\r" not in err and "articles/s" not in err
    assert err == "rasd: 24 events\n"


def test_progress_bar_on_a_terminal_for_more_than_one_article(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["extract", str(corpus)]) == 0
    shown = terminal.getvalue()
    assert "\r" in shown and "articles/s" in shown
    assert "articles/s" not in capsys.readouterr().out  # never on standard output

    single = tmp_path / "one.txt"
    single.write_text("اعتقلت قوات الأمن العراقية خمسة أشخاص في مدينة الموصل.", encoding="utf-8")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["extract", str(single), "--published", "2018-07-10"]) == 0
    assert "\r" not in terminal.getvalue() and "articles/s" not in terminal.getvalue()

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["extract", str(corpus), "--quiet"]) == 0
    assert terminal.getvalue() == ""


def test_records_on_the_same_terminal_scroll_above_the_bar(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rasd.batch.progress as progress

    monkeypatch.setattr(progress, "_REDRAW_SECONDS", 0.0)  # draw at every article
    screen = _Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setattr(sys, "stderr", screen)
    assert main(["extract", str(corpus)]) == 0
    records = 0
    for line in screen.getvalue().split("\n"):
        shown = line.rsplit("\r\x1b[K", 1)[-1]  # what remains on the line once the bar is erased
        if shown.startswith("{"):
            assert json.loads(shown)["event_id"]
            records += 1
        else:
            assert shown == "" or "articles" in shown or shown == "rasd: 24 events"
    assert records == 24 and "\r\x1b[K{" in screen.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "--workers must be at least 1"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler is for --engine dask"),
    ],
)
def test_usage_errors_exit_2(corpus: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    status, out, err = _extract(capsys, str(corpus), *args)
    assert status == 2 and out == ""
    assert message in err


def test_dask_engine_without_dask_installed_is_a_usage_error(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    status, out, err = _extract(capsys, str(corpus), "--engine", "dask")
    assert status == 2 and out == ""
    assert "pip install 'rasd[dask]'" in err


def test_unreachable_scheduler_is_reported(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("dask.distributed")
    import rasd.batch.dask_engine as dask_engine

    old = dask_engine.CONNECT_TIMEOUT
    dask_engine.CONNECT_TIMEOUT = "1s"
    try:
        status, out, err = _extract(capsys, str(corpus), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    finally:
        dask_engine.CONNECT_TIMEOUT = old
    assert status == 1 and out == ""
    assert "cannot reach the dask scheduler at tcp://127.0.0.1:9" in err


def test_dask_engine_with_two_workers_gives_the_event_ids_of_the_local_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("dask.distributed")
    corpus = write_batch_corpus(tmp_path / "reports.jsonl")
    status, local, _err = _extract(capsys, str(corpus))
    assert status == 0
    status, distributed, _err = _extract(capsys, str(corpus), "--engine", "dask", "--workers", "2")
    assert status == 0
    ids = [json.loads(line)["event_id"] for line in local.splitlines()]
    assert [json.loads(line)["event_id"] for line in distributed.splitlines()] == ids
    assert distributed == local and len(ids) == 8


def test_bench_prints_rates_memory_and_the_floor(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", str(corpus), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["articles"] == 24 and figures["events"] == 24
    for key in ("articles_per_s", "mb_per_s", "peak_rss_mb", "floor_articles_per_s", "ratio_to_floor"):
        assert figures[key] > 0
    assert figures["floor_s"] >= 0 and figures["startup_s"] >= 0  # lexicons may be loaded already
    assert main(["bench", str(corpus), "--limit", "8"]) == 0
    table = capsys.readouterr().out
    assert "8 articles" in table and "articles/s" in table and "the floor" in table and "peak memory" in table
