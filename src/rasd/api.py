"""The library façade: everything the CLI, the HTTP API and batch runs call."""

from __future__ import annotations

from datetime import date

from rasd.model import Article, Event


def extract_article(article: Article) -> list[Event]:
    """Events reported in one article, in order of first mention."""
    from rasd.pipeline import run_pipeline

    return run_pipeline(article)


def extract(
    text: str,
    published: date | None = None,
    article_id: str = "article",
    source: str | None = None,
) -> list[Event]:
    """Events reported in `text`; relative dates resolve against `published`."""
    return extract_article(Article(id=article_id, text=text, published=published, source=source))
