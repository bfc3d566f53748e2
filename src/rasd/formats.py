"""Writing event records: JSON Lines, ACLED CSV, GeoJSON, PLOVER JSON Lines and a terminal table.

Every writer streams (one record in memory at a time), so `extract` and `export` can write
corpora of any size. The CSV follows ACLED's export exactly (ACLED_COLUMNS), so the output
loads next to ACLED data; the other fields of a record are left out of it on purpose.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from rasd.errors import UsageError
from rasd.model import ACLED_COLUMNS, Event

FORMATS: tuple[str, ...] = ("jsonl", "csv", "acled-csv", "geojson", "plover", "table")

CIVILIANS_TARGETED = "Civilians targeted"

# Fallback PLOVER coding by ACLED type, for records that carry no `plover` of their own.
_PLOVER_BY_TYPE: dict[str, str] = {
    "Battles": "FIGHT",
    "Explosions/Remote violence": "ASSAULT",
    "Violence against civilians": "ASSAULT",
    "Protests": "PROTEST",
    "Riots": "PROTEST",
}
_PLOVER_BY_SUB_TYPE: dict[str, tuple[str, str | None]] = {
    "Air/drone strike": ("ASSAULT", "aerial"),
    "Shelling/artillery/missile attack": ("ASSAULT", "artillery"),
    "Remote explosive/landmine/IED": ("ASSAULT", "explosives"),
    "Suicide bomb": ("ASSAULT", "explosives"),
    "Grenade": ("ASSAULT", "explosives"),
    "Abduction/forced disappearance": ("ASSAULT", "abduct"),
    "Sexual violence": ("ASSAULT", "sexual"),
    "Arrests": ("COERCE", "arrest"),
    "Violent demonstration": ("PROTEST", "riot"),
    "Mob violence": ("PROTEST", "riot"),
    "Agreement": ("AGREE", None),
}


def check_format(fmt: str) -> None:
    """Raise UsageError for a format name we cannot write, naming the allowed ones."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r} (choose from: {', '.join(FORMATS)})")


def write_events(events: Iterable[Event], fmt: str, out: TextIO) -> int:
    """Write `events` to `out` in format `fmt`; returns the number of records written.

    For GeoJSON that is the number of features: events without coordinates are left out,
    since a feature without a geometry is of no use on a map.
    """
    check_format(fmt)
    writer: Callable[[Iterable[Event], TextIO], int] = _WRITERS[fmt]
    return writer(events, out)


# --------------------------------------------------------------------------- JSON Lines


