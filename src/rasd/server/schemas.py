"""Request and response bodies of the HTTP API (they also make the OpenAPI schema at /docs)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT_CHARS = 200_000
ReviewAction = Literal["confirm", "edit", "reject", "reopen"]


class ExtractRequest(BaseModel):
    """An article to extract events from; with `store`, it is also ingested."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="the article text (Arabic)")
    published: date | None = Field(None, description="publication date; relative dates resolve against it")
    article_id: str | None = Field(None, max_length=200, description="default: a hash of the text")
    source: str | None = Field(None, max_length=200, description="the outlet")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    store: bool = Field(False, description="also store the article and merge its events into the database")


class ExtractResponse(BaseModel):
    article_id: str
    events: list[dict[str, Any]]
    stored: bool | None = Field(None, description="with store: false when the text was already stored")
    placements: list[dict[str, str]] = Field(
        default_factory=list, description="with store: the event each report went to, and how"
    )


class ReviewRequest(BaseModel):
    """An analyst's review of an event (docs/api.md, "Review")."""

    model_config = ConfigDict(extra="forbid")

    action: ReviewAction
    reviewer: str = Field(min_length=1, max_length=100, description="who reviews (kept in the audit trail)")
    fields: dict[str, Any] = Field(default_factory=dict, description="edit: field -> corrected value")
    revert: list[str] = Field(default_factory=list, description="edit: fields whose edits are dropped")
    note: str | None = Field(None, max_length=2000)


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[dict[str, Any]]


class ErrorBody(BaseModel):
    error: str
    status: int
    details: list[Any] | None = None
