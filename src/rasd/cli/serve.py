"""`rasd serve`: the HTTP API and the map-first web app over the event store.

Binds to 127.0.0.1 unless told otherwise: the API can change reviews, so exposing it on a
network is a decision the user makes with `--host`, and rasd says so when they do.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import Any

from rasd.errors import UsageError
from rasd.store import open_store, resolve_location

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace) -> int:
    """Check the database opens, then serve until interrupted."""
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: must be between 1 and 65535")
    if args.max_body < 1024:
        raise UsageError(f"--max-body {args.max_body}: must be at least 1024 bytes")
    try:
        import uvicorn

        from rasd.server.app import STATIC_DIR, create_app
    except ImportError as exc:
        raise UsageError(
            f"rasd serve needs the server extra ({exc.name} is missing): pip install 'rasd[server]'"
        ) from exc
    location = resolve_location(args.db)
    with open_store(location):  # fail now, with a clear message, rather than on the first request
        pass
    app = create_app(location, tile_url=args.tiles, max_body_bytes=args.max_body)
    if not _is_loopback(args.host):
        print(f"rasd: warning: serving on {args.host}: anyone who can reach it can read and review events",
              file=sys.stderr)
    if not (STATIC_DIR / "index.html").is_file():
        print("rasd: the web app is not built (run `make web`); the API is served", file=sys.stderr)
    print(f"rasd: serving {location} on http://{args.host}:{args.port}/ (API docs at /docs; Ctrl-C stops)",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def register(subparsers: Any) -> None:
    """Add the `serve` command to the rasd parser."""
    serve = subparsers.add_parser(
        "serve",
        help="serve the HTTP API and the map web app",
        description=(
            "Serve the event database over HTTP: the JSON API (/api/..., OpenAPI at /docs)\n"
            "and the web app at / (map, timeline, filters, table, evidence, review, exports)."
        ),
        epilog=(
            "Example:\n  rasd serve --db events.db --port 8000\n"
            "  then open http://127.0.0.1:8000/ ; curl http://127.0.0.1:8000/api/events"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--db", metavar="FILE",
        help="event database (default: $RASD_DB, else rasd.db in the working directory)",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument(
        "--tiles", metavar="URL",
        help="map tile URL for online use, e.g. 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'"
        " (default: the offline Natural Earth basemap only)",
    )
    serve.add_argument(
        "--max-body", type=int, default=2 * 1024 * 1024, metavar="BYTES",
        help="largest request body accepted (default 2 MiB)",
    )
    serve.add_argument(
        "--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"),
        help="server log level (default warning)",
    )
    serve.set_defaults(run=run_serve)
