"""The `rasd watch` configuration: a TOML file of sources and alert rules (docs/watch.md).

Every problem is a `ConfigError` (a UsageError, so the CLI exits with status 2) whose message
names the file, the table (`source[2]`, `alert "deir-ez-zor"`) and the key, e.g.

    watch.toml: source[2] "enab": kind "rs": expected one of rss, atom, sitemap, telegram-export
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.errors import UsageError

SOURCE_KINDS = ("rss", "atom", "sitemap", "telegram-export")
SOURCE_SCALES = ("local", "national", "regional", "international")
DEFAULT_LINK = "http://127.0.0.1:8000/#event={id}"
DEFAULT_USER_AGENT = "rasd-watch/0.1 (+https://github.com/rasd; conflict-news monitor)"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}

_TOP_KEYS = {
    "db", "state", "link", "user_agent", "timeout", "retries", "backoff", "per_host",
    "workers", "interval", "max_attempts", "max_items", "source", "alert",
}
_SOURCE_KEYS = {
    "name", "url", "path", "kind", "language", "scale", "source_scale", "interval", "pages",
    "channel", "max_items", "enabled",
}
_ALERT_KEYS = {
    "name", "country", "admin1", "bbox", "types", "actors", "min_fatalities", "file", "webhook",
    "headers",
}


class ConfigError(UsageError):
    """A config file that cannot be read or does not validate (names the file and the key)."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    url: str  # http(s) URL, or for telegram-export also a local path / file:// URL
    language: str = "ar"
    scale: str | None = None
    interval: float = 600.0
    pages: bool = True  # feeds: fetch each item's page (else use the feed's own content)
    channel: str | None = None  # telegram-export: public @username, for t.me links
    max_items: int = 200
    enabled: bool = True

    @property
    def is_local_file(self) -> bool:
        return not self.url.startswith(("http://", "https://"))


@dataclass(frozen=True)
class AlertRule:
    name: str
    country: str | None = None
    admin1: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    min_fatalities: int | None = None
    file: str | None = None
    webhook: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def matches(self, event: Any) -> bool:
        """Whether an Event passes every filter this rule sets."""
        if self.country and (event.country or "").casefold() != self.country.casefold():
            return False
        if self.admin1 and (event.admin1 or "").casefold() != self.admin1.casefold():
            return False
        if self.bbox is not None:
            if event.latitude is None or event.longitude is None:
                return False
            west, south, east, north = self.bbox
            if not (south <= event.latitude <= north and west <= event.longitude <= east):
                return False
        if self.types:
            kinds = {(event.event_type or "").casefold(), (event.sub_event_type or "").casefold()}
            if not any(t.casefold() in kinds for t in self.types):
                return False
        if self.actors:
            names = [event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2]
            names = [n.casefold() for n in names if n]
            if not any(a.casefold() in n for a in self.actors for n in names):
                return False
        if self.min_fatalities is not None and (event.fatalities or 0) < self.min_fatalities:
            return False
        return True


@dataclass(frozen=True)
class WatchConfig:
    path: str
    db: str
    state: str
    sources: tuple[SourceConfig, ...]
    alerts: tuple[AlertRule, ...] = ()
    link: str = DEFAULT_LINK
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    per_host: int = 2
    workers: int = 4
    max_attempts: int = 3

    def event_link(self, event_id: str) -> str:
        from urllib.parse import quote

        quoted = quote(event_id, safe="")
        if "{id}" in self.link:
            return self.link.replace("{id}", quoted)
        return self.link.rstrip("/") + "/#event=" + quoted


