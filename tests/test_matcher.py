"""Names are found with their proclitics and the article, never inside other words."""

from __future__ import annotations

import pytest

from rasd.kb.matcher import NameMatcher
from rasd.text.normalize import normalize


def _matcher() -> NameMatcher[str]:
    matcher: NameMatcher[str] = NameMatcher()
    for name, value in [("الجيش", "army"), ("الجيش السوري", "saa"), ("حلب", "aleppo"), ("الباب", "bab")]:
        matcher.add(name, value)
    matcher.build()
    return matcher


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("قصف الجيش السوري مدينة حلب", ["saa", "aleppo"]),
        ("وقال مصدر في الجيش", ["army"]),
        ("أرسل تعزيزات للجيش السوري", ["saa"]),
        ("وبالجيش وفي حلب", ["army", "aleppo"]),
        ("غارات على مدينة الباب", ["bab"]),
        ("وصلت التعزيزات إلى حلبة السباق", []),
        ("فتح الجيشان الحدود", []),
        ("طرق باب المنزل", []),
    ],
)
def test_matcher_handles_clitics_and_boundaries(sentence: str, expected: list[str]) -> None:
    text = normalize(sentence).text
    assert [hit.value for hit in _matcher().find(text)] == expected


def test_matcher_prefers_longest_name() -> None:
    text = normalize("انسحب الجيش السوري").text
    hits = _matcher().find(text)
    assert len(hits) == 1 and text[hits[0].start:hits[0].end] == "الجيش السوري"


def test_matcher_accepts_allowed_suffixes_only() -> None:
    matcher: NameMatcher[str] = NameMatcher(suffixes=("", "\u0627"))
    matcher.add("هجوم", "attack")
    matcher.build()
    assert [h.value for h in matcher.find(normalize("شن هجوماً واسعاً").text)] == ["attack"]
    assert matcher.find(normalize("هجومية").text) == []
