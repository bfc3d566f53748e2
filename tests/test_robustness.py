"""Dirty input (issue 7): a folder of bad and good files, and Arabic written with Persian and
Urdu letter forms, diacritics and tatweel. The articles are our own."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from rasd import api
from rasd.cli import main

STRIKE = (
    "قصفت طائرات حربية تابعة لقوات النظام بلدة كفرنبل في ريف إدلب الجنوبي يوم الثلاثاء، "
    "ما أدى إلى مقتل ثلاثة مدنيين وإصابة آخرين."
)
CLASH = (
    "قُتل أربعة عناصر من قوات سوريا الديمقراطية في هجوم شنه تنظيم الدولة الإسلامية على نقطة "
    "عسكرية قرب بلدة هجين شرقي دير الزور أمس."
)
IED = "انفجرت عبوة ناسفة بسيارة مدنية في مدينة الباب بريف حلب الشمالي صباح اليوم، ما أسفر عن مقتل طفلين."


def test_extract_folder_reports_each_bad_input_and_emits_the_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "noise.txt").write_bytes(random.Random(11).randbytes(2048))
    (folder / "archive-1256.txt").write_bytes(STRIKE.encode("cp1256"))
    (folder / "feed.jsonl").write_text(
        json.dumps({"id": "clash", "text": CLASH, "published": "2018-08-09"}, ensure_ascii=False) + "\n"
        + '{"id": "broken", "text": "انفجرت عبوة\n'
        + json.dumps({"id": "ied", "text": IED, "published": "2018-08-09"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    status = main(["extract", str(folder), "--published", "2018-08-09"])
    captured = capsys.readouterr()
    assert status == 1
    errors = captured.err.splitlines()
    assert any(line.startswith(f"rasd: {folder / 'empty.txt'}") and "empty text" in line for line in errors)
    assert any(line.startswith(f"rasd: {folder / 'noise.txt'}") and ("undecodable" in line or "binary" in line) for line in errors)
    assert any(line.startswith(f"rasd: {folder / 'feed.jsonl'}:2:") and "broken JSON line" in line for line in errors)
    assert not any("archive-1256" in line for line in errors)
    events = [json.loads(line) for line in captured.out.splitlines()]
    by_article = {e["article_id"]: e for e in events}
    assert set(by_article) == {"archive-1256", "clash", "ied"}
    assert by_article["archive-1256"]["location"] == "Kafranbel"  # the cp1256 article was read
    assert by_article["archive-1256"]["fatalities"] == 3


# --------------------------------------------------------------------------- letter forms

_PERSIAN_URDU = {"ي": "ی", "ى": "ی", "ك": "ک", "ه": "ہ"}
_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
_NON_JOINING = set("اأإآدذرزوؤة ")


def variant(text: str, seed: int, *, forms: bool = True, marks: bool = True, tatweel: bool = True,
            taa_goal: bool = False) -> str:
    """`text` with Persian/Urdu letter forms, diacritics and tatweel sprinkled anywhere."""
    rng = random.Random(seed)
    out: list[str] = []
    for index, ch in enumerate(text):
        if forms and ch in _PERSIAN_URDU and rng.random() < 0.7:
            ch = _PERSIAN_URDU[ch]
        if taa_goal and ch == "ة":
            ch = "ۃ"
        out.append(ch)
        if "\u0621" <= ch <= "\u064a" or ch in "یکہۃ":
            if marks and rng.random() < 0.3:
                out.append(rng.choice(_MARKS))
            following = text[index + 1] if index + 1 < len(text) else " "
            if tatweel and rng.random() < 0.2 and "\u0621" <= following <= "\u064a" and ch not in _NON_JOINING:
                out.append("\u0640")
    return "".join(out)


def _facts(text: str) -> list[tuple]:
    return [
        (e.event_type, e.sub_event_type, e.location, e.fatalities, e.actor1, e.actor2)
        for e in api.extract(text, date(2018, 8, 9), "v")
    ]


@pytest.mark.parametrize("text", [STRIKE, CLASH, IED], ids=["strike", "clash", "ied"])
@pytest.mark.parametrize("seed", range(4))
def test_persian_urdu_forms_diacritics_and_tatweel_do_not_break_matching(text: str, seed: int) -> None:
    plain = _facts(text)
    assert plain
    written = variant(text, seed)
    assert written != text
    assert _facts(written) == plain
    for event in api.extract(written, date(2018, 8, 9), "v"):
        for item in event.evidence:  # evidence points into the text as written
            assert written[item.start:item.end] == item.text


@pytest.mark.parametrize("text", [STRIKE, CLASH, IED], ids=["strike", "clash", "ied"])
def test_mixed_arabic_and_latin_text(text: str) -> None:
    mixed = f"BREAKING (Reuters/AFP) - {text} Photo: AFP 2018. #Syria #سوريا https://example.org/a?b=1"
    assert _facts(mixed) == _facts(text)


def test_urdu_teh_marbuta_goal() -> None:
    assert _facts(variant(STRIKE, 0, taa_goal=True)) == _facts(STRIKE)
