"""`rasd serve`: the HTTP API (FastAPI) and the map-first web app over the event store.

Needs the `server` extra (`pip install 'rasd[server]'`); the page's map library and basemap
are built from the npm registry by `make web` into `rasd/server/static/` (docs/api.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(db: str, **options: Any) -> FastAPI:
    """The application for the store at `db` (see rasd.server.app.create_app for the options)."""
    from rasd.server.app import create_app as build

    return build(db, **options)


__all__ = ["create_app"]
