"""The internal working document: one article, its folded text and what the stages found.

Offsets in every mention are into the folded text (`Doc.norm.text`); `Doc.evidence()` maps
them back to the original article text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rasd.model import Article, Evidence
from rasd.text.normalize import Normalized, normalize

if TYPE_CHECKING:
    from rasd.stages.dates import DateMention
    from rasd.stages.quantities import CasualtyCount


@dataclass(frozen=True, slots=True)
class Mention:
    """Something found in the folded text: a trigger, actor, place, mode or cue."""

    kind: str
    start: int
    end: int
    value: Any


@dataclass(slots=True)
class Doc:
    article: Article
    norm: Normalized
    triggers: list[Mention] = field(default_factory=list)
    modes: list[Mention] = field(default_factory=list)
    actors: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    cues: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    casualties: list[CasualtyCount] = field(default_factory=list)
    country: str | None = None  # the article's main country (ISO alpha-2), from its places

    @classmethod
    def from_article(cls, article: Article) -> Doc:
        return cls(article=article, norm=normalize(article.text))

    @property
    def text(self) -> str:
        return self.norm.text

    def evidence(self, field_name: str, start: int, end: int) -> Evidence:
        """Evidence for a folded span, pointing into the original text."""
        a, b = self.norm.span(start, end)
        return Evidence(field=field_name, start=a, end=b, text=self.article.text[a:b])


def within(items: list[Any], start: int, end: int) -> list[Any]:
    """The mentions (anything with .start/.end) lying inside [start, end)."""
    return [m for m in items if m.start >= start and m.end <= end]
