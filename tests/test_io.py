"""Tests of rasd.io: every input kind and every kind of bad input."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import random
import sys
from datetime import date
from pathlib import Path

import pytest

from rasd.io import (
    InputProblem,
    _iter_jsonl_lines,
    decode_bytes,
    DecodeError,
    html_to_text,
    iter_articles,
    looks_like_arabic,
)
import rasd.io as rasd_io
from rasd.model import Article

TEXT = "قصفت طائرات حربية مدينة معرة النعمان يوم الخميس."
TEXT2 = "قتل خمسة مدنيين في انفجار عبوة ناسفة في دير الزور."


def read_all(*paths: Path | str, published: date | None = None) -> list[Article | InputProblem]:
    return list(iter_articles([str(p) for p in paths], published))


def only_article(items: list[Article | InputProblem]) -> Article:
    assert len(items) == 1, items
    assert isinstance(items[0], Article), items[0]
    return items[0]


def only_problem(items: list[Article | InputProblem]) -> InputProblem:
    assert len(items) == 1, items
    assert isinstance(items[0], InputProblem), items[0]
    return items[0]


# --------------------------------------------------------------------------- .txt and decoding


def test_txt_file_is_one_article_with_stem_id_and_default_date(tmp_path: Path) -> None:
    path = tmp_path / "raqqa-2018.txt"
    path.write_text(TEXT, encoding="utf-8")
    article = only_article(read_all(path, published=date(2018, 8, 9)))
    assert article.id == "raqqa-2018"
    assert article.text == TEXT
    assert article.published == date(2018, 8, 9)


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert only_article(read_all(path)).text == TEXT


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.txt"
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    assert only_article(read_all(path)).text == TEXT


def test_cp1256_arabic_decodes(tmp_path: Path) -> None:
    path = tmp_path / "old-site.txt"
    path.write_bytes(TEXT.encode("cp1256"))
    with pytest.raises(UnicodeDecodeError):
        TEXT.encode("cp1256").decode("utf-8")
    assert only_article(read_all(path)).text == TEXT


def test_carriage_returns_are_kept_so_offsets_stay_true(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes((TEXT + "\r\n" + TEXT2).encode("utf-8"))
    assert only_article(read_all(path)).text == TEXT + "\r\n" + TEXT2


def test_empty_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    problem = only_problem(read_all(path))
    assert problem.reason == "empty text"
    assert str(problem).startswith(str(path))


def test_whitespace_only_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\t\n", encoding="utf-8")
    assert "empty text" in only_problem(read_all(path)).reason


def test_binary_with_nul_bytes_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    problem = only_problem(read_all(path))
    assert "binary" in problem.reason


def test_random_bytes_without_nul_are_a_problem(tmp_path: Path) -> None:
    rng = random.Random(1256)
    data = bytes(b for b in rng.randbytes(4000) if b)
    path = tmp_path / "noise.txt"
    path.write_bytes(data)
    problem = only_problem(read_all(path))
    assert "undecodable" in problem.reason


def test_looks_like_arabic() -> None:
    assert looks_like_arabic(TEXT)
    assert not looks_like_arabic("plain ascii")
    assert not looks_like_arabic("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e")
    assert not looks_like_arabic(TEXT + "\x01")


def test_decode_bytes_rejects_broken_utf16() -> None:
    with pytest.raises(DecodeError):
        decode_bytes(b"\xff\xfe\x00\xd8")  # lone surrogate


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    problem = only_problem(read_all(tmp_path / "nope.txt"))
    assert "no such file" in problem.reason


def test_unknown_extension_given_explicitly_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(TEXT, encoding="utf-8")
    assert only_article(read_all(path)).id == "note"


# --------------------------------------------------------------------------- HTML


HTML = f"""<!doctype html><html><head><title> {TEXT2[:10]} </title>
<style>p {{ color: red }}</style><script>var x = "<p>not text</p>";</script></head>
<body><nav>menu</nav><p>{TEXT}</p><p>{TEXT2} &amp; <b>more</b></p>
<script/><div>tail<br/>line</div></body></html>"""


def test_html_drops_markup_script_and_style(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    article = only_article(read_all(path))
    assert article.id == "page"
    assert article.title == TEXT2[:10].strip()
    assert article.text.splitlines()[:2] == [TEXT, f"{TEXT2} & more"]
    assert "menu" not in article.text  # the main text: navigation is boilerplate
    assert "color" not in article.text and "var x" not in article.text


def test_html_without_trafilatura_keeps_every_visible_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasd_io, "_trafilatura_text", lambda markup: None)
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    article = only_article(read_all(path))
    assert article.text.splitlines() == ["menu", TEXT, f"{TEXT2} & more", "tail", "line"]
    assert "color" not in article.text and "var x" not in article.text


NEWS_PAGE = f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>خبر</title></head>
<body><header><nav><a href="/">الرئيسية</a> | <a href="/s">سياسة</a> | <a href="/r">رياضة</a></nav></header>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/1">ارتفاع أسعار الذهب</a></li><li><a href="/2">نتائج المباريات</a></li></ul></aside>
<article><h1>قصف على إدلب</h1><p>{TEXT} وأفاد ناشطون محليون بأن الطائرات استهدفت الأحياء السكنية في المدينة.</p>
<p>{TEXT2} وقال الدفاع المدني إن فرقه عملت على انتشال الضحايا من تحت الأنقاض.</p></article>
<footer>جميع الحقوق محفوظة © 2018 <a href="/privacy">سياسة الخصوصية</a></footer>
<script>window.ads = "<p>إعلان</p>";</script></body></html>"""


