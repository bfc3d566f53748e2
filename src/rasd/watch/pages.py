"""An article page to text: decode it, then keep the article body (trafilatura when installed,
else rasd's own `html_to_text`, which keeps menus and footers too)."""

from __future__ import annotations

import logging
import re
from datetime import date

from rasd.io import DecodeError, decode_bytes, html_to_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
MIN_TEXT_CHARS = 40

# trafilatura logs a warning for every page it finds no article in; rasd reports those itself
logging.getLogger("trafilatura").setLevel(logging.ERROR)


class PageError(Exception):
    """A page with no article text (broken markup, an empty or binary body)."""


def decode_page(body: bytes, charset: str | None) -> str:
    if not body.strip():
        raise PageError("empty page")
    for declared in (charset, *(m.decode("ascii") for m in _META_CHARSET.findall(body[:4096]))):
        if not declared:
            continue
        try:
            return body.decode(declared)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return decode_bytes(body)
    except DecodeError as exc:
        raise PageError(str(exc)) from None


def page_article(body: bytes, charset: str | None, url: str) -> tuple[str | None, str, date | None]:
    """(title, body text, date) of an article page; PageError when it has no usable text."""
    markup = decode_page(body, charset)
    title: str | None = None
    text: str | None = None
    published: date | None = None
    try:
        import trafilatura
    except ImportError:  # the `watch` extra is not installed: fall back to the plain reader
        trafilatura = None
    if trafilatura is not None:
        try:
            text = trafilatura.extract(markup, url=url, include_comments=False, include_tables=False,
                                       favor_precision=True)
            meta = trafilatura.extract_metadata(markup, default_url=url)
            if meta is not None:
                title = meta.title or None
                if meta.date:
                    try:
                        published = date.fromisoformat(str(meta.date)[:10])
                    except ValueError:
                        published = None
        except Exception:  # noqa: BLE001 - a page the extractor chokes on: use the plain reader
            text = None
    plain_title, plain_text = html_to_text(markup)
    if not text:
        text = plain_text
    title = title or plain_title
    text = _without_headline((text or "").strip(), title, plain_title)
    if len(text) < MIN_TEXT_CHARS:
        raise PageError(f"no article text on the page ({len(text)} characters)")
    return title, text, published


_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\-:]\s+")


def _without_headline(text: str, *titles: str | None) -> str:
    """The body without a first line that only repeats the headline (kept as the title):
    a headline read as a sentence of the article would be reported as an event twice."""
    first, _, rest = text.partition("\n")
    head = " ".join(first.split())
    if not rest.strip() or not head:
        return text
    for title in titles:
        if not title:
            continue
        options = {" ".join(title.split()), *(" ".join(p.split()) for p in _TITLE_SEPARATORS.split(title))}
        if head in options:
            return rest.strip()
    return text
