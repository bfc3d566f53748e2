"""Tests of rasd.formats: JSON Lines, ACLED CSV, GeoJSON, PLOVER and the terminal table."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rasd.errors import UsageError
from rasd.formats import FORMATS, fit, open_output, text_width, write_events
from rasd.model import ACLED_COLUMNS, Event, Evidence, Plover

LOCATION_AR = "معرة النعمان"


def make_event(event_id: str = "e1", **fields: Any) -> Event:
    base: dict[str, Any] = {
        "event_id": event_id,
        "event_date": date(2018, 8, 9),
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Syria (2000-2024)",
        "inter1": 1,
        "actor2": "Civilians (Syria)",
        "inter2": 7,
        "interaction": 17,
        "civilian_targeting": True,
        "iso": 760,
        "region": "Middle East",
        "country": "Syria",
        "admin1": "Idleb",
        "admin2": "Maarrat An Nu'man",
        "location": "Maarrat an Numan",
        "location_ar": LOCATION_AR,
        "latitude": 35.6478,
        "longitude": 36.6717,
        "geo_precision": 1,
        "notes": "On 9 August 2018, regime forces struck Maarrat an Numan, killing 5 civilians.",
        "fatalities": 5,
        "article_id": "a1",
        "evidence": [Evidence(field="location", start=0, end=12, text=LOCATION_AR)],
    }
    base.update(fields)
    return Event(**base)


def render(events: list[Event], fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    count = write_events(events, fmt, out)
    return count, out.getvalue()


def test_unknown_format_names_the_allowed_ones() -> None:
    with pytest.raises(UsageError) as info:
        write_events([], "xml", io.StringIO())
    for fmt in FORMATS:
        assert fmt in str(info.value)


def test_jsonl_round_trips_and_keeps_arabic_readable() -> None:
    events = [make_event("e1"), make_event("e2", event_date=None, latitude=None)]
    count, text = render(events, "jsonl")
    lines = text.splitlines()
    assert count == 2 and len(lines) == 2
    assert LOCATION_AR in lines[0]
    assert [Event.model_validate(json.loads(line)) for line in lines] == events


def test_jsonl_streams_from_a_generator() -> None:
    count, _ = render((make_event(str(n)) for n in range(5)), "jsonl")  # type: ignore[arg-type]
    assert count == 5


@pytest.mark.parametrize("fmt", ["acled-csv", "csv"])
def test_acled_csv_header_is_exactly_acled_columns(fmt: str) -> None:
    count, text = render([make_event()], fmt)
    rows = list(csv.reader(io.StringIO(text)))
    assert count == 1
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert len(rows[1]) == 31


def test_acled_csv_values() -> None:
    events = [
        make_event("e1", assoc_actor_1=["Military Forces of Russia (2000-)", "NDF: National Defence Forces"]),
        make_event("e2", event_id_cnty="SYR1234", year=2017, civilian_targeting=False, actor2=None,
                   latitude=None, longitude=None, timestamp=1534000000),
    ]
    _, text = render(events, "acled-csv")
    first, second = list(csv.DictReader(io.StringIO(text)))
    assert first["event_id_cnty"] == "e1"
    assert first["event_date"] == "2018-08-09"
    assert first["year"] == "2018"
    assert first["assoc_actor_1"] == "Military Forces of Russia (2000-); NDF: National Defence Forces"
    assert first["assoc_actor_2"] == ""
    assert first["civilian_targeting"] == "Civilians targeted"
    assert first["latitude"] == "35.6478" and first["iso"] == "760" and first["fatalities"] == "5"
    assert second["event_id_cnty"] == "SYR1234"
    assert second["year"] == "2017"
    assert second["civilian_targeting"] == ""
    assert second["actor2"] == "" and second["latitude"] == ""
    assert second["timestamp"] == "1534000000"


def test_acled_csv_without_date_has_empty_year() -> None:
    _, text = render([make_event(event_date=None)], "acled-csv")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["event_date"] == "" and row["year"] == ""


def test_geojson_skips_events_without_coordinates() -> None:
    events = [make_event("e1"), make_event("e2", latitude=None, longitude=None), make_event("e3", longitude=None)]
    count, text = render(events, "geojson")
    data = json.loads(text)
    assert count == 1
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [36.6717, 35.6478]}
    assert feature["properties"]["event_id"] == "e1"
    assert feature["properties"]["evidence"][0]["text"] == LOCATION_AR


def test_geojson_empty_collection_is_valid() -> None:
    count, text = render([], "geojson")
    assert count == 0
    assert json.loads(text) == {"type": "FeatureCollection", "features": []}


def test_plover_uses_the_records_own_coding_then_falls_back() -> None:
    events = [
        make_event("e1", plover=Plover(event="ASSAULT", mode="aerial"), injured=3),
        make_event("e2", event_type="Battles", sub_event_type="Armed clash"),
        make_event("e3", event_type="Strategic developments", sub_event_type="Arrests", arrested=4),
        make_event("e4", event_type="Strategic developments", sub_event_type="Other"),
    ]
    count, text = render(events, "plover")
    records = [json.loads(line) for line in text.splitlines()]
    assert count == 4
    assert (records[0]["event_type"], records[0]["event_mode"], records[0]["injured"]) == ("ASSAULT", "aerial", 3)
    assert (records[1]["event_type"], records[1]["event_mode"]) == ("FIGHT", None)
    assert (records[2]["event_type"], records[2]["arrested"]) == ("COERCE", 4)
    assert records[3]["event_type"] is None
    first = records[0]
    assert first["event_date"] == "2018-08-09"
    assert first["actor_name"] == "Military Forces of Syria (2000-2024)"
    assert first["recipient_name"] == "Civilians (Syria)"
    assert (first["placename"], first["placename_raw"], first["province"]) == ("Maarrat an Numan", LOCATION_AR, "Idleb")
    assert (first["latitude"], first["longitude"], first["dead"]) == (35.6478, 36.6717, 5)


def test_table_rows_unknown_tolls_and_missing_values() -> None:
    events = [
        make_event("e1"),
        make_event("e2", fatalities=0, fatalities_known=False, actor1=None, actor2=None, location=None,
                   admin1=None, event_date=None),
    ]
    count, text = render(events, "table")
    lines = text.splitlines()
    assert count == 2 and len(lines) == 4
    assert "date" in lines[0] and "dead" in lines[0]
    assert lines[2].startswith("2018-08-09")
    assert "Explosion / Air/drone strike" in lines[2]
    assert "Military Forces of Syria \u2192 Civilians (Syria)" in lines[2]
    assert lines[2].rstrip().endswith("5")
    assert lines[3].rstrip().endswith("?")
    assert LOCATION_AR in lines[3]  # the Arabic name stands in for a missing English one
    assert text_width(lines[2]) == text_width(lines[3]) == text_width(lines[0])


def test_table_with_no_events() -> None:
    count, text = render([], "table")
    assert count == 0 and "(no events)" in text


def test_fit_counts_harakat_as_zero_width_and_truncates() -> None:
    vowelled = "\u0642\u064e\u0635\u064e\u0641\u064e"  # three letters, three fathas
    assert text_width(vowelled) == 3
    assert fit(vowelled, 5) == vowelled + "  "
    cut = fit("Military Forces of Syria (2000-2024)", 10)
    assert text_width(cut) == 10 and cut.endswith("\u2026")
    assert fit("7", 4, right=True) == "   7"


def test_open_output_writes_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with open_output(str(target)) as out:
            out.write("partial")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    with open_output(str(target)) as out:
        write_events([make_event()], "jsonl", out)
    assert json.loads(target.read_text(encoding="utf-8"))["event_id"] == "e1"


def test_open_output_into_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot write"):
        with open_output(str(tmp_path / "no" / "such.csv")):
            pass
