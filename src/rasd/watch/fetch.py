"""Polite HTTP fetching: a clear User-Agent, timeouts, retries with backoff, a limit on
concurrent requests per host, and conditional requests (ETag / Last-Modified).

Standard library only (urllib), so that `rasd watch` needs no HTTP client package.
"""

from __future__ import annotations

import email.message
import random
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_BYTES = 20 * 1024 * 1024


class FetchError(Exception):
    """A request that failed; `transient` ones (timeouts, 5xx, connection errors) are worth retrying later."""

    def __init__(self, url: str, reason: str, *, transient: bool, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 when the validators still hold
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def charset(self) -> str | None:
        msg = email.message.Message()
        msg["content-type"] = self.headers.get("content-type", "")
        value = msg.get_param("charset")
        return value if isinstance(value, str) else None


class Fetcher:
    """Thread-safe; one per watch run."""

    def __init__(
        self,
        user_agent: str,
        timeout: float = 20.0,
        retries: int = 2,
        backoff: float = 1.0,
        per_host: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.per_host = per_host
        self._sleep = sleep
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        # No proxies from the environment for loopback; otherwise the usual handlers.
        self._opener = urllib.request.build_opener()

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.per_host)
            return slot

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET `url`, retrying transient failures with exponential backoff; FetchError at the end."""
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                with self._host_slot(url):
                    return self._once(url, headers)
            except FetchError as exc:
                if not exc.transient or attempt >= self.retries:
                    raise
                delay = self.backoff * (2 ** attempt) * (1 + random.random() * 0.25)
                attempt += 1
                self._sleep(delay)

    def post_json(self, url: str, payload: bytes, headers: dict[str, str] | None = None) -> int:
        """POST a JSON body (retried like `get`); the response status, FetchError on failure."""
        all_headers = {"User-Agent": self.user_agent, "Content-Type": "application/json; charset=utf-8"}
        all_headers.update(headers or {})
        attempt = 0
        while True:
            try:
                with self._host_slot(url):
                    request = urllib.request.Request(url, data=payload, headers=all_headers, method="POST")
                    try:
                        with self._opener.open(request, timeout=self.timeout) as resp:
                            resp.read()
                            return int(resp.status)
                    except BaseException as exc:  # noqa: BLE001 - classified below
                        raise _classify(url, exc) from None
            except FetchError as exc:
                if not exc.transient or attempt >= self.retries:
                    raise
                delay = self.backoff * (2 ** attempt)
                attempt += 1
                self._sleep(delay)

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        request = urllib.request.Request(url, headers=headers)
        try:
            with self._opener.open(request, timeout=self.timeout) as resp:
                body = resp.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    raise FetchError(url, f"response larger than {MAX_BYTES} bytes", transient=False)
                return Response(
                    url=resp.geturl(),
                    status=int(resp.status),
                    body=body,
                    headers={k.lower(): v for k, v in resp.headers.items()},
                )
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(url=url, status=304, headers={k.lower(): v for k, v in exc.headers.items()})
            raise _classify(url, exc) from None
        except FetchError:
            raise
        except BaseException as exc:  # noqa: BLE001 - classified below
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise _classify(url, exc) from None


def _classify(url: str, exc: BaseException) -> BaseException:
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        return exc
    if isinstance(exc, urllib.error.HTTPError):
        transient = exc.code >= 500 or exc.code in (408, 425, 429)
        return FetchError(url, f"HTTP {exc.code} {exc.reason}", transient=transient, status=exc.code)
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return FetchError(url, "timed out", transient=True)
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return FetchError(url, "timed out", transient=True)
        return FetchError(url, f"cannot connect ({reason})", transient=True)
    if isinstance(exc, (ConnectionError, OSError)):
        return FetchError(url, f"connection failed ({exc})", transient=True)
    if isinstance(exc, ValueError):
        return FetchError(url, f"bad URL or response ({exc})", transient=False)
    return FetchError(url, f"{type(exc).__name__}: {exc}", transient=True)
