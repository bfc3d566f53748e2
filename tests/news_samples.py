"""Sample news for the de-duplication, API and browser tests, written for this project.

Three outlets report on one day in north-west Syria (June 2019). The first article reports
three events (a Russian air strike on Khan Shaykhun, a clash at Murak the evening before,
regime shelling of Jisr al-Shughur); the second outlet reports the air strike with another
toll; the third reports the Murak clash. Five reports, three events.

`report()` builds an extractor-shaped record by hand, its evidence found in the text, so
that store, API and browser tests do not depend on the extractor's current behaviour; the
end-to-end test in test_dedupe.py runs the real extractor on the same texts.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from rasd.model import Article, Event, Evidence

MAIN_TEXT = (
    "قُتل أربعة مدنيين وأصيب سبعة آخرون، صباح اليوم الأربعاء، بغارات جوية شنتها الطائرات الروسية "
    "على سوق شعبي في مدينة خان شيخون جنوب إدلب.\n"
    "وقال ناشطون إن فصائل المعارضة اشتبكت، مساء أمس، مع قوات النظام على أطراف بلدة مورك شمال حماة، "
    "ما أسفر عن مقتل ثلاثة عناصر من قوات النظام.\n"
    "وفي سياق متصل، قصفت قوات النظام بالمدفعية الثقيلة مدينة جسر الشغور غربي إدلب اليوم، "
    "ما أدى إلى مقتل مدني.\n"
    "وتشهد المنطقة منذ نهاية نيسان الماضي حملة عسكرية واسعة راح ضحيتها مئات المدنيين، "
    "بحسب فرق الدفاع المدني.\n"
)
STRIKE_TEXT = (
    "شنت الطائرات الروسية، اليوم الأربعاء، غارات جوية على سوق شعبي وسط مدينة خان شيخون في ريف إدلب "
    "الجنوبي، ما أسفر عن مقتل ستة مدنيين بينهم طفلان وإصابة عشرة آخرين.\n"
    "وقالت مصادر محلية إن الغارات أدت إلى دمار واسع في المحال التجارية.\n"
)
CLASH_TEXT = (
    "اندلعت اشتباكات عنيفة، يوم الثلاثاء، بين فصائل المعارضة وقوات النظام في محيط بلدة مورك بريف "
    "حماة الشمالي، ما أسفر عن مقتل عنصرين من قوات النظام.\n"
    "وأكد ناشطون أن المعارك توقفت بعد منتصف الليل دون أي تغيير في خريطة السيطرة.\n"
)

MAIN = Article(id="orient-0612", text=MAIN_TEXT, published=date(2019, 6, 12), source="Orient News",
               title="غارات روسية على خان شيخون")
STRIKE = Article(id="enab-0612", text=STRIKE_TEXT, published=date(2019, 6, 12), source="Enab Baladi")
CLASH = Article(id="smart-0613", text=CLASH_TEXT, published=date(2019, 6, 13), source="SMART")
ARTICLES = (MAIN, STRIKE, CLASH)

RUSSIA = "Military Forces of Russia (2000-)"
REGIME = "Military Forces of Syria (2000-2024)"
REBELS = "Opposition Rebels (Syria)"
CIVILIANS = "Civilians (Syria)"
KHAN_SHAYKHUN = {"location": "Khan Shaykhun", "latitude": 35.44208, "longitude": 36.65095, "admin1": "Idleb",
                 "admin2": "Maarrat an Nu'man"}
MURAK = {"location": "Murak", "latitude": 35.37615, "longitude": 36.6897, "admin1": "Hama", "admin2": "Hama",
         "geo_precision": 2}
JISR = {"location": "Jisr ash Shughur", "latitude": 35.81418, "longitude": 36.31983, "admin1": "Idleb",
        "admin2": "Jisr ash Shughur"}
STRIKE_TYPE = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}
CLASH_TYPE = {"event_type": "Battles", "sub_event_type": "Armed clash"}
SHELLING_TYPE = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack"}


def evidence(text: str, spans: dict[str, str]) -> list[Evidence]:
    """Evidence items for the first occurrence of each quoted piece of `text`."""
    items = []
    for field, quote in spans.items():
        start = text.index(quote)
        items.append(Evidence(field=field, start=start, end=start + len(quote), text=quote))
    return sorted(items, key=lambda e: e.start)


def report(article: Article, index: int, spans: dict[str, str], **fields: Any) -> Event:
    """An extractor-shaped report of `article` (id `<article>-<index>`), evidence from `spans`."""
    base: dict[str, Any] = {
        "event_id": f"{article.id}-{index}",
        "article_id": article.id,
        "event_date": article.published,
        "year": article.published.year if article.published else None,
        "disorder_type": "Political violence",
        "country": "Syria",
        "iso": 760,
        "region": "Middle East",
        "geo_precision": 1,
        "source": article.source,
        "sources": [article.source or article.id],
        "confidence": 0.9,
        "evidence": evidence(article.text, spans),
    }
    base.update(fields)
    if "notes" not in fields:
        base["notes"] = f"{base['sub_event_type']} in {base.get('location')} on {base['event_date']}."
    return Event(**base)


def main_reports() -> list[Event]:
    strike = report(
        MAIN, 0, {"fatalities": "أربعة", "actor2": "مدنيين", "injured": "سبعة", "event_date": "صباح اليوم الأربعاء",
                  "trigger": "غارات جوية", "actor1": "الطائرات الروسية", "location": "خان شيخون"},
        **STRIKE_TYPE, **KHAN_SHAYKHUN, actor1=RUSSIA, inter1=8, actor2=CIVILIANS, inter2=7, interaction=78,
        civilian_targeting=True, fatalities=4, injured=7, location_ar="خان شيخون",
    )
    clash = report(
        MAIN, 1, {"actor1": "فصائل المعارضة", "trigger": "اشتبكت", "event_date": "مساء أمس", "actor2": "قوات النظام",
                  "location": "مورك", "fatalities": "ثلاثة"},
        **CLASH_TYPE, **MURAK, event_date=date(2019, 6, 11), actor1=REBELS, inter1=2, actor2=REGIME, inter2=1,
        interaction=12, fatalities=3, location_ar="مورك",
    )
    shelling = report(
        MAIN, 2, {"trigger": "قصفت", "actor1": "قوات النظام بالمدفعية", "location": "جسر الشغور",
                  "fatalities": "مقتل مدني"},
        **SHELLING_TYPE, **JISR, actor1=REGIME, inter1=1, actor2=CIVILIANS, inter2=7, interaction=17,
        civilian_targeting=True, fatalities=1, location_ar="جسر الشغور",
    )
    return [strike, clash, shelling]


def strike_reports() -> list[Event]:
    return [report(
        STRIKE, 0, {"actor1": "الطائرات الروسية", "event_date": "اليوم الأربعاء", "trigger": "غارات جوية",
                    "location": "خان شيخون", "fatalities": "ستة", "actor2": "مدنيين", "injured": "عشرة"},
        **STRIKE_TYPE, **KHAN_SHAYKHUN, actor1=RUSSIA, inter1=8, actor2=CIVILIANS, inter2=7, interaction=78,
        civilian_targeting=True, fatalities=6, injured=10, location_ar="خان شيخون",
    )]


def clash_reports() -> list[Event]:
    return [report(
        CLASH, 0, {"trigger": "اشتباكات", "event_date": "يوم الثلاثاء", "actor1": "فصائل المعارضة",
                   "actor2": "قوات النظام", "location": "مورك", "fatalities": "عنصرين"},
        **CLASH_TYPE, **MURAK, event_date=date(2019, 6, 11), actor1=REBELS, inter1=2, actor2=REGIME, inter2=1,
        interaction=12, fatalities=2, location_ar="مورك",
    )]


def sample_reports() -> list[tuple[Article, list[Event]]]:
    """The three articles with their hand-coded reports, in publication order."""
    return [(MAIN, main_reports()), (STRIKE, strike_reports()), (CLASH, clash_reports())]


def write_jsonl(path: Path, articles: tuple[Article, ...] = ARTICLES) -> Path:
    """The articles as an `ingest` input file (JSON Lines with id, text, published, source)."""
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"id": a.id, "text": a.text, "published": a.published.isoformat() if a.published else None,
                                 "source": a.source, "title": a.title}, ensure_ascii=False) + "\n")
    return path
