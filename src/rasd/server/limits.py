"""Limits enforced before any endpoint runs: the size of request bodies, and request rates.

An article is a few kilobytes; a body of many megabytes is a mistake or an attack, and
FastAPI would otherwise read it whole into memory. The cap is checked against the declared
Content-Length and, for bodies sent without one (chunked), against the bytes as they arrive.
A client sending requests faster than a person or a reasonable script would is told to wait
(429), so that one runaway loop cannot starve the others or fill the store.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised inside `receive` when a chunked body passes the cap.

    An HTTPException, because FastAPI turns any other error met while reading a body into
    a vague 400; this one reaches the app's JSON error handler as a 413.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large (the limit is {limit} bytes)")


async def _reject(send: Send, limit: int) -> None:
    body = json.dumps({
        "error": f"request body too large (the limit is {limit} bytes)",
        "status": 413,
    }).encode()
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """ASGI middleware answering 413 (as JSON) to any request body over `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = True
            if too_big:
                await _reject(send, self.max_bytes)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _reject(send, self.max_bytes)


# --------------------------------------------------------------------------- rate limits

DEFAULT_RATE_LIMIT = 600  # API requests a minute from one client
DEFAULT_WRITE_RATE_LIMIT = 60  # of which writes (POST): extraction is costly, reviews are few
_WINDOW_S = 60.0
_MAX_CLIENTS = 10_000  # forget the oldest clients beyond this many (memory stays bounded)


class _Window:
    """Requests of one client in a sliding minute (timestamps, oldest first)."""

    __slots__ = ("all", "writes")

    def __init__(self) -> None:
        self.all: list[float] = []
        self.writes: list[float] = []


def _prune(times: list[float], now: float) -> None:
    cut = 0
    while cut < len(times) and times[cut] <= now - _WINDOW_S:
        cut += 1
    del times[:cut]


class RateLimit:
    """ASGI middleware answering 429 (JSON, with Retry-After) when one client sends more than
    `per_minute` API requests, or more than `writes_per_minute` POSTs, in any sixty seconds.

    Only `/api/` paths count (the page's static files do not). A client is its IP address as
    the connection shows it; behind a reverse proxy, rate-limit there instead (forwarded-for
    headers are not trusted here, anyone can send them). 0 turns a limit off.
    """

    def __init__(self, app: ASGIApp, per_minute: int = DEFAULT_RATE_LIMIT,
                 writes_per_minute: int = DEFAULT_WRITE_RATE_LIMIT, clock: Callable[[], float] | None = None) -> None:
        import time

        self.app = app
        self.per_minute = per_minute
        self.writes_per_minute = writes_per_minute
        self.clock = clock or time.monotonic
        self.clients: dict[str, _Window] = {}

    def _check(self, client: str, write: bool) -> float | None:
        """None when the request may go on, else the seconds until it may be retried."""
        now = self.clock()
        window = self.clients.pop(client, None) or _Window()
        self.clients[client] = window  # most recently seen last
        if len(self.clients) > _MAX_CLIENTS:
            del self.clients[next(iter(self.clients))]
        _prune(window.all, now)
        _prune(window.writes, now)
        for times, limit in ((window.all, self.per_minute), (window.writes, self.writes_per_minute if write else 0)):
            if limit and len(times) >= limit:
                return max(1.0, times[0] + _WINDOW_S - now)
        window.all.append(now)
        if write:
            window.writes.append(now)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/api/"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        retry = self._check(str(client), scope.get("method") not in ("GET", "HEAD", "OPTIONS"))
        if retry is None:
            await self.app(scope, receive, send)
            return
        seconds = int(retry + 0.999)
        body = json.dumps({"error": f"too many requests: try again in {seconds} s", "status": 429}).encode()
        await send({
            "type": "http.response.start",
            "status": 429,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                        (b"retry-after", str(seconds).encode())],
        })
        await send({"type": "http.response.body", "body": body})