def test_html_news_page_is_reduced_to_its_main_text(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura", reason="main-text extraction needs trafilatura (pip install 'rasd[watch]')")
    path = tmp_path / "news.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    article = only_article(read_all(path))
    assert TEXT in article.text and TEXT2 in article.text
    for boilerplate in ("الرئيسية", "الأكثر قراءة", "أسعار الذهب", "جميع الحقوق", "إعلان"):
        assert boilerplate not in article.text


def test_htm_extension_and_empty_html(tmp_path: Path) -> None:
    path = tmp_path / "blank.htm"
    path.write_text("<html><script>x()</script></html>", encoding="utf-8")
    assert "empty text" in only_problem(read_all(path)).reason


def test_html_to_text_without_title() -> None:
    assert html_to_text("<p>a</p><p>b</p>") == (None, "a\nb")


# --------------------------------------------------------------------------- JSON Lines


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def test_jsonl_keys_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        jsonl(
            {"id": "a1", "text": TEXT, "published": "2018-08-09", "title": "t", "source": "SANA", "url": "http://x"},
            {"docno": 42, "text": TEXT2, "date": "2019-01-02T10:00:00Z", "src": "Enab Baladi"},
            {"text": TEXT},
        ),
        encoding="utf-8",
    )
    a, b, c = read_all(path, published=date(2020, 1, 1))
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(c, Article)
    assert (a.id, a.published, a.title, a.source, a.url) == ("a1", date(2018, 8, 9), "t", "SANA", "http://x")
    assert (b.id, b.published, b.source) == ("42", date(2019, 1, 2), "Enab Baladi")
    assert (c.id, c.published) == ("feed:3", date(2020, 1, 1))


def test_jsonl_broken_second_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(jsonl({"id": "1", "text": TEXT}, '{"id": "2" "text": "x"}', {"id": "3", "text": TEXT2}), encoding="utf-8")
    items = read_all(path)
    assert [type(i).__name__ for i in items] == ["Article", "InputProblem", "Article"]
    problem = items[1]
    assert problem.line == 2
    assert str(problem) == f"{path}:2: broken JSON line (Expecting ',' delimiter)"


def test_input_problem_str_shape() -> None:
    assert str(InputProblem("bad.jsonl", "broken JSON line (Expecting ',' delimiter)", 2)) == (
        "bad.jsonl:2: broken JSON line (Expecting ',' delimiter)"
    )
    assert str(InputProblem("f.jsonl", "empty text", 4, "a9")) == "f.jsonl:4 (id a9): empty text"


def test_jsonl_bad_records_are_problems_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        jsonl(
            {"id": "no-text"},
            {"id": "empty", "text": "   "},
            {"id": "bad-date", "text": TEXT, "published": "09/08/2018"},
            [1, 2],
            "",
            {"id": "num", "text": 5},
            {"id": "ok", "text": TEXT},
        ),
        encoding="utf-8",
    )
    items = read_all(path)
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert [(p.line, p.id) for p in problems] == [(1, "no-text"), (2, "empty"), (3, "bad-date"), (4, None), (6, "num")]
    assert "missing text field" in problems[0].reason
    assert "empty text" in problems[1].reason
    assert "bad date '09/08/2018'" in problems[2].reason
    assert "not a JSON object" in problems[3].reason
    assert [i.id for i in items if isinstance(i, Article)] == ["ok"]


