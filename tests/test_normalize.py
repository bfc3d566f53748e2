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


# Arabic as it is really written: Persian and Urdu letter forms, every diacritic, tatweel,
# joiners and bidi marks, Arabic-Indic and Persian digits, mixed with Latin and punctuation.
_DIRTY_ARABIC = st.sampled_from(
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى ") + list("یکہۃےۀگچپژٱ")
    + [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u0640", "\u200c", "\u200d", "\u200f", "\u061c"]
    + [chr(0x0660 + i) for i in range(10)] + [chr(0x06F0 + i) for i in range(10)]
    + list("،؛؟.!\"«»()-\n\t ") + list("aZ9")
)


def _check_offsets(raw: str) -> None:
    norm = normalize(raw)
    assert norm.original == raw
    assert len(norm.origin) == len(norm.text) + 1
    assert norm.origin[-1] == len(raw)
    assert all(0 <= o <= len(raw) for o in norm.origin)
    assert list(norm.origin) == sorted(norm.origin)
    for index, char in enumerate(norm.text):
        if char in " \n":
            continue
        assert fold(raw[norm.origin[index]]) == char, (index, char, raw[norm.origin[index]])
    # Every folded span maps back to original characters that fold to it (marks and joiners aside).
    for start in range(len(norm.text)):
        for end in range(start + 1, min(len(norm.text), start + 8) + 1):
            a, b = norm.span(start, end)
            assert 0 <= a <= b <= len(raw)
            assert fold(raw[a:b]).replace("\n", " ").strip() == fold(norm.text[start:end]).replace("\n", " ").strip() \
                or " " in norm.text[start:end] or "\n" in norm.text[start:end]


@given(st.text(alphabet=_DIRTY_ARABIC, max_size=60))
def test_offset_map_is_exact_on_dirty_arabic(raw: str) -> None:
    _check_offsets(raw)


@given(st.text(max_size=40))
def test_offset_map_is_exact_on_any_unicode(raw: str) -> None:
    _check_offsets(raw)
