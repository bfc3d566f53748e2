"""The normaliser folds Arabic for matching and maps every folded character back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.text.normalize import fold, normalize


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أمس", "امس"),
        ("إدلب", "ادلب"),
        ("آذار", "اذار"),
        ("مستشفى", "مستشفي"),
        ("مدينة", "مدينه"),
        ("هجوماً", "هجوما"),
        ("شنّ", "شن"),
        ("قُتِلَ", "قتل"),
        ("الـــدولة", "الدوله"),
        ("٢٣ مدنياً", "23 مدنيا"),
        ("۱۵ آب", "15 اب"),
        ("تنظيم \"الدولة\"", "تنظيم الدوله"),
        ("«داعش»", "داعش"),
        ("دیر الزور", "دير الزور"),
        ("لـ قوات", "لقوات"),
        ("بـ هجوم", "بهجوم"),
        ("ISIS  Fighters", "isis fighters"),
    ],
)
def test_normalize_folds_variants(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_normalize_maps_spans_to_original_words() -> None:
    raw = "شنّ تنظيم \"الدولة\"، اليوم الخميس، هجوماً واسعاً"
    norm = normalize(raw)
    start = norm.text.index("الدوله")
    assert norm.original_text(start, start + len("الدوله")) == "الدولة"
    start = norm.text.index("هجوما")
    assert norm.original_text(start, start + len("هجوما")) == "هجوماً"


def test_normalize_keeps_line_breaks_as_sentence_ends() -> None:
    assert normalize("قصف\n\n  مدفعي").text == "قصف\nمدفعي"


@given(st.text(alphabet=st.sampled_from(list("ابتةىأإآ ـًٌٍَُِّْ\"«»٠١٢٣ \nلبكو.،") + ["x", "Z"]), max_size=80))
def test_normalize_offset_map_is_exact(raw: str) -> None:
    norm = normalize(raw)
    assert len(norm.origin) == len(norm.text) + 1
    assert list(norm.origin) == sorted(norm.origin)
    for index, char in enumerate(norm.text):
        source = raw[norm.origin[index]]
        assert char == " " or char == "\n" or fold(source) == char or fold(source) == ""


@given(st.text(max_size=60))
def test_normalize_is_idempotent_and_never_raises(raw: str) -> None:
    once = normalize(raw).text
    assert normalize(once).text == once
