"""Tests of `rasd ingest`, `rasd events` and `rasd export` through rasd.cli.main."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

import rasd.api
import rasd.cli
from rasd.cli import main
from rasd.cli.store import parse_date_option
from rasd.errors import UsageError
from rasd.model import ACLED_COLUMNS, Article, Event, Evidence
from rasd.store import open_store

TEXT_A = "قصفت طائرات حربية مدينة معرة النعمان يوم الخميس."
TEXT_B = "اشتباكات بين قوات سوريا الديمقراطية وتنظيم الدولة في هجين."
TEXT_C = "اعتقلت قوات الأمن عشرة متظاهرين في درعا."


@pytest.fixture(autouse=True)
def _only_available_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the parser from the command modules that exist, so these tests don't wait on others."""
    present = tuple(m for m in rasd.cli._COMMAND_MODULES if find_spec(f"rasd.cli.{m}") is not None)
    assert "store" in present
    monkeypatch.setattr(rasd.cli, "_COMMAND_MODULES", present)


def make_event(article: Article, index: int, **fields: Any) -> Event:
    base: dict[str, Any] = {
        "event_id": f"{article.id}-{index}",
        "article_id": article.id,
        "event_date": article.published,
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Syria (2000-2024)",
        "actor2": "Civilians (Syria)",
        "country": "Syria",
        "admin1": "Idleb",
        "location": "Maarrat an Numan",
        "latitude": 35.6478,
        "longitude": 36.6717,
        "fatalities": 2,
        "evidence": [Evidence(field="trigger", start=0, end=4, text=article.text[0:4])],
    }
    base.update(fields)
    return Event(**base)


def fake_extract(article: Article) -> list[Event]:
    """Two events for TEXT_A, one battle for TEXT_B, none otherwise."""
    if article.text.startswith(TEXT_A[:10]):
        return [make_event(article, 0), make_event(article, 1, fatalities=0, latitude=None, longitude=None)]
    if article.text.startswith(TEXT_B[:10]):
        return [
            make_event(
                article, 0, event_type="Battles", sub_event_type="Armed clash", actor1="QSD: Syrian Democratic Forces",
                actor2="Islamic State (Syria)", admin1="Deir ez Zor", location="Hajin", latitude=34.69, longitude=40.83,
            )
        ]
    return []