def _write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(event.to_json_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


# --------------------------------------------------------------------------- ACLED CSV


def acled_row(event: Event) -> dict[str, Any]:
    """The 31 ACLED columns of an event, spelled as ACLED's export spells them."""
    record = event.to_json_dict()
    row: dict[str, Any] = {column: record.get(column) for column in ACLED_COLUMNS}
    row["event_id_cnty"] = event.event_id_cnty or event.event_id
    row["year"] = event.year or (event.event_date.year if event.event_date else None)
    row["assoc_actor_1"] = "; ".join(event.assoc_actor_1)
    row["assoc_actor_2"] = "; ".join(event.assoc_actor_2)
    row["civilian_targeting"] = CIVILIANS_TARGETED if event.civilian_targeting else ""
    return {column: "" if value is None else value for column, value in row.items()}


def _write_csv(events: Iterable[Event], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(acled_row(event))
        count += 1
    return count


# --------------------------------------------------------------------------- GeoJSON


def geojson_feature(event: Event) -> dict[str, Any] | None:
    """A GeoJSON Point feature of the event (all fields, evidence too), or None without coordinates."""
    if event.latitude is None or event.longitude is None:
        return None
    return {
        "type": "Feature",
        "id": event.event_id,
        "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
        "properties": event.to_json_dict(),
    }


def _write_geojson(events: Iterable[Event], out: TextIO) -> int:
    out.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for event in events:
        feature = geojson_feature(event)
        if feature is None:
            continue
        out.write(",\n" if count else "\n")
        out.write(json.dumps(feature, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


# --------------------------------------------------------------------------- PLOVER


def plover_coding(event: Event) -> tuple[str | None, str | None]:
    """(event, mode) in PLOVER terms: the record's own coding, else a rough one from the ACLED type."""
    if event.plover is not None:
        return event.plover.event, event.plover.mode
    if event.sub_event_type in _PLOVER_BY_SUB_TYPE:
        return _PLOVER_BY_SUB_TYPE[event.sub_event_type]
    return _PLOVER_BY_TYPE.get(event.event_type), None


def plover_record(event: Event) -> dict[str, Any]:
    """The event in the shape of POLECAT/PLOVER records (snake_case keys)."""
    plover_event, mode = plover_coding(event)
    return {
        "event_id": event.event_id,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "event_type": plover_event,
        "event_mode": mode,
        "actor_name": event.actor1,
        "actor_name_raw": event.actor1_ar,
        "actor_country": event.country,
        "recipient_name": event.actor2,
        "recipient_name_raw": event.actor2_ar,
        "placename": event.location,
        "placename_raw": event.location_ar,
        "district": event.admin2,
        "province": event.admin1,
        "country": event.country,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "geo_precision": event.geo_precision,
        "dead": event.fatalities,
        "dead_known": event.fatalities_known,
        "injured": event.injured,
        "arrested": event.arrested,
        "abducted": event.abducted,
        "event_text": event.notes,
        "story_id": event.article_id,
        "source": event.source,
        "language": "ar",
        "acled_event_type": event.event_type,
        "acled_sub_event_type": event.sub_event_type,
        "confidence": event.confidence,
    }


def _write_plover(events: Iterable[Event], out: TextIO) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
        count += 1
    return count


# --------------------------------------------------------------------------- table

_TABLE_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    # (heading, width, right-aligned)
    ("date", 10, False),
    ("type / sub-type", 36, False),
    ("actor1 \u2192 actor2", 44, False),
    ("location (admin1)", 26, False),
    ("dead", 5, True),
)
# Short names of ACLED's event types, so that the sub-type fits in the table.
_SHORT_TYPES: dict[str, str] = {
    "Battles": "Battle",
    "Explosions/Remote violence": "Explosion",
    "Violence against civilians": "VAC",
    "Protests": "Protest",
    "Riots": "Riot",
    "Strategic developments": "Strategic",
}
_PERIOD_SUFFIX = re.compile(r"\s*\(\d{4}-(\d{4})?\)$")


def short_actor(name: str) -> str:
    """An actor name without ACLED's period suffix: `Military Forces of Syria (2000-2024)` -> `... Syria`."""
    return _PERIOD_SUFFIX.sub("", name)


def char_width(ch: str) -> int:
    """Terminal cells of one character: 0 for combining marks (Arabic harakat), 2 for wide CJK."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` cut (with an ellipsis) or padded to exactly `width` terminal cells."""
    text = " ".join(text.split())
    if text_width(text) > width:
        kept: list[str] = []
        used = 0
        for ch in text:
            w = char_width(ch)
            if used + w > width - 1:
                break
            kept.append(ch)
            used += w
        text = "".join(kept) + "\u2026"
    pad = " " * (width - text_width(text))
    return pad + text if right else text + pad


def table_cells(event: Event) -> tuple[str, ...]:
    """The cells of one table row; missing values become '-' and unknown tolls '?'."""
    kind = _SHORT_TYPES.get(event.event_type, event.event_type)
    if event.sub_event_type:
        kind += f" / {event.sub_event_type}"
    actors = short_actor(event.actor1 or event.actor1_ar or "-")
    if event.actor2 or event.actor2_ar:
        actors += f" \u2192 {short_actor(event.actor2 or event.actor2_ar or '')}"
    place = event.location or event.location_ar or "-"
    if event.admin1 and event.admin1 != event.location:
        place += f" ({event.admin1})"
    if event.fatalities_known:
        dead = str(event.fatalities)
    else:
        dead = f"{event.fatalities}?" if event.fatalities else "?"
    return (event.event_date.isoformat() if event.event_date else "-", kind, actors, place, dead)


def _table_line(cells: Iterable[str]) -> str:
    parts = [fit(cell, width, right) for cell, (_h, width, right) in zip(cells, _TABLE_COLUMNS)]
    return "  ".join(parts).rstrip() + "\n"


def _write_table(events: Iterable[Event], out: TextIO) -> int:
    out.write(_table_line(heading for heading, _w, _r in _TABLE_COLUMNS))
    out.write(_table_line("-" * width for _h, width, _r in _TABLE_COLUMNS))
    count = 0
    for event in events:
        out.write(_table_line(table_cells(event)))
        count += 1
    if not count:
        out.write("(no events)\n")
    return count


_WRITERS: dict[str, Callable[[Iterable[Event], TextIO], int]] = {
    "jsonl": _write_jsonl,
    "csv": _write_csv,
    "acled-csv": _write_csv,
    "geojson": _write_geojson,
    "plover": _write_plover,
    "table": _write_table,
}


@contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """Standard output (None or `-`), or the file `path` written atomically.

    The file is written under a temporary name and renamed at the end, so a failed or
    interrupted export never leaves a half-written file in place of a good one.
    """
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        handle = open(temporary, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise UsageError(f"cannot write {path} ({exc.strerror or exc})") from exc
    try:
        with handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