def test_jsonl_with_bom_and_cp1256_line(tmp_path: Path) -> None:
    path = tmp_path / "enc.jsonl"
    first = json.dumps({"id": "u", "text": TEXT}, ensure_ascii=False).encode("utf-8")
    second = json.dumps({"id": "w", "text": TEXT2}, ensure_ascii=False).encode("cp1256")
    path.write_bytes(b"\xef\xbb\xbf" + first + b"\n" + second + b"\n")
    items = read_all(path)
    assert [(i.id, i.text) for i in items] == [("u", TEXT), ("w", TEXT2)]  # type: ignore[union-attr]


def test_jsonl_utf16(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes(jsonl({"id": "a", "text": TEXT}, {"id": "b", "text": TEXT2}).encode("utf-16"))
    assert [i.id for i in read_all(path)] == ["a", "b"]  # type: ignore[union-attr]


def test_jsonl_binary_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "bin.jsonl"
    path.write_bytes(b"\x00\x01\x02\n" * 50)
    assert "binary" in only_problem(read_all(path)).reason


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(jsonl({"text": TEXT}, {"id": "x", "text": TEXT2}))
    items = read_all(path)
    assert [i.id for i in items] == ["feed:1", "x"]  # type: ignore[union-attr]


def test_truncated_gz_is_a_problem_after_the_good_lines(tmp_path: Path) -> None:
    data = gzip.compress(jsonl(*({"id": str(n), "text": TEXT * 20} for n in range(200))).encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = read_all(path)
    assert isinstance(items[-1], InputProblem)
    assert "truncated" in items[-1].reason
    assert all(isinstance(i, Article) for i in items[:-1]) and len(items) > 1


def test_not_gzip_with_gz_name_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "fake.jsonl.gz"
    path.write_text(jsonl({"text": TEXT}), encoding="utf-8")
    assert "cannot read" in only_problem(read_all(path)).reason


def test_jsonl_is_streamed_line_by_line() -> None:
    endless = (json.dumps({"id": str(n), "text": TEXT}).encode() + b"\n" for n in itertools.count())
    first = list(itertools.islice(_iter_jsonl_lines(endless, "endless.jsonl", "endless", None), 3))
    assert [a.id for a in first] == ["0", "1", "2"]  # type: ignore[union-attr]


# --------------------------------------------------------------------------- .json


def test_json_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": TEXT, "published": "2018-08-09"}, ensure_ascii=False), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"id": "a", "text": TEXT}, {"id": "b"}, {"text": TEXT2}], ensure_ascii=False), encoding="utf-8")
    a = only_article(read_all(one))
    assert (a.id, a.published) == ("one", date(2018, 8, 9))
    items = read_all(many)
    assert [getattr(i, "id", None) for i in items] == ["a", "b", "many:3"]
    assert isinstance(items[1], InputProblem) and "item 2: missing text field" in items[1].reason


def test_broken_json_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n"text": }', encoding="utf-8")
    problem = only_problem(read_all(path))
    assert problem.line == 2 and "broken JSON" in problem.reason


# --------------------------------------------------------------------------- folders


def test_folder_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "z.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b" / "2.txt").write_text(TEXT2, encoding="utf-8")
    (tmp_path / "a" / "deep" / "1.html").write_text(f"<p>{TEXT}</p>", encoding="utf-8")
    (tmp_path / "a" / "0.jsonl").write_text(jsonl({"id": "j", "text": TEXT}), encoding="utf-8")
    (tmp_path / "a" / "README.md").write_text("not an article", encoding="utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text(TEXT, encoding="utf-8")
    ids = [i.id for i in read_all(tmp_path)]  # type: ignore[union-attr]
    assert ids == ["j", "1", "2", "z"]
    assert ids == [i.id for i in read_all(tmp_path)]  # type: ignore[union-attr]


def test_several_paths_keep_their_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT2, encoding="utf-8")
    assert [i.id for i in read_all(tmp_path / "b.txt", tmp_path / "a.txt")] == ["b", "a"]  # type: ignore[union-attr]


# --------------------------------------------------------------------------- stdin


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, ("\n" + TEXT + "\n" + TEXT2).encode("utf-8"))
    article = only_article(list(iter_articles([], date(2018, 8, 9))))
    assert (article.id, article.text, article.published) == ("stdin", "\n" + TEXT + "\n" + TEXT2, date(2018, 8, 9))


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, ("\n" + jsonl({"id": "a", "text": TEXT}, "{broken", {"id": "c", "text": TEXT2})).encode("utf-8"))
    items = list(iter_articles(["-"], None))
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    assert str(items[1]).startswith("<stdin>:3: broken JSON line")