@pytest.fixture()
def extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasd.api, "extract_article", fake_extract)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "idlib.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "feed.jsonl").write_text(
        json.dumps({"id": "hajin", "text": TEXT_B, "published": "2018-09-03"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "daraa", "text": TEXT_C}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return folder


def ingest(db: Path, *args: str) -> int:
    return main(["ingest", *args, "--db", str(db)])


# --------------------------------------------------------------------------- ingest


def test_ingest_stores_and_reports(tmp_path: Path, corpus: Path, extractor: None, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "e.db"
    assert ingest(db, str(corpus), "--published", "2018-08-09") == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "rasd: 3 articles read, 3 new, 0 already stored, 3 events stored"
    with open_store(str(db)) as store:
        assert store.counts() == {"articles": 3, "events": 3}
        assert store.event("idlib-0").event_date == date(2018, 8, 9)  # type: ignore[union-attr]
        assert store.event("hajin-0").event_date == date(2018, 9, 3)  # type: ignore[union-attr]


def test_ingest_twice_stores_nothing_new(tmp_path: Path, corpus: Path, extractor: None, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "e.db"
    ingest(db, str(corpus))
    capsys.readouterr()
    assert ingest(db, str(corpus)) == 0
    assert capsys.readouterr().err.strip() == "rasd: 3 articles read, 0 new, 3 already stored, 0 events stored"


def test_ingest_bad_input_exit_1_and_others_stored(
    tmp_path: Path, extractor: None, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"id": "1", "text": TEXT_A}, ensure_ascii=False) + '\n{"id": "2" "text": ""}\n', encoding="utf-8"
    )
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    db = tmp_path / "e.db"
    assert ingest(db, str(bad), str(empty)) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"rasd: {bad}:2: broken JSON line (Expecting ',' delimiter)"
    assert lines[1] == f"rasd: {empty} (id empty): empty text"
    assert lines[2] == "rasd: 1 article read, 1 new, 0 already stored, 2 events stored; 2 inputs could not be read"
    with open_store(str(db)) as store:
        assert store.counts() == {"articles": 1, "events": 2}


def test_ingest_quiet_still_reports_problems(tmp_path: Path, corpus: Path, extractor: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert ingest(tmp_path / "e.db", str(corpus), "--quiet") == 0
    assert capsys.readouterr().err == ""
    assert ingest(tmp_path / "e.db", str(tmp_path / "missing.txt"), "--quiet") == 1
    assert capsys.readouterr().err.strip() == f"rasd: {tmp_path / 'missing.txt'}: no such file or directory"


def test_ingest_extraction_failure_is_reported_and_the_rest_stored(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def flaky(article: Article) -> list[Event]:
        if article.id == "hajin":
            raise RuntimeError("lexicon exploded")
        return fake_extract(article)

    monkeypatch.setattr(rasd.api, "extract_article", flaky)
    db = tmp_path / "e.db"
    assert ingest(db, str(corpus)) == 1
    err = capsys.readouterr().err
    assert "rasd: hajin: extraction failed (RuntimeError: lexicon exploded)" in err
    assert "1 article could not be extracted or stored" in err
    with open_store(str(db)) as store:
        assert store.counts() == {"articles": 2, "events": 2}
    monkeypatch.setattr(rasd.api, "extract_article", fake_extract)
    assert ingest(db, str(corpus)) == 0
    assert "1 new, 2 already stored, 1 event stored" in capsys.readouterr().err


def test_ingest_skips_extraction_of_stored_articles(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, extractor: None
) -> None:
    db = tmp_path / "e.db"
    ingest(db, str(corpus))
    seen: list[str] = []
    monkeypatch.setattr(rasd.api, "extract_article", lambda a: seen.append(a.id) or [])
    ingest(db, str(corpus))
    assert seen == []


def test_ingest_from_stdin(tmp_path: Path, extractor: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT_A.encode("utf-8")), encoding="utf-8"))
    assert ingest(tmp_path / "e.db", "-", "--published", "2018-08-09") == 0
    assert "1 article read, 1 new" in capsys.readouterr().err
    with open_store(str(tmp_path / "e.db")) as store:
        assert store.event("stdin-0") is not None


@pytest.mark.parametrize("value", ["2018-13-01", "09/08/2018", "yesterday"])
def test_bad_published_is_a_usage_error(tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(TEXT_A, encoding="utf-8")
    assert ingest(tmp_path / "e.db", str(tmp_path / "a.txt"), "--published", value) == 2
    err = capsys.readouterr().err
    assert value in err and "--published" in err
    assert not (tmp_path / "e.db").exists()


def test_bad_database_file_exit_1(tmp_path: Path, corpus: Path, extractor: None, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("not a database", encoding="utf-8")
    assert ingest(db, str(corpus)) == 1
    assert f"rasd: error: {db}: not an SQLite database" in capsys.readouterr().err
    assert db.read_text(encoding="utf-8") == "not a database"


def test_db_from_environment(tmp_path: Path, corpus: Path, extractor: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_DB", str(tmp_path / "env.db"))
    assert main(["ingest", str(corpus), "--quiet"]) == 0
    assert (tmp_path / "env.db").exists()


# --------------------------------------------------------------------------- events


@pytest.fixture()
def db(tmp_path: Path, corpus: Path, extractor: None, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "e.db"
    assert ingest(path, str(corpus), "--published", "2018-08-09") == 0
    capsys.readouterr()
    return path


def events_out(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["events", "--db", str(db), *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_events_default_is_jsonl_of_all(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = events_out(db, capsys)
    assert [r["event_id"] for r in records] == ["idlib-0", "idlib-1", "hajin-0"]


def test_events_filters(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [r["event_id"] for r in events_out(db, capsys, "--since", "2018-09-01")] == ["hajin-0"]
    assert [r["event_id"] for r in events_out(db, capsys, "--until", "2018-08-31")] == ["idlib-0", "idlib-1"]
    assert [r["event_id"] for r in events_out(db, capsys, "--type", "armed clash")] == ["hajin-0"]
    assert [r["event_id"] for r in events_out(db, capsys, "--actor", "islamic state")] == ["hajin-0"]
    assert [r["event_id"] for r in events_out(db, capsys, "--admin1", "idleb", "--country", "SYRIA")] == ["idlib-0", "idlib-1"]
    assert events_out(db, capsys, "--country", "Iraq") == []
    assert [r["event_id"] for r in events_out(db, capsys, "--limit", "1")] == ["idlib-0"]


def test_events_table_and_csv(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(db), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "Explosion / Air/drone strike" in out and "QSD: Syrian Democratic Forces" in out
    assert main(["events", "--db", str(db), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == ACLED_COLUMNS and len(rows) == 4


@pytest.mark.parametrize("flag", ["--since", "--until"])
def test_events_bad_date_is_a_usage_error(db: Path, flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(db), flag, "2018-02-30"]) == 2
    err = capsys.readouterr().err
    assert "2018-02-30" in err and flag in err


def test_events_since_after_until(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(db), "--since", "2019-01-01", "--until", "2018-01-01"]) == 2


def test_events_explain(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(db), "--explain", "idlib-0"]) == 0
    out = capsys.readouterr().out
    assert "event_id" in out and "idlib-0" in out
    assert "Military Forces of Syria (2000-2024)" in out
    assert "evidence:" in out
    assert f"trigger  [0:4]  {TEXT_A[0:4]}" in out
    assert f"[{TEXT_A[0:4]}] {TEXT_A[4:20].strip()}" in out  # shown in its context


def test_events_explain_unknown_id(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(db), "--explain", "nope"]) == 1
    assert "no event with id 'nope'" in capsys.readouterr().err


# --------------------------------------------------------------------------- export


def test_export_acled_csv_to_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "acled.csv"
    assert main(["export", "--db", str(db), "--format", "acled-csv", "--output", str(out)]) == 0
    assert "3 events written to" in capsys.readouterr().err
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert [r[0] for r in rows[1:]] == ["idlib-0", "idlib-1", "hajin-0"]


def test_export_geojson_skips_unplaced_events(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(db), "--format", "geojson"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["properties"]["event_id"] for f in data["features"]] == ["idlib-0", "hajin-0"]


def test_export_jsonl_and_plover_with_filter(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(db), "--format", "plover", "--type", "Battles"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (record["event_id"], record["event_type"]) == ("hajin-0", "FIGHT")
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_export_requires_a_known_format(db: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "--db", str(db), "--format", "xml"])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["export", "--db", str(db)])


# --------------------------------------------------------------------------- help and helpers


@pytest.mark.parametrize("command", ["ingest", "events", "export"])
def test_help_has_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "Example" in out and f"rasd {command}" in out


def test_parse_date_option() -> None:
    assert parse_date_option(None, "--since") is None
    assert parse_date_option("2018-08-09", "--since") == date(2018, 8, 9)
    with pytest.raises(UsageError, match=r"--since '2018-8-9'"):
        parse_date_option("2018-8-9", "--since")
    with pytest.raises(UsageError, match="not a valid date"):
        parse_date_option("2018-02-30", "--published")


def test_ingest_with_worker_processes_keeps_input_order(
    tmp_path: Path, corpus: Path, extractor: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.db"
    assert ingest(db, str(corpus), "--workers", "2", "--published", "2018-08-09") == 0
    assert "3 articles read, 3 new, 0 already stored, 3 events stored" in capsys.readouterr().err
    assert [r["event_id"] for r in events_out(db, capsys)] == ["idlib-0", "idlib-1", "hajin-0"]
    assert ingest(db, str(corpus), "--workers", "0") == 2
