"""Invariants on arbitrary input: extraction never raises, evidence always points at the text."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd import api

# Arabic letters, marks, digits, punctuation and a few whole words the lexicons know, so that
# random text reaches the later stages instead of stopping at "no trigger".
_WORDS = ["قصف", " مقتل ", " قوات النظام ", " في ", " مدينة ", " حلب ", " أمس ", " اليوم ", "، ", ". ",
          " بين قتيل وجريح ", " 3 ", " ثلاثة ", " لـ ", " قرب ", " داعش ", " اشتباكات ", "\n", "(", ")"]
_TEXT = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=40
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))))
def test_extract_never_raises_and_evidence_is_exact(text: str, published: date | None) -> None:
    for event in api.extract(text, published, "fuzz"):
        for item in event.evidence:
            assert text[item.start:item.end] == item.text


# Arbitrary Unicode (every plane and category hypothesis draws, controls and unassigned code
# points included), alone and spliced between words the lexicons know.
_ANY = st.text(max_size=200)
_SPLICED = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(min_size=1, max_size=12)), max_size=60).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_ANY, _SPLICED))
def test_extract_never_raises_on_arbitrary_unicode(text: str) -> None:
    events = api.extract(text, date(2018, 8, 9), "any")
    for event in events:
        assert event.article_id == "any"
        for item in event.evidence:
            assert 0 <= item.start <= item.end <= len(text)
            assert text[item.start:item.end] == item.text
        event.to_json_dict()  # every record serialises
