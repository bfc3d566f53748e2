"""Alert delivery: each new or updated event that matches a rule goes once to the rule's sink,
a webhook (one JSON POST per event) or a JSON Lines file (one line per event)."""

from __future__ import annotations

import json
import os
import threading
from typing import Any

from rasd.model import Event
from rasd.watch.config import AlertRule, WatchConfig
from rasd.watch.fetch import Fetcher, FetchError
from rasd.watch.state import now_iso

_file_lock = threading.Lock()


class DeliveryError(Exception):
    """An alert that could not be delivered (it is retried in the next round)."""


def alert_payload(rule: AlertRule, event: Event, change: str, config: WatchConfig) -> dict[str, Any]:
    """The JSON sent for one alert (docs/watch.md, "Alerts")."""
    return {
        "alert": rule.name,
        "change": change,  # "new": founded by an article of this run; "updated": a report joined it
        "event_id": event.event_id,
        "link": config.event_link(event.event_id),
        "sent_at": now_iso(),
        "summary": summary(event),
        "event": event.to_json_dict(),
    }


def summary(event: Event) -> str:
    """One line for humans: date, type, place, actors, fatalities."""
    place = ", ".join(p for p in (event.location, event.admin1, event.country) if p)
    actors = " vs ".join(a for a in (event.actor1, event.actor2) if a)
    parts = [str(event.event_date or "undated"), event.sub_event_type or event.event_type]
    if place:
        parts.append(place)
    if actors:
        parts.append(actors)
    parts.append(f"{event.fatalities} killed" if event.fatalities_known else "fatalities unknown")
    return " | ".join(parts)


def deliver(rule: AlertRule, payload: dict[str, Any], fetcher: Fetcher) -> None:
    """Send one alert to the rule's sink; DeliveryError when it cannot be sent."""
    body = json.dumps(payload, ensure_ascii=False)
    if rule.file:
        try:
            folder = os.path.dirname(rule.file)
            if folder:
                os.makedirs(folder, exist_ok=True)
            with _file_lock, open(rule.file, "a", encoding="utf-8") as handle:
                handle.write(body + "\n")
                handle.flush()
        except OSError as exc:
            raise DeliveryError(f"alert {rule.name!r}: cannot write {rule.file}: {exc.strerror or exc}") from None
        return
    assert rule.webhook is not None
    try:
        status = fetcher.post_json(rule.webhook, body.encode("utf-8"), rule.headers)
    except FetchError as exc:
        raise DeliveryError(f"alert {rule.name!r}: webhook {exc}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"alert {rule.name!r}: webhook {rule.webhook}: HTTP {status}")
