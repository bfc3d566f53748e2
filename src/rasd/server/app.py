"""The HTTP API and the web app (`rasd serve`): one FastAPI application over one event store.

Each request opens its own store connection inside its endpoint function, so that a
connection is only ever used by the thread that opened it (FastAPI runs plain `def`
endpoints in a thread pool; sqlite3 connections are not to be shared across threads).
SQLite's WAL mode lets these readers run while `rasd ingest` writes.

The web page reads only the public JSON endpoints below, so everything the page shows can
be had by a script too.

Safety (docs/api.md, "Security"): `rasd serve` binds to loopback unless told otherwise; with
a token (`--token`, `$RASD_API_TOKEN`; required to bind elsewhere) the endpoints that write
(storing an extraction, reviews) answer 401 without it. Request bodies are capped and each
client's request rate is limited (`rasd.server.limits`). Every filter reaches the database
as a bound parameter, never as SQL. The page escapes every text it shows (it sets
textContent, never HTML) and is served with a Content-Security-Policy that allows only
rasd's own scripts, so a script inside an article cannot run.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException

from rasd.errors import RasdError, StoreError, UsageError
from rasd.formats import write_events
from rasd.model import Article, Event
from rasd.server.limits import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_RATE_LIMIT,
    DEFAULT_WRITE_RATE_LIMIT,
    BodySizeLimit,
    RateLimit,
)
from rasd.server.schemas import EventPage, ExtractRequest, ExtractResponse, ReviewRequest
from rasd.store import EventDetail, REVIEW_STATES, Store, open_store

STATIC_DIR = Path(__file__).parent / "static"


def _version() -> str:
    try:
        return metadata.version("rasd")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


rasd_version = _version()
MAX_PAGE = 1000
MAX_FEATURES = 20_000
EXPORTS: dict[str, tuple[str, str, str]] = {
    # format -> (rasd.formats name, media type, file ending)
    "acled-csv": ("acled-csv", "text/csv; charset=utf-8", "csv"),
    "jsonl": ("jsonl", "application/x-ndjson; charset=utf-8", "jsonl"),
    "geojson": ("geojson", "application/geo+json", "geojson"),
    "plover": ("plover", "application/x-ndjson; charset=utf-8", "plover.jsonl"),
}
ReviewFilter = Literal["unreviewed", "confirmed", "edited", "rejected", "any"]

_NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>rasd</title>
<h1>rasd: the web app is not built</h1>
<p>The API works (see <a href="/docs">/docs</a>). To build the map page, run <code>make web</code>
in the rasd source folder (it needs npm), then restart <code>rasd serve</code>.</p></html>"""


TOKEN_ENV_VAR = "RASD_API_TOKEN"
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _error(status: int, message: str, details: list[Any] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message, "status": status}
    if details:
        body["details"] = details
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=headers)


def _presented_token(request: Request) -> str | None:
    """The token a request carries: `Authorization: Bearer T`, or Basic auth with T as the
    password (what a browser asks for when the page posts a review), or `X-Rasd-Token: T`."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2]
    return request.headers.get("x-rasd-token")


def _page_policy(tile_url: str | None) -> str:
    """The page's Content-Security-Policy: rasd's own scripts only, no inline script, no plugins."""
    images = "'self' data: blob:"
    if tile_url:
        from urllib.parse import urlsplit

        parts = urlsplit(tile_url.replace("{", "").replace("}", ""))
        if parts.scheme in ("http", "https") and parts.netloc:
            images += f" {parts.scheme}://{parts.netloc.split('@')[-1]}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )


def _parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`west,south,east,north` in degrees; HTTPException 422 naming the problem otherwise."""
    if value is None or not value.strip():
        return None
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4:
        raise HTTPException(422, f"bbox {value!r}: expected four numbers west,south,east,north")
    west, south, east, north = parts
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(422, f"bbox {value!r}: out of range (longitudes -180..180, south <= north)")
    return west, south, east, north


