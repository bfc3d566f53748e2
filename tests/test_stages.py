"""Stage by stage: segmentation, background units, roles and places, each on sentences
written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from rasd.doc import Doc
from rasd.kb.lexicon import clause_breaks
from rasd.model import Article
from rasd.stages.places import choose_place
from rasd.stages.recognise import recognise
from rasd.stages.roles import assign_roles
from rasd.stages.units import event_units
from rasd.text.segment import clauses, sentences

PUBLISHED = date(2020, 2, 10)


def _doc(text: str) -> Doc:
    return recognise(Doc.from_article(Article(id="t", text=text, published=PUBLISHED)))


def test_segment_splits_sentences_on_arabic_and_latin_marks() -> None:
    text = "قصفت الطائرات البلدة. هل انسحبت القوات؟ نعم\nوعاد الهدوء"
    assert [text[s.start:s.end] for s in sentences(text)] == [
        "قصفت الطائرات البلدة.", "هل انسحبت القوات؟", "نعم", "وعاد الهدوء"]


def test_segment_clauses_start_at_connectives() -> None:
    doc = _doc("اشتبكت الفصائل مع قوات النظام في سراقب، في حين قصفت الطائرات الروسية بلدة سرمين.")
    sentence = sentences(doc.text)[0]
    parts = clauses(doc.text, sentence, clause_breaks())
    assert len(parts) == 2
    assert doc.text[parts[1].start:parts[1].end].startswith("في حين")


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("قتل مدنيان بقصف مدفعي على بلدة سراقب اليوم.", 1),
        ("يشار إلى أن قوات النظام قصفت سراقب مرات عدة.", 0),
        ("ويقصف الطيران الروسي بين الحين والآخر ريف إدلب.", 0),
        ("ونفى الجيش التركي أن يكون قد قصف قرى في عفرين.", 0),
        ("وتوعد تنظيم داعش بشن هجمات جديدة في الرقة.", 0),
        ("قصف الطيران سراقب اليوم، وكان قد قصفها أكثر من مرة منذ بداية العام.", 1),
    ],
)
def test_units_drop_background_clauses(text: str, units: int) -> None:
    doc = _doc(text)
    found = [u for u in event_units(doc) if any(t.start >= u.start and t.end <= u.end for t in doc.triggers)]
    assert len(found) == units


def test_units_context_offset_opens_a_new_unit() -> None:
    doc = _doc("ويأتي الهجوم بعد يوم من مقتل عنصرين من قسد في هجين.")
    units = event_units(doc)
    assert [u.context_offset for u in units] == [-1]


@pytest.mark.parametrize(
    ("text", "actor1", "actor2"),
    [
        ("شنت قوات سوريا الديمقراطية هجوماً على مواقع تنظيم داعش", "sy-sdf", "xx-islamic-state"),
        ("قتل ثلاثة مدنيين بنيران قوات النظام", "sy-military", "xx-civilians"),
        ("اشتباكات بين هيئة تحرير الشام وقوات النظام", "sy-hts", "sy-military"),
        ("استهدفت طائرات التحالف الدولي مواقع لتنظيم داعش", "xx-coalition", "xx-islamic-state"),
        ("سقط عناصر من الحشد الشعبي بين قتيل وجريح بهجوم لتنظيم داعش", "xx-islamic-state", "iq-pmf"),
    ],
)
def test_roles_agent_and_target_from_arabic_constructions(text: str, actor1: str, actor2: str) -> None:
    doc = _doc(text)
    roles = assign_roles(doc, 0, len(doc.text))
    assert roles.actor1 is not None and roles.actor2 is not None
    assert (roles.actor1.entry.actor.id, roles.actor2.entry.actor.id) == (actor1, actor2)


def test_roles_skip_control_areas_and_affiliations() -> None:
    doc = _doc("قصفت الطائرات الروسية بلدة في مناطق سيطرة هيئة تحرير الشام التابعة لـ المعارضة")
    roles = assign_roles(doc, 0, len(doc.text))
    assert roles.actor1 is not None and roles.actor1.entry.actor.id == "ru-military"
    assert roles.actor2 is None


@pytest.mark.parametrize(
    ("text", "location", "precision"),
    [
        ("قصف على مدينة هجين", "Hajin", 1),
        ("قصف قرب مدينة هجين", "Hajin", 2),
        ("قصف على بلدة السوسة قرب مدينة البوكمال", "Al Susah", 1),
        ("اشتباكات غربي البوكمال", "Abu Kamal", 2),
        ("قصف على ريف دير الزور", "Deir ez Zor", 3),
    ],
)
def test_places_choose_the_event_place_and_precision(text: str, location: str, precision: int) -> None:
    doc = _doc(text)
    choice = choose_place(doc, 0, len(doc.text))
    assert choice is not None
    assert (choice.place.name, choice.precision) == (location, precision)


def test_places_unlocated_village_takes_its_reference_coordinates() -> None:
    doc = _doc("هجوم قرب بلدة الحمدان غربي البوكمال")
    choice = choose_place(doc, 0, len(doc.text))
    assert choice is not None and choice.place.name == "Al Hamdan"
    assert choice.latitude is not None and choice.precision == 2


def test_places_common_words_are_not_places() -> None:
    doc = _doc("لعب الحزب دوراً كبيراً في المدينة يوم الخميس")
    assert doc.places == []