def parse_duration(value: Any, where: str) -> float:
    """Seconds from a number or a string like `90`, `30s`, `10m`, `1h`, `500ms`."""
    if isinstance(value, bool):
        raise ConfigError(f"{where}: expected a duration (seconds, or like \"10m\"), got {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    else:
        raise ConfigError(f"{where}: expected a duration (seconds, or like \"10m\"), got {value!r}")
    if seconds < 0:
        raise ConfigError(f"{where}: must not be negative, got {value!r}")
    return seconds


class _Reader:
    """Typed access to one TOML table, every error naming file, table and key."""

    def __init__(self, file: str, where: str, table: Any, allowed: set[str]) -> None:
        self.file = file
        self.where = where
        if not isinstance(table, dict):
            raise ConfigError(f"{file}: {where}: expected a table, got {type(table).__name__}")
        self.table = table
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise ConfigError(
                f"{file}: {where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})"
            )

    def fail(self, key: str, message: str) -> ConfigError:
        prefix = f"{self.file}: {self.where}: " if self.where else f"{self.file}: "
        return ConfigError(f"{prefix}{key}: {message}")

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        if key not in self.table:
            if required:
                raise self.fail(key, "missing (required)")
            return default
        value = self.table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {value!r}")
        return value.strip()

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.text(key, default)
        if value is not None and value not in choices:
            raise self.fail(key, f"{value!r}: expected one of {', '.join(choices)}")
        return value

    def number(self, key: str, default: float, *, minimum: float = 0.0, integer: bool = False) -> Any:
        if key not in self.table:
            return default
        value = self.table[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            raise self.fail(key, f"expected {'an integer' if integer else 'a number'}, got {value!r}")
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum:g}, got {value!r}")
        return value

    def duration(self, key: str, default: float) -> float:
        if key not in self.table:
            return default
        return parse_duration(self.table[key], f"{self.file}: {self.where}: {key}" if self.where else f"{self.file}: {key}")

    def boolean(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        if key not in self.table:
            return ()
        value = self.table[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, f"expected a string or a list of strings, got {value!r}")
        return tuple(v.strip() for v in value)


def _resolve(base: Path, value: str) -> str:
    """A path relative to the config file's folder (URLs and absolute paths unchanged)."""
    if "://" in value or os.path.isabs(value):
        return value
    return str(base / value)


def _source(file: str, base: Path, index: int, table: Any, defaults: dict[str, Any]) -> SourceConfig:
    where = f"source[{index}]"
    if isinstance(table, dict) and isinstance(table.get("name"), str):
        where += f" {table['name']!r}"
    r = _Reader(file, where, table, _SOURCE_KEYS)
    name = r.text("name", required=True)
    kind = r.choice("kind", SOURCE_KINDS)
    if kind is None:
        raise r.fail("kind", f"missing (required; one of {', '.join(SOURCE_KINDS)})")
    url = r.text("url") or r.text("path")
    if url is None:
        raise r.fail("url", "missing (required)")
    if url.startswith("file://"):
        url = url[len("file://"):]
    if not url.startswith(("http://", "https://")):
        if kind != "telegram-export":
            raise r.fail("url", f"{url!r}: expected an http:// or https:// URL")
        url = _resolve(base, url)
    if "scale" in table and "source_scale" in table:
        raise r.fail("scale", "give either scale or source_scale, not both")
    scale = r.choice("scale", SOURCE_SCALES) or r.choice("source_scale", SOURCE_SCALES)
    channel = r.text("channel")
    return SourceConfig(
        name=name or "",
        kind=kind,
        url=url,
        language=r.text("language", "ar") or "ar",
        scale=scale,
        interval=r.duration("interval", defaults["interval"]),
        pages=r.boolean("pages", True),
        channel=channel.lstrip("@") if channel else None,
        max_items=r.number("max_items", defaults["max_items"], minimum=1, integer=True),
        enabled=r.boolean("enabled", True),
    )


def _alert(file: str, base: Path, index: int, table: Any) -> AlertRule:
    where = f"alert[{index}]"
    if isinstance(table, dict) and isinstance(table.get("name"), str):
        where += f" {table['name']!r}"
    r = _Reader(file, where, table, _ALERT_KEYS)
    name = r.text("name", required=True) or ""
    bbox = None
    if "bbox" in table:
        value = table["bbox"]
        if (not isinstance(value, list) or len(value) != 4
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
            raise r.fail("bbox", f"expected [west, south, east, north] in degrees, got {value!r}")
        west, south, east, north = (float(v) for v in value)
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise r.fail("bbox", f"expected [west, south, east, north] with west <= east and south <= north, got {value!r}")
        bbox = (west, south, east, north)
    file_sink = r.text("file")
    webhook = r.text("webhook")
    if (file_sink is None) == (webhook is None):
        raise r.fail("file", "give exactly one sink: file = \"alerts.jsonl\" or webhook = \"http://...\"")
    if webhook is not None and not webhook.startswith(("http://", "https://")):
        raise r.fail("webhook", f"{webhook!r}: expected an http:// or https:// URL")
    headers = table.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise r.fail("headers", f"expected a table of strings, got {headers!r}")
    min_fatalities = r.number("min_fatalities", -1, minimum=0, integer=True) if "min_fatalities" in table else None
    return AlertRule(
        name=name,
        country=r.text("country"),
        admin1=r.text("admin1"),
        bbox=bbox,
        types=r.strings("types"),
        actors=r.strings("actors"),
        min_fatalities=min_fatalities,
        file=_resolve(base, file_sink) if file_sink else None,
        webhook=webhook,
        headers=dict(headers),
    )


def default_state_path(db: str) -> str:
    """The seen-state file: next to the store (`rasd.db` -> `rasd.watch.sqlite`)."""
    if "://" in db:
        return "rasd.watch.sqlite"
    path = Path(db)
    return str(path.with_name(path.stem + ".watch.sqlite"))


def load_config(path: str | os.PathLike[str], db: str | None = None) -> WatchConfig:
    """Read and validate a watch config; ConfigError naming the file and the key otherwise."""
    file = str(path)
    try:
        with open(file, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such config file") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not valid TOML (not UTF-8)") from None
    base = Path(file).resolve().parent
    r = _Reader(file, "", data, _TOP_KEYS)
    store_location = db or r.text("db") or os.environ.get("RASD_DB") or "rasd.db"
    if "://" not in store_location:
        store_location = _resolve(base, store_location)
    state = r.text("state")
    defaults = {
        "interval": r.duration("interval", 600.0),
        "max_items": r.number("max_items", 200, minimum=1, integer=True),
    }
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{file}: source: expected [[source]] tables")
    if not raw_sources:
        raise ConfigError(f"{file}: source: no [[source]] declared (at least one is needed)")
    sources = tuple(_source(file, base, i + 1, t, defaults) for i, t in enumerate(raw_sources))
    names = [s.name for s in sources]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ConfigError(f"{file}: source[{i + 1}] {name!r}: name: used by another source (names must be unique)")
    raw_alerts = data.get("alert", [])
    if not isinstance(raw_alerts, list):
        raise ConfigError(f"{file}: alert: expected [[alert]] tables")
    alerts = tuple(_alert(file, base, i + 1, t) for i, t in enumerate(raw_alerts))
    alert_names = [a.name for a in alerts]
    for i, name in enumerate(alert_names):
        if name in alert_names[:i]:
            raise ConfigError(f"{file}: alert[{i + 1}] {name!r}: name: used by another alert (names must be unique)")
    link = r.text("link", DEFAULT_LINK) or DEFAULT_LINK
    return WatchConfig(
        path=file,
        db=store_location,
        state=_resolve(base, state) if state else default_state_path(store_location),
        sources=sources,
        alerts=alerts,
        link=link,
        user_agent=r.text("user_agent", DEFAULT_USER_AGENT) or DEFAULT_USER_AGENT,
        timeout=r.duration("timeout", 20.0) or 20.0,
        retries=r.number("retries", 2, integer=True),
        backoff=r.duration("backoff", 1.0),
        per_host=r.number("per_host", 2, minimum=1, integer=True),
        workers=r.number("workers", 4, minimum=1, integer=True),
        max_attempts=r.number("max_attempts", 3, minimum=1, integer=True),
    )