class Filters:
    """The event filters shared by the list, GeoJSON and export endpoints (query parameters)."""

    def __init__(
        self,
        since: Annotated[date | None, Query(description="events on or after this date (YYYY-MM-DD)")] = None,
        until: Annotated[date | None, Query(description="events on or before this date")] = None,
        country: Annotated[str | None, Query(max_length=100, description="country name, any case")] = None,
        admin1: Annotated[str | None, Query(max_length=100, description="first-level region, any case")] = None,
        type: Annotated[str | None, Query(max_length=100, description="ACLED event type or sub-type")] = None,  # noqa: A002
        actor: Annotated[str | None, Query(max_length=200, description="part of an actor's name")] = None,
        q: Annotated[str | None, Query(max_length=200, description="text in notes, names, places or article")] = None,
        bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
        review: Annotated[ReviewFilter | None, Query(description="review state; default: all but rejected")] = None,
    ) -> None:
        if since and until and since > until:
            raise HTTPException(422, f"since {since} is after until {until}")
        self.kwargs: dict[str, Any] = {
            "since": since, "until": until, "country": country, "admin1": admin1, "event_type": type,
            "actor": actor, "q": q, "bbox": _parse_bbox(bbox), "review": review,
        }


def _listing(event: Event, states: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """An event as the list shows it: the record without evidence, with its review state."""
    record = event.to_json_dict()
    record.pop("evidence", None)
    state, reports = states.get(event.event_id, ("unreviewed", 1))
    record["review"] = state
    record["reports"] = reports
    return record


def _detail_json(detail: EventDetail) -> dict[str, Any]:
    return {
        "event": detail.event.to_json_dict(),
        "requested_id": detail.requested_id,
        "review": {
            "state": detail.review,
            "orphaned": detail.orphaned,
            "edits": detail.edits,
            "history": [
                {"id": h.id, "action": h.action, "reviewer": h.reviewer, "note": h.note,
                 "changes": h.changes, "at": h.reviewed_at}
                for h in detail.history
            ],
        },
        "fatalities": detail.spread.to_json(),
        "reports": [
            {
                "event_id": r.event.event_id, "article_id": r.article_id, "title": r.title, "source": r.source,
                "url": r.url, "published": r.published.isoformat() if r.published else None,
                "record": r.event.to_json_dict(),
            }
            for r in detail.reports
        ],
        "merge": [
            {"report_id": d.report_id, "decision": d.decision, "rules": d.rules, "decided_at": d.decided_at,
             **d.detail}
            for d in detail.decisions
        ],
    }


def create_app(
    db: str,
    *,
    tile_url: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    static_dir: Path | None = None,
    token: str | None = None,
    rate_limit: int = DEFAULT_RATE_LIMIT,
    write_rate_limit: int = DEFAULT_WRITE_RATE_LIMIT,
) -> FastAPI:
    """The application serving the store at `db` (a path or URL as `open_store` takes).

    With `token`, the endpoints that write need it (401 otherwise). `rate_limit` and
    `write_rate_limit` are requests a minute from one client (0: no limit).
    """
    static = static_dir or STATIC_DIR
    app = FastAPI(
        title="rasd",
        version=rasd_version,
        summary="Arabic conflict news as de-duplicated, evidence-backed ACLED-style events",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    # Added last, so it runs first: a client over its rate is turned away before anything else.
    app.add_middleware(RateLimit, per_minute=rate_limit, writes_per_minute=write_rate_limit)
    page_policy = _page_policy(tile_url)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def require_token(request: Request, what: str) -> None:
        """401 unless the request carries the token (when the server has one)."""
        if token is None:
            return
        presented = _presented_token(request)
        if presented is None or not hmac.compare_digest(presented.encode("utf-8"), token.encode("utf-8")):
            raise HTTPException(
                401, f"{what} needs the API token (send 'Authorization: Bearer TOKEN')",
                headers={"WWW-Authenticate": 'Bearer realm="rasd", Basic realm="rasd", charset="UTF-8"'},
            )

    @contextmanager
    def store() -> Iterator[Store]:
        with open_store(db) as opened:
            yield opened

    # ------------------------------------------------------------------ errors as JSON

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        return _error(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"where": ".".join(str(p) for p in err.get("loc", ())), "problem": err.get("msg", "")}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{d['where']}: {d['problem']}" for d in details)
        return _error(422, f"invalid request: {summary}", details)

    @app.exception_handler(UsageError)
    async def usage_error(_request: Request, exc: UsageError) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(_request: Request, exc: StoreError) -> JSONResponse:
        return _error(503, f"event store unavailable: {exc}")

    @app.exception_handler(RasdError)
    async def rasd_error(_request: Request, exc: RasdError) -> JSONResponse:
        return _error(500, str(exc))

    # ------------------------------------------------------------------ API

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """The server is up and the database readable; counts of articles, reports and events."""
        with store() as s:
            return {"status": "ok", "version": rasd_version, "counts": s.stats()}

    @app.get("/api/config", tags=["meta"])
    def config() -> dict[str, Any]:
        """What the web page needs to know: the optional tile URL, the body limit."""
        return {"tile_url": tile_url, "max_body_bytes": max_body_bytes, "version": rasd_version,
                "review_states": list(REVIEW_STATES), "token_required": token is not None}

    @app.post("/api/extract", tags=["extract"], response_model=ExtractResponse)
    def extract(body: ExtractRequest, request: Request) -> dict[str, Any]:
        """Extract the events of a posted article; with `store`, also ingest it (merging its events).
        Storing needs the API token when the server has one."""
        from rasd import api

        if body.store:
            require_token(request, "storing an article")

        article_id = body.article_id or "api-" + hashlib.sha256(body.text.encode("utf-8")).hexdigest()[:12]
        article = Article(id=article_id, text=body.text, published=body.published, source=body.source,
                          title=body.title, url=body.url)
        events = api.extract_article(article)
        result: dict[str, Any] = {"article_id": article_id, "events": [e.to_json_dict() for e in events]}
        if body.store:
            with store() as s:
                outcome = s.add(article, events)
            result["stored"] = outcome.stored
            result["placements"] = [
                {"report_id": p.report_id, "event_id": p.event_id, "decision": p.decision}
                for p in outcome.placements
            ]
        return result

    @app.get("/api/events", tags=["events"], response_model=EventPage)
    def list_events(
        filters: Annotated[Filters, Depends()],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Events matching every filter, by date, a page at a time (`total` counts them all)."""
        with store() as s:
            total = s.count_events(**filters.kwargs)
            events = list(s.events(**filters.kwargs, limit=limit, offset=offset))
            states = s.review_states(e.event_id for e in events)
        return {"total": total, "limit": limit, "offset": offset, "events": [_listing(e, states) for e in events]}

    @app.get("/api/events.geojson", tags=["events"])
    def events_geojson(
        filters: Annotated[Filters, Depends()],
        limit: Annotated[int, Query(ge=1, le=MAX_FEATURES)] = MAX_FEATURES,
    ) -> JSONResponse:
        """A FeatureCollection with one Point per located event (events without coordinates are left out)."""
        with store() as s:
            events = [e for e in s.events(**filters.kwargs, limit=limit) if e.latitude is not None and e.longitude is not None]
            states = s.review_states(e.event_id for e in events)
        features = [
            {"type": "Feature", "id": e.event_id,
             "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]},
             "properties": _listing(e, states)}
            for e in events
        ]
        return JSONResponse({"type": "FeatureCollection", "features": features},
                            media_type="application/geo+json")

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(event_id: str) -> dict[str, Any]:
        """One event (by its id, or the id of one of its reports) with its reports, evidence,
        merge decisions, fatality spread and review trail."""
        with store() as s:
            detail = s.event_detail(event_id)
        if detail is None:
            raise HTTPException(404, f"no event with id {event_id!r}")
        return _detail_json(detail)

    @app.get("/api/events/{event_id}/history", tags=["review"])
    def get_history(event_id: str) -> dict[str, Any]:
        """The audit trail of an event: every review action, who, when and what changed."""
        with store() as s:
            detail = s.event_detail(event_id)
        if detail is None:
            raise HTTPException(404, f"no event with id {event_id!r}")
        return {"event_id": detail.event.event_id, **_detail_json(detail)["review"]}

    @app.post("/api/events/{event_id}/review", tags=["review"])
    def review_event(event_id: str, body: ReviewRequest, request: Request) -> dict[str, Any]:
        """Confirm, edit, reject or reopen an event; the reviewed values are what lists and exports show.
        Needs the API token when the server has one."""
        require_token(request, "a review")
        with store() as s:
            if s.resolve_id(event_id) is None:
                raise HTTPException(404, f"no event with id {event_id!r}")
            detail = s.review(event_id, body.action, body.reviewer, fields=body.fields, revert=body.revert,
                              note=body.note)
        return _detail_json(detail)

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(article_id: str) -> dict[str, Any]:
        """An article's text and the spans of its evidence, each tied to its field and event."""
        with store() as s:
            found = s.article_reports(article_id)
            if found is None:
                raise HTTPException(404, f"no article with id {article_id!r}")
            article, reports = found
            clusters = s.report_clusters(r.event_id for r in reports)
        spans = [
            {"start": ev.start, "end": ev.end, "field": ev.field, "text": ev.text,
             "report_id": r.event_id, "event_id": clusters.get(r.event_id, r.event_id)}
            for r in reports for ev in r.evidence
            if 0 <= ev.start <= ev.end <= len(article.text)
        ]
        spans.sort(key=lambda sp: (sp["start"], sp["end"]))
        return {
            "article": {"id": article.id, "title": article.title, "source": article.source, "url": article.url,
                        "published": article.published.isoformat() if article.published else None,
                        "text": article.text},
            "events": [clusters.get(r.event_id, r.event_id) for r in reports],
            "spans": spans,
        }

    @app.get("/api/export", tags=["export"])
    def export(
        filters: Annotated[Filters, Depends()],
        format: Annotated[Literal["acled-csv", "jsonl", "geojson", "plover"], Query()] = "acled-csv",  # noqa: A002
    ) -> FileResponse:
        """Download the events matching the filters, with reviewed values (rejected events left out)."""
        name, media_type, ending = EXPORTS[format]
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", suffix=f".{ending}", delete=False)
        try:
            with handle, store() as s:
                write_events(s.events(**filters.kwargs), name, handle)
        except BaseException:
            os.unlink(handle.name)
            raise
        return FileResponse(handle.name, media_type=media_type, filename=f"rasd-events.{ending}",
                            background=BackgroundTask(os.unlink, handle.name))

    @app.get("/api/stats", tags=["meta"])
    def stats() -> dict[str, int]:
        """Counts of articles, reports, events, and events by review state."""
        with store() as s:
            return s.stats()

    # ------------------------------------------------------------------ page and docs

    vendor = static / "vendor"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if (vendor / "swagger-ui-bundle.js").is_file():
            return get_swagger_ui_html(openapi_url="/openapi.json", title="rasd API",
                                       swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                       swagger_css_url="/static/vendor/swagger-ui.css",
                                       swagger_favicon_url="/static/favicon.svg")
        return get_swagger_ui_html(openapi_url="/openapi.json", title="rasd API")

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        page = static / "index.html"
        if not page.is_file():
            return HTMLResponse(_NOT_BUILT, status_code=503)
        return FileResponse(page, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache", "Content-Security-Policy": page_policy})

    if static.is_dir():
        app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/api/{rest:path}", include_in_schema=False)
    def unknown(rest: str) -> None:
        raise HTTPException(404, f"no such endpoint: /api/{rest}")

    return app


def app_from_environment() -> FastAPI:
    """For `uvicorn rasd.server.app:app_from_environment --factory`: the store named by $RASD_DB."""
    return create_app(os.environ.get("RASD_DB", "rasd.db"), tile_url=os.environ.get("RASD_TILE_URL"),
                      token=os.environ.get(TOKEN_ENV_VAR) or None)


__all__ = ["STATIC_DIR", "TOKEN_ENV_VAR", "app_from_environment", "create_app"]
