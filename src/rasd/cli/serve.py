"""`rasd serve`: the HTTP API and the map-first web app over the event store.

Binds to 127.0.0.1 unless told otherwise: the API can change reviews, so exposing it on a
network is a decision the user makes with `--host`, and then only with an API token
(`$RASD_API_TOKEN`, or `--token`), which the endpoints that write require. Reading stays open
to whoever can reach the server. Request bodies and request rates are limited.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from typing import Any

from rasd.errors import UsageError
from rasd.store import open_store, resolve_location

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_ENV_VAR = "RASD_API_TOKEN"
MIN_TOKEN_CHARS = 16


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
    if args.rate_limit < 0 or args.write_rate_limit < 0:
        raise UsageError("--rate-limit and --write-rate-limit must not be negative (0: no limit)")
    token = (args.token if args.token is not None else os.environ.get(TOKEN_ENV_VAR, "")).strip() or None
    loopback = _is_loopback(args.host)
    if token is None and not loopback:
        raise UsageError(
            f"refusing to serve on {args.host} without an API token: anyone who can reach it could change"
            f" reviews and store articles. Set ${TOKEN_ENV_VAR} (or --token) to a long random secret,"
            " e.g. `export RASD_API_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')`,"
            " or serve on 127.0.0.1"
        )
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise UsageError(f"the API token is too short ({len(token)} characters; at least {MIN_TOKEN_CHARS})")
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
    app = create_app(location, tile_url=args.tiles, max_body_bytes=args.max_body, token=token,
                     rate_limit=args.rate_limit, write_rate_limit=args.write_rate_limit)
    if not loopback:
        print(f"rasd: note: serving on {args.host}: anyone who can reach it can read events; storing and"
              " reviewing need the API token. Put it behind HTTPS (a reverse proxy) so the token is not"
              " sent in clear", file=sys.stderr)
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
            "Examples:\n  rasd serve --db events.db --port 8000\n"
            "  then open http://127.0.0.1:8000/ ; curl http://127.0.0.1:8000/api/events\n"
            "  RASD_API_TOKEN=... rasd serve --db postgresql://rasd@db/rasd --host 0.0.0.0\n"
            "  (then: curl -H 'Authorization: Bearer ...' -X POST .../api/events/ID/review ...)"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--db", metavar="FILE",
        help="event database: an SQLite file, or a postgresql://USER@HOST/DB URL (needs the postgres"
        " extra) (default: $RASD_DB, else rasd.db in the working directory)",
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
        "--token", metavar="SECRET",
        help=f"API token that storing and reviewing require (default: ${TOKEN_ENV_VAR}; prefer the variable,"
        " a command line is visible to other users); required with a --host other than loopback",
    )
    serve.add_argument(
        "--rate-limit", type=int, default=600, metavar="N",
        help="API requests a minute one client may send (default 600; 0: no limit)",
    )
    serve.add_argument(
        "--write-rate-limit", type=int, default=60, metavar="N",
        help="of which POST requests (extraction, reviews) (default 60; 0: no limit)",
    )
    serve.add_argument(
        "--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"),
        help="server log level (default warning)",
    )
    serve.set_defaults(run=run_serve)
