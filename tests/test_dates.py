"""The date-expression stage: realistic Arabic news sentences, resolved against publication."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import time
import tokenize
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.stages.dates import DateMention, find_dates
from rasd.text.normalize import Normalized, normalize

FRI = date(2019, 3, 15)  # a Friday
THU = date(2019, 3, 14)
MON = date(2019, 3, 18)
JAN = date(2019, 1, 10)
AUG = date(2019, 8, 5)  # a Monday


def dates_in(text: str, published: date | None) -> tuple[Normalized, list[DateMention]]:
    norm = normalize(text)
    return norm, find_dates(norm.text, published)


def only(text: str, published: date | None) -> tuple[str, DateMention]:
    """The single mention in `text` and the original words behind it."""
    norm, found = dates_in(text, published)
    assert len(found) == 1, [(norm.original_text(m.start, m.end), m) for m in found]
    m = found[0]
    return norm.original_text(m.start, m.end), m


def check(text: str, published: date | None, words: str, value: date | None, precision: int,
          kind: str) -> DateMention:
    got_words, m = only(text, published)
    assert got_words == words
    assert (m.value, m.precision, m.kind) == (value, precision, kind)
    return m


# --------------------------------------------------------------------- relative days, weekdays

@pytest.mark.parametrize(
    "text, published, words, value",
    [
        ("قُتل ثلاثة مدنيين فجر اليوم الجمعة بقصف مدفعي لقوات النظام على بلدة كفرنبل.",
         FRI, "فجر اليوم الجمعة", FRI),
        ("وقال المرصد إن طائرات حربية شنت أمس الأربعاء غارات على مدينة خان شيخون.",
         THU, "أمس الأربعاء", date(2019, 3, 13)),
        ("وفي مساء أمس، انفجرت عبوة ناسفة بسيارة عسكرية في حي الدبلان بمدينة حمص.",
         FRI, "مساء أمس", THU),
        ("اندلعت اشتباكات عنيفة ليلة أمس بين قوات سوريا الديمقراطية وعناصر التنظيم.",
         FRI, "ليلة أمس", THU),
        ("وأعلنت الشرطة بالأمس اعتقال خمسة مطلوبين.", FRI, "الأمس", THU),
        ("سقطت قذائف على حي جرمانا أول أمس.", FRI, "أول أمس", date(2019, 3, 13)),
        ("سقطت قذائف على حي جرمانا أمس الأول.", FRI, "أمس الأول", date(2019, 3, 13)),
        ("وتظاهر العشرات صباح اليوم أمام مبنى المحافظة.", FRI, "صباح اليوم", FRI),
        ("قصفت المدفعية أطراف البلدة اليوم صباحاً.", FRI, "اليوم صباحاً", FRI),
        ("وكان مسلحون قد هاجموا الحاجز يوم أمس.", FRI, "يوم أمس", THU),
        # the article went out a day after it was written: the weekday decides
        ("قتل شخصان اليوم الخميس بانفجار لغم.", FRI, "اليوم الخميس", THU),
        ("قبل يومين قتل راع بانفجار لغم في البادية.", FRI, "قبل يومين", date(2019, 3, 13)),
        ("قتل راع قبل ثلاثة أيام بانفجار لغم.", FRI, "قبل ثلاثة أيام", date(2019, 3, 12)),
        ("قتل راع قبل 4 أيام بانفجار لغم.", FRI, "قبل 4 أيام", date(2019, 3, 11)),
        ("ما زال مصير المخطوفين منذ يومين مجهولاً.", FRI, "منذ يومين", date(2019, 3, 13)),
    ],
)
def test_relative(text: str, published: date, words: str, value: date) -> None:
    check(text, published, words, value, 1, "relative")


@pytest.mark.parametrize(
    "text, published, words, value",
    [
        ("أطلق مسلحون مجهولون النار على دورية للشرطة يوم الأربعاء الماضي في درعا البلد.",
         FRI, "يوم الأربعاء الماضي", date(2019, 3, 13)),
        # Thursday, published on a Monday: the Thursday before
        ("قتل عنصران من الجيش في هجوم على حاجز عسكري الخميس.", MON, "الخميس", THU),
        # published on the weekday itself: that day
        ("تظاهر مئات المحتجين الجمعة في ساحة التحرير.", FRI, "الجمعة", FRI),
        ("تظاهر مئات المحتجين الخميس في ساحة التحرير.", THU, "الخميس", THU),
        # "الماضي" on the weekday itself: a week earlier
        ("قتل مدني برصاص قناص الخميس الماضي.", THU, "الخميس الماضي", date(2019, 3, 7)),
        ("استهدفت غارة جوية سوق المدينة مساء الثلاثاء.", FRI, "مساء الثلاثاء", date(2019, 3, 12)),
        # a night named by two weekdays is the day it ends on (as the development gold codes it)
        ("شنت الطائرات غارات ليل الأربعاء - الخميس على البلدة.", FRI, "ليل الأربعاء - الخميس",
         date(2019, 3, 14)),
        ("وقتل ثلاثة أشخاص والسبت في هجوم.", FRI, "السبت", date(2019, 3, 9)),
    ],
)
def test_weekday(text: str, published: date, words: str, value: date) -> None:
    check(text, published, words, value, 1, "weekday")


# -------------------------------------------------------------------------- weeks and months

@pytest.mark.parametrize(
    "text, published, words, value",
    [
        # ACLED weeks run Saturday-Friday: last week is 2-8 March, coded to its Tuesday
        ("شهدت المدينة الأسبوع الماضي احتجاجات على غلاء الأسعار.", FRI, "الأسبوع الماضي",
         date(2019, 3, 5)),
        ("وكانت المدينة قد شهدت خلال الأسبوع الماضي احتجاجات.", FRI, "الأسبوع الماضي",
         date(2019, 3, 5)),
        ("اعتقلت القوات الأمنية مطلع الأسبوع الجاري عشرة أشخاص.", FRI, "مطلع الأسبوع الجاري",
         date(2019, 3, 10)),
        ("قتل جندي قبل أسبوع بانفجار لغم.", FRI, "قبل أسبوع", date(2019, 3, 8)),
    ],
)
def test_week_spans(text: str, published: date, words: str, value: date) -> None:
    check(text, published, words, value, 2, "span")


@pytest.mark.parametrize(
    "text, published, words, value",
    [
        ("شهدت المدينة الشهر الماضي موجة اغتيالات.", FRI, "الشهر الماضي", date(2019, 2, 15)),
        # in January, last month is December of the year before
        ("شهدت المدينة الشهر الماضي موجة اغتيالات.", JAN, "الشهر الماضي", date(2018, 12, 15)),
        ("وقعت الاشتباكات منتصف تموز في ريف درعا.", FRI, "منتصف تموز", date(2018, 7, 15)),
        ("وقعت الاشتباكات أواخر شهر تموز الفائت.", AUG, "أواخر شهر تموز الفائت",
         date(2019, 7, 15)),
        ("هُجّر الأهالي أواخر ومنتصف شهر تموز الفائت من قراهم.", AUG,
         "أواخر ومنتصف شهر تموز الفائت", date(2019, 7, 15)),
        ("وقعت الاشتباكات تموز الماضي.", AUG, "تموز الماضي", date(2019, 7, 15)),
        # one month series each: Levant, Egypt/Gulf, Maghreb
        ("بدأت الحملة مطلع شباط.", FRI, "مطلع شباط", date(2019, 2, 15)),
        ("بدأت الحملة أواخر فبراير.", FRI, "أواخر فبراير", date(2019, 2, 15)),
        ("بدأت الحملة منتصف فيفري.", FRI, "منتصف فيفري", date(2019, 2, 15)),
        ("اعتقل الناشط في أيار وأفرج عنه لاحقاً.", FRI, "أيار", date(2018, 5, 15)),
        ("اعتقل الناشط في مارس.", FRI, "مارس", date(2019, 3, 15)),
        ("اعتقل الناشط في جوان.", FRI, "جوان", date(2018, 6, 15)),
        ("تظاهر الآلاف في تموز/يوليو الماضي.", FRI, "تموز/يوليو الماضي", date(2018, 7, 15)),
        ("سيطر التنظيم على المدينة في شهر حزيران 2017.", FRI, "شهر حزيران 2017",
         date(2017, 6, 15)),
        ("خطف الصحفي قبل شهرين.", FRI, "قبل شهرين", date(2019, 1, 15)),
        ("نفذت الطائرات غارات مطلع الشهر الحالي.", FRI, "مطلع الشهر الحالي", date(2019, 3, 15)),
    ],
)
def test_months(text: str, published: date, words: str, value: date) -> None:
    check(text, published, words, value, 3, "month")


# --------------------------------------------------------------------------- absolute dates

@pytest.mark.parametrize(
    "text, words, value",
    [
        ("قتل 12 مدنياً في 15 آب 2018 بقصف على أريحا.", "15 آب 2018", date(2018, 8, 15)),
        ("قتل 12 مدنياً في ١٥ آب ٢٠١٨ بقصف على أريحا.", "١٥ آب ٢٠١٨", date(2018, 8, 15)),
        ("جرت الانتخابات في 3 يناير 2019.", "3 يناير 2019", date(2019, 1, 3)),
        ("انطلقت المسيرة يوم 20 جانفي 2019 من وسط العاصمة.", "20 جانفي 2019", date(2019, 1, 20)),
        ("اعتقلت الشرطة 7 متظاهرين في 7 أفريل 2018.", "7 أفريل 2018", date(2018, 4, 7)),
        ("وقعت المواجهات في 1 جويلية 2018.", "1 جويلية 2018", date(2018, 7, 1)),
        ("وقعت المواجهات في 9 أوت 2018.", "9 أوت 2018", date(2018, 8, 9)),
        ("أضرب العمال يوم 12 ماي 2018.", "12 ماي 2018", date(2018, 5, 12)),
        ("وقع الانفجار في 30 تشرين الثاني 2018.", "30 تشرين الثاني 2018", date(2018, 11, 30)),
        ("وقع الانفجار في 5 كانون الأول 2018.", "5 كانون الأول 2018", date(2018, 12, 5)),
        ("وقع الانفجار في 15 تموز/يوليو 2018.", "15 تموز/يوليو 2018", date(2018, 7, 15)),
        ("وقع الانفجار في 15 يوليو (تموز) 2018.", "15 يوليو (تموز) 2018", date(2018, 7, 15)),
        ("وقع الهجوم في الخامس عشر من آب 2018.", "الخامس عشر من آب 2018", date(2018, 8, 15)),
        ("وقع الهجوم في الحادي والعشرين من أيار 2018.", "الحادي والعشرين من أيار 2018",
         date(2018, 5, 21)),
        ("وقع الهجوم في الـ15 من شهر آب 2018.", "الـ15 من شهر آب 2018", date(2018, 8, 15)),
        ("وقع الهجوم يوم الخميس الموافق 16 آب 2018.", "يوم الخميس الموافق 16 آب 2018",
         date(2018, 8, 16)),
        ("صدر البيان بتاريخ 2018/8/15 عن قيادة العمليات.", "2018/8/15", date(2018, 8, 15)),
        ("صدر البيان بتاريخ 15-08-2018.", "15-08-2018", date(2018, 8, 15)),
        ("صدر البيان بتاريخ 15/8/2018.", "15/8/2018", date(2018, 8, 15)),
        ("قتل 3 أشخاص في 15 آب من العام الماضي.", "15 آب من العام الماضي", date(2018, 8, 15)),
        # a day number typed glued to the preposition before it
        ("قتل القيادي في12 آب 2018 بغارة جوية.", "12 آب 2018", date(2018, 8, 12)),
    ],
)
def test_absolute(text: str, words: str, value: date) -> None:
    check(text, FRI, words, value, 1, "absolute")


@pytest.mark.parametrize(
    "text, published, words, value",
    [
        # no year: the latest such date, allowing a week after publication
        ("اعتقل الناشط في 10 آذار.", FRI, "10 آذار", date(2019, 3, 10)),
        ("يبدأ الإضراب في 20 آذار.", FRI, "20 آذار", date(2019, 3, 20)),
        ("اعتقل الناشط في 30 آذار.", FRI, "30 آذار", date(2018, 3, 30)),
        ("قتل الشاب في 3 جويلية الماضي.", FRI, "3 جويلية الماضي", date(2018, 7, 3)),
        ("نفذ الهجوم في 12 الجاري.", FRI, "12 الجاري", date(2019, 3, 12)),
        ("نفذ الهجوم في الثاني من الشهر الجاري.", FRI, "الثاني من الشهر الجاري",
         date(2019, 3, 2)),
        ("نفذ الهجوم في 28 من الشهر الماضي.", JAN, "28 من الشهر الماضي", date(2018, 12, 28)),
    ],
)
def test_absolute_without_year(text: str, published: date, words: str, value: date) -> None:
    check(text, published, words, value, 1, "absolute")


def test_impossible_date_is_dropped() -> None:
    assert dates_in("صدر في 31/2/2018 قرار.", FRI)[1] == []


# ------------------------------------------------------------------- no publication date

@pytest.mark.parametrize(
    "text, value, precision, kind",
    [
        ("قتل ثلاثة مدنيين اليوم بقصف.", None, 1, "relative"),
        ("قتل ثلاثة مدنيين أمس بقصف.", None, 1, "relative"),
        ("قتل ثلاثة مدنيين قبل يومين بقصف.", None, 1, "relative"),
        ("قتل ثلاثة مدنيين الخميس بقصف.", None, 1, "weekday"),
        ("قتل ثلاثة مدنيين الأسبوع الماضي بقصف.", None, 2, "span"),
        ("قتل ثلاثة مدنيين الشهر الماضي بقصف.", None, 3, "month"),
        ("قتل ثلاثة مدنيين منتصف تموز بقصف.", None, 3, "month"),
        ("قتل ثلاثة مدنيين في 15 آب بقصف.", None, 1, "absolute"),
        ("قتل ثلاثة مدنيين في 15 آب 2018 بقصف.", date(2018, 8, 15), 1, "absolute"),
        ("قتل ثلاثة مدنيين في تموز 2018 بقصف.", date(2018, 7, 15), 3, "month"),
    ],
)
def test_without_publication_date(text: str, value: date | None, precision: int, kind: str) -> None:
    _, m = only(text, None)
    assert (m.value, m.precision, m.kind) == (value, precision, kind)


# ----------------------------------------------------------- background spans, context offsets

@pytest.mark.parametrize(
    "text, words",
    [
        ("قتل أكثر من ألفي مقاتل خلال خمس سنوات من المعارك.", "خلال خمس سنوات"),
        ("وثق المرصد مقتل 892 مدنياً منذ عام 2014 في المحافظة.", "منذ عام 2014"),
        ("ارتفعت حصيلة القتلى منذ بداية العام إلى 300.", "منذ بداية العام"),
        ("تشهد البلاد نزاعاً منذ 2011.", "منذ 2011"),
        ("سيطر التنظيم على المدينة عام 2014.", "عام 2014"),
        ("قتل 40 مدنياً خلال السنوات الخمس الماضية.", "خلال السنوات الخمس الماضية"),
        ("تشهد البلاد احتجاجات منذ آذار 2011.", "منذ آذار 2011"),
        ("لم يعرف مصيره حتى اليوم.", "حتى اليوم"),
        ("ارتفع عدد الضحايا العام الماضي.", "العام الماضي"),
        ("يحاصر الجيش البلدة منذ أشهر.", "منذ أشهر"),
        ("قتل 12 شخصاً قبل عامين في المنطقة.", "قبل عامين"),
    ],
)
def test_background(text: str, words: str) -> None:
    got, m = only(text, FRI)
    assert got == words
    assert (m.kind, m.value, m.offset_days) == ("background", None, None)


@pytest.mark.parametrize(
    "text, words, offset",
    [
        ("قتل جندي بعد يوم من مقتل ثلاثة مدنيين في البلدة.", "بعد يوم من", -1),
        ("قتل جندي بعد يومين من مقتل ثلاثة مدنيين.", "بعد يومين من", -2),
        ("قتل جندي بعد ثلاثة أيام على مقتل ثلاثة مدنيين.", "بعد ثلاثة أيام على", -3),
        ("اعتقل الناشط قبل يوم من المظاهرة.", "قبل يوم من", 1),
        ("تظاهر المئات غداة الهجوم.", "غداة", -1),
        ("وفي اليوم التالي، قتل عنصر من الشرطة.", "في اليوم التالي", -1),
        ("انفجرت سيارة مفخخة عشية الانتخابات.", "عشية", 1),
        ("وفي اليوم نفسه قتل مدني برصاص قناص.", "في اليوم نفسه", 0),
    ],
)
def test_context_offset(text: str, words: str, offset: int) -> None:
    got, m = only(text, FRI)
    assert got == words
    assert (m.kind, m.value, m.precision, m.offset_days) == ("context_offset", None, 1, offset)


# ------------------------------------------------------------------ things that are not dates

@pytest.mark.parametrize(
    "text",
    [
        "لامس عدد القتلى المئة في المدينة.",  # lam + "amss": touched, not yesterday
        "في اليوم الأول من المعارك سقط عشرات القتلى.",  # "the first day"
        "قتل أب لخمسة أطفال بقصف على البلدة.",  # "father", not August
        "مارس الجيش ضغوطاً على الأهالي.",  # "practised", not March
        "قتل 15 شخصاً وأصيب 2014 آخرون.",  # bare numbers
        "الخامس من المصابين في حالة حرجة.",  # bare ordinal
        "قال الأمين العام للأمم المتحدة إن الوضع خطير.",
    ],
)
def test_not_dates(text: str) -> None:
    norm, found = dates_in(text, FRI)
    assert found == [], [norm.original_text(m.start, m.end) for m in found]


# ---------------------------------------------------------------------------- whole articles

ARTICLE = (
    "ريف إدلب - قُتل ثلاثة مدنيين فجرَ اليوم الجمعة بقصف مدفعي لقوات النظام على بلدة كفرنبل، "
    "بعد يوم من غارات جوية استهدفت مدينة معرة النعمان.\n"
    "وكانت البلدة قد تعرضت أمس الخميس لقصف مماثل، فيما شهدت المنطقة الأسبوع الماضي "
    "اشتباكات عنيفة.\n"
    "ووثق المرصد مقتل 892 مدنياً منذ عام 2014، بينهم 40 منذ بداية العام، "
    "وكانت المدينة قد تعرضت لهجوم كيماوي في ٤ نيسان ٢٠١٧."
)


def test_article() -> None:
    norm, found = dates_in(ARTICLE, FRI)
    got = [(norm.original_text(m.start, m.end), m.kind, m.value, m.offset_days) for m in found]
    assert got == [
        ("فجرَ اليوم الجمعة", "relative", FRI, None),
        ("بعد يوم من", "context_offset", None, -1),
        ("أمس الخميس", "relative", THU, None),
        ("الأسبوع الماضي", "span", date(2019, 3, 5), None),
        ("منذ عام 2014", "background", None, None),
        ("منذ بداية العام", "background", None, None),
        ("٤ نيسان ٢٠١٧", "absolute", date(2017, 4, 4), None),
    ]


def test_longest_wins() -> None:
    norm, found = dates_in("قتل 3 أشخاص الخميس 15 آب 2019 في المدينة.", FRI)
    assert [(norm.original_text(m.start, m.end), m.kind) for m in found] == [
        ("الخميس 15 آب 2019", "absolute")
    ]


def test_empty_and_plain_text() -> None:
    assert find_dates("", FRI) == []
    assert find_dates(normalize("قصفت الطائرات البلدة.").text, None) == []


WORDS = [
    "اليوم", "أمس", "الخميس", "الماضي", "في", "آب", "15", "2018", "منذ", "عام", "قبل", "يومين",
    "من", "بعد", "يوم", "الأسبوع", "الشهر", "مطلع", "تموز", "/", "،", "فجر", "و", "بالأمس",
    "خلال", "خمس", "سنوات", "الأول", "قتل", "مدنيين", "-", "2018/8/15", "الـ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25), st.sampled_from([None, FRI, JAN]))
def test_mentions_are_sorted_disjoint_and_in_bounds(words: list[str], published: date | None) -> None:
    text = normalize(" ".join(words)).text
    found = find_dates(text, published)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert m.precision in (1, 2, 3)
        assert (m.offset_days is not None) == (m.kind == "context_offset")
        if m.kind in ("background", "context_offset"):
            assert m.value is None
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start


# -------------------------------------------------------------------- speed and code hygiene

def test_speed_on_a_long_article() -> None:
    sentence = ("قال المرصد السوري إن قوات النظام قصفت مناطق في ريف إدلب الجنوبي وسط اشتباكات "
                "عنيفة مع الفصائل، ما أسفر عن مقتل عدد من المدنيين بينهم أطفال ونساء في البلدة. ")
    text = normalize((sentence * 30)[:3000]).text
    find_dates(text, FRI)  # build the lexicon
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        find_dates(text, FRI)
    assert (time.perf_counter() - start) / runs < 0.005  # ~0.3 ms here; generous for slow CI


def test_import_is_light() -> None:
    code = ("import sys, rasd.stages.dates; "
            "assert 'dateparser' not in sys.modules and 'yaml' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_arabic_letters_in_code() -> None:
    """Arabic words live in dates.yml; the module may show them only in comments and docstrings."""
    path = Path(__file__).resolve().parent.parent / "src" / "rasd" / "stages" / "dates.py"
    source = path.read_text(encoding="utf-8")
    doc_lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)):
            doc = node.body[0]
            doc_lines.update(range(doc.lineno, (doc.end_lineno or doc.lineno) + 1))
    arabic = re.compile("[\u0600-\u06ff]")
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT and tok.start[0] not in doc_lines:
            assert not arabic.search(tok.string), (tok.start, tok.string)