def test_stdin_cp1256_and_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, TEXT.encode("cp1256"))
    assert only_article(list(iter_articles(["-"], None))).text == TEXT
    set_stdin(monkeypatch, b"")
    assert "empty" in only_problem(list(iter_articles(["-"], None))).reason


def test_stdin_as_plain_text_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(jsonl({"id": "s", "text": TEXT})))
    assert only_article(list(iter_articles(["-"], None))).id == "s"


def test_utf8_with_one_bad_byte_is_a_problem_not_mojibake(tmp_path: Path) -> None:
    data = bytearray(TEXT.encode("utf-8"))
    data[7] = 0xFF
    path = tmp_path / "damaged.txt"
    path.write_bytes(bytes(data))
    problem = only_problem(read_all(path))
    assert "undecodable" in problem.reason and "offset 6" in problem.reason  # the broken sequence starts at 6


# --------------------------------------------------------------------------- limits


def test_oversized_articles_are_reported_not_processed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_MAX_ARTICLE_CHARS", "200")
    big = (TEXT + " ") * 5  # 245 characters, about 450 bytes
    (tmp_path / "big.txt").write_text(big, encoding="utf-8")
    (tmp_path / "huge.txt").write_text(big * 20, encoding="utf-8")  # over 4 bytes a character: not read whole
    (tmp_path / "small.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(jsonl({"id": "long", "text": big}, {"id": "short", "text": TEXT2}),
                                         encoding="utf-8")
    items = read_all(tmp_path)
    problems = {(Path(p.source).name, p.line, p.id): p.reason for p in items if isinstance(p, InputProblem)}
    assert [a.id for a in items if isinstance(a, Article)] == ["short", "small"]
    assert "oversized article" in problems[("big.txt", None, "big")]
    assert "oversized file" in problems[("huge.txt", None, None)]
    assert "oversized article" in problems[("feed.jsonl", 1, "long")]
    assert "the limit is 200" in problems[("big.txt", None, "big")]


@pytest.mark.parametrize("value", ["0001-01-01", "1850-05-05", "2999-12-31", "9999-01-01T00:00:00"])
def test_absurd_dates_are_reported(tmp_path: Path, value: str) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(jsonl({"id": "odd", "text": TEXT, "published": value}, {"id": "ok", "text": TEXT2,
                          "published": "2018-08-09"}), encoding="utf-8")
    problem, good = read_all(path)
    assert isinstance(problem, InputProblem) and (problem.line, problem.id) == (1, "odd")
    assert "absurd date" in problem.reason
    assert isinstance(good, Article) and good.published == date(2018, 8, 9)


def test_a_folder_of_bad_and_good_inputs(tmp_path: Path) -> None:
    """The issue's folder: empty file, random bytes, a cp1256 article, JSONL with a broken line 2."""
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-noise.txt").write_bytes(random.Random(7).randbytes(4096))
    (tmp_path / "c-cp1256.txt").write_bytes(TEXT.encode("cp1256"))
    (tmp_path / "d-feed.jsonl").write_text(
        jsonl({"id": "first", "text": TEXT2}, '{"id": "second", "text": "قصف', {"id": "third", "text": TEXT}),
        encoding="utf-8",
    )
    items = read_all(tmp_path)
    problems = [(Path(p.source).name, p.line) for p in items if isinstance(p, InputProblem)]
    assert problems == [("a-empty.txt", None), ("b-noise.txt", None), ("d-feed.jsonl", 2)]
    articles = [a for a in items if isinstance(a, Article)]
    assert [(a.id, a.text) for a in articles] == [("c-cp1256", TEXT), ("first", TEXT2), ("third", TEXT)]


def test_unpaired_surrogates_from_json_escapes_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "s1", "text": "\\ud800 قصف"}\n{"id": "s2", "text": "قصف", "title": "\\udfff"}\n'
                    '{"id": "ok", "text": "قصف \\ud83d\\ude00"}\n', encoding="utf-8")
    first, second, good = read_all(path)
    assert isinstance(first, InputProblem) and "invalid Unicode" in first.reason and "text" in first.reason
    assert isinstance(second, InputProblem) and "title" in second.reason
    assert isinstance(good, Article) and good.text == "قصف 😀"  # a proper pair is one character
