"""A generated corpus of Arabic conflict reports, written for rasd's tests from our own templates.

`generated_articles(n)` gives `n` articles (JSON objects in CLI.md's JSON Lines shape) made by
combining a handful of report templates with places, actors, numbers and dates. Some
combinations repeat an event in other words, so de-duplication has reports to merge; every
text is distinct, so every article is stored. Deterministic: the same `n` gives the same corpus.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

_PLACES = [
    ("كفرنبل", "ريف إدلب الجنوبي"), ("معرة النعمان", "ريف إدلب"), ("هجين", "ريف دير الزور الشرقي"),
    ("الباب", "ريف حلب الشمالي"), ("دوما", "الغوطة الشرقية"), ("جسر الشغور", "ريف إدلب الغربي"),
    ("اللطامنة", "ريف حماة الشمالي"), ("درعا البلد", "محافظة درعا"), ("منبج", "ريف حلب الشرقي"),
    ("سراقب", "ريف إدلب الشرقي"),
]
_NUMBERS = ["اثنين", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "عشرة"]
_DAYS = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة"]

_TEMPLATES = [
    "قصفت طائرات حربية تابعة لقوات النظام بلدة {place} في {region} يوم {day}، ما أدى إلى مقتل {n} مدنيين وإصابة آخرين بجروح.",
    "قُتل {n} مدنيين بينهم أطفال في غارات جوية روسية استهدفت مدينة {place} في {region} يوم {day} بحسب الدفاع المدني.",
    "اندلعت اشتباكات عنيفة بين قوات النظام وفصائل المعارضة على أطراف {place} في {region} يوم {day}، وقُتل فيها {n} عناصر.",
    "انفجرت عبوة ناسفة بسيارة مدنية في مدينة {place} في {region} صباح يوم {day}، ما أسفر عن مقتل {n} أشخاص.",
    "شنّ تنظيم الدولة الإسلامية هجوماً على مواقع لقوات سوريا الديمقراطية قرب {place} في {region} يوم {day} وقتل {n} من عناصرها.",
    "خرج مئات المتظاهرين في {place} في {region} يوم {day} للمطالبة بالإفراج عن المعتقلين، واعتقلت قوات الأمن {n} منهم.",
]


def generated_articles(count: int, seed: int = 2018) -> list[dict[str, Any]]:
    """`count` articles with ids `gen-0001`... and publication dates in August-October 2018."""
    rng = random.Random(seed)
    start = date(2018, 8, 1)
    articles = []
    for index in range(count):
        place, region = rng.choice(_PLACES)
        published = start + timedelta(days=rng.randrange(60))
        text = rng.choice(_TEMPLATES).format(
            place=place, region=region, n=rng.choice(_NUMBERS), day=_DAYS[(published.toordinal() - 1) % 7],
        )
        # A serial note keeps every text distinct (the store skips texts it already has).
        text += f"\nالمصدر: مراسلنا في {region} ({index + 1})."
        articles.append({
            "id": f"gen-{index + 1:04d}", "text": text, "published": published.isoformat(),
            "source": rng.choice(["سانا", "عنب بلدي", "المرصد السوري"]),
        })
    return articles


def write_generated_corpus(path: Path, count: int, seed: int = 2018) -> Path:
    """Write `generated_articles(count)` as JSON Lines to `path` and return it."""
    with open(path, "w", encoding="utf-8") as out:
        for record in generated_articles(count, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
