"""Boundary records: what crosses processes, HTTP and disk (EVENT_SCHEMA.md section 1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# ACLED's export columns, in ACLED's order (reference/anchors.md 1.2).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)


class Article(BaseModel):
    """One news article; `text` is never modified by the pipeline."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    published: date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None


class Evidence(BaseModel):
    """A field's support: character offsets into the ORIGINAL article text."""

    model_config = ConfigDict(frozen=True)

    field: str
    start: int
    end: int
    text: str


class Plover(BaseModel):
    event: str
    mode: str | None = None


class Actor(BaseModel):
    """An actor of the knowledge base (CLI.md `actors export` shape)."""

    id: str
    name: str
    names_ar: list[str] = Field(default_factory=list)
    inter: int
    country: str | None = None
    affiliation: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class Place(BaseModel):
    """A place of the gazetteer (CLI.md `gazetteer export` shape)."""

    id: str
    name: str
    name_ar: str | None = None
    names: list[str] = Field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    country: str  # ISO 3166 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    feature: str = "town"
    population: int | None = None
    weak: bool = False  # the name is also an ordinary word: needs a place cue to count
    source: str = ""


class Event(BaseModel):
    """One event record: ACLED's 31 columns plus this project's own fields."""

    event_id: str
    event_id_cnty: str | None = None
    event_date: date | None = None  # None only when neither text nor article gives a date
    year: int | None = None
    time_precision: int = Field(1, ge=1, le=3)
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    assoc_actor_1: list[str] = Field(default_factory=list)
    inter1: int = 0
    actor2: str | None = None
    assoc_actor_2: list[str] = Field(default_factory=list)
    inter2: int = 0
    interaction: int = 0
    civilian_targeting: bool = False
    iso: int | None = None
    region: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = Field(None, ge=1, le=3)
    source: str | None = None
    source_scale: str | None = None
    notes: str = ""
    fatalities: int = 0
    tags: str = ""
    timestamp: int | None = None
    fatalities_known: bool = True
    injured: int | None = None
    arrested: int | None = None
    abducted: int | None = None
    location_ar: str | None = None
    actor1_ar: str | None = None
    actor2_ar: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    article_id: str
    sources: list[str] = Field(default_factory=list)
    confidence: float = Field(0.5, ge=0.0, le=1.0)
    plover: Plover | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data (dates as ISO strings)."""
        return self.model_dump(mode="json")
