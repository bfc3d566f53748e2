"""Reading a source's listing into entries: RSS/Atom feeds (feedparser), sitemaps (including
Google News sitemaps and sitemap indexes) and Telegram Desktop channel exports (`result.json`).

An `Entry` is one article the source lists: its URL (the key by which it is remembered),
title, date, and - when the listing carries the text itself (Telegram messages, feeds with
`pages = false`) - its text.
"""

from __future__ import annotations

import calendar
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from rasd.io import decode_bytes, html_to_text


class ListingError(Exception):
    """A listing that cannot be parsed (the message says why)."""


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    published: date | None = None
    text: str | None = None


def _date_from_struct(value: Any) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc).date()
    except (TypeError, ValueError, OverflowError):
        return None


def _date_from_text(value: str | None) -> date | None:
    if not value:
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_feed(body: bytes, base_url: str, use_content: bool) -> list[Entry]:
    """Entries of an RSS or Atom feed, in feed order."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise ListingError(f"not an RSS or Atom feed ({reason})" if reason else "not an RSS or Atom feed")
    if not parsed.entries and not parsed.get("feed"):
        raise ListingError("not an RSS or Atom feed (no channel, no entries)")
    entries = []
    for item in parsed.entries:
        link = item.get("link") or item.get("id")
        if not link:
            continue
        published = _date_from_struct(item.get("published_parsed") or item.get("updated_parsed"))
        text = None
        if use_content:
            markup = ""
            if item.get("content"):
                markup = "\n".join(c.get("value", "") for c in item["content"])
            markup = markup or item.get("summary", "")
            if markup:
                text = html_to_text(f"<div>{markup}</div>")[1] or None
        entries.append(Entry(url=link, title=(item.get("title") or None), published=published, text=text))
    return entries


_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_sitemap(body: bytes) -> tuple[list[Entry], list[str]]:
    """(article entries, child sitemap URLs) of a sitemap or sitemap index, newest first."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ListingError(f"not a sitemap (XML error: {exc})") from None
    tag = root.tag.rsplit("}", 1)[-1]
    if tag == "sitemapindex":
        children = [el.text.strip() for el in root.iter(f"{_SM}loc") if el.text and el.text.strip()]
        if not children:
            children = [el.text.strip() for el in root.iter("loc") if el.text and el.text.strip()]
        return [], children
    if tag != "urlset":
        raise ListingError(f"not a sitemap (root element <{tag}>, expected <urlset> or <sitemapindex>)")
    entries = []
    for url in root:
        if url.tag.rsplit("}", 1)[-1] != "url":
            continue
        loc = url.findtext(f"{_SM}loc") or url.findtext("loc")
        if not loc or not loc.strip():
            continue
        title = url.findtext(f"{_NEWS}news/{_NEWS}title")
        published = _date_from_text(
            url.findtext(f"{_NEWS}news/{_NEWS}publication_date") or url.findtext(f"{_SM}lastmod")
            or url.findtext("lastmod")
        )
        entries.append(Entry(url=loc.strip(), title=title.strip() if title else None, published=published))
    entries.sort(key=lambda e: e.published or date.min, reverse=True)
    return entries, []


def telegram_text(value: Any) -> str:
    """A message's text: a string, or a list of strings and entities ({"type": ..., "text": ...})."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "".join(parts)
    return ""


def parse_telegram_export(body: bytes, location: str, channel: str | None, min_chars: int = 40) -> list[Entry]:
    """Messages with text of a Telegram Desktop export (`result.json` of one chat or channel).

    A message's URL is its public link when `channel` (the @username) is known, else the
    export's location with `#message=ID`. Short messages (stickers, one-line captions) are left out.
    """
    try:
        data = json.loads(decode_bytes(body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ListingError(f"not a Telegram export (JSON error: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        if isinstance(data, dict) and isinstance(data.get("chats"), dict):
            raise ListingError("a full-account Telegram export; export the one channel (result.json with 'messages')")
        raise ListingError("not a Telegram export (no 'messages' list)")
    entries = []
    for message in data["messages"]:
        if not isinstance(message, dict) or message.get("type", "message") != "message":
            continue
        text = telegram_text(message.get("text")).strip()
        if len(text) < min_chars or "id" not in message:
            continue
        mid = message["id"]
        url = f"https://t.me/{channel}/{mid}" if channel else f"{location}#message={mid}"
        published = _date_from_text(message.get("date"))
        title = text.splitlines()[0][:120] if text else None
        entries.append(Entry(url=url, title=title, published=published, text=text))
    return entries
