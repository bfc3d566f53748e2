"""Reading articles from files, folders and standard input (CLI.md, "Inputs").

`iter_articles` turns the paths given to `extract` / `ingest` into a stream of `Article`s.
A bad input never stops the stream: it becomes an `InputProblem` in its place, so that the
caller can report it (file, line or id, reason) and go on with the rest.

Design points:
- JSON Lines files (plain or gzip) are read line by line, never whole, so a corpus of any
  size streams in constant memory.
- Bytes are decoded by `decode_bytes`: UTF-8 (BOM or not), UTF-16 (with BOM), and
  Windows-1256 as a fallback because older Arabic sites and archives still use it.
- The article text is kept exactly as decoded (a leading BOM removed): later stages report
  character offsets into it.
- HTML pages are reduced to the article's main text by trafilatura when it is installed
  (`pip install 'rasd[watch]'`; it works offline and drops menus, footers and boilerplate),
  else by the standard library's parser (all visible text).
- Articles longer than `max_article_chars()` and article dates that cannot be right (before
  1900, or more than a year after today) are reported, not processed: one runaway record must
  not stall a batch, and a wrong year silently mis-dates every event of the article.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from rasd.model import Article

STDIN = "-"
STDIN_NAME = "<stdin>"
STDIN_ID = "stdin"

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_GZIP_MAGIC = b"\x1f\x8b"

# File kinds by (lower-cased) name ending; longest endings first.
_KINDS: tuple[tuple[str, str], ...] = (
    (".jsonl.gz", "jsonl.gz"),
    (".jsonl", "jsonl"),
    (".json", "json"),
    (".txt", "txt"),
    (".html", "html"),
    (".htm", "html"),
)

# Share of non-ASCII characters that must be Arabic for a Windows-1256 reading to be trusted.
_ARABIC_SHARE = 0.8
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")

# The longest article text accepted, in characters (news articles are a few thousand).
MAX_ARTICLE_CHARS = 1_000_000
MAX_CHARS_ENV_VAR = "RASD_MAX_ARTICLE_CHARS"
# Publication dates outside [EARLIEST_DATE, today + FUTURE_SLACK_DAYS] are absurd.
EARLIEST_DATE = date(1900, 1, 1)
FUTURE_SLACK_DAYS = 366


def max_article_chars() -> int:
    """The article size limit: $RASD_MAX_ARTICLE_CHARS when set to a positive number, else 1,000,000."""
    value = os.environ.get(MAX_CHARS_ENV_VAR, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return MAX_ARTICLE_CHARS


def _oversized(text: str) -> str | None:
    limit = max_article_chars()
    if len(text) > limit:
        return f"oversized article ({len(text):,} characters; the limit is {limit:,}, see ${MAX_CHARS_ENV_VAR})"
    return None


def has_surrogates(text: str) -> bool:
    """Whether `text` holds unpaired surrogates (JSON `"\\ud800"`): not Unicode text, and
    impossible to write out as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_date(value: date) -> date:
    """`value` when it can be a publication date; ValueError naming it when it is absurd."""
    latest = date.today() + timedelta(days=FUTURE_SLACK_DAYS)
    if value < EARLIEST_DATE or value > latest:
        raise ValueError(
            f"absurd date {value.isoformat()} (expected between {EARLIEST_DATE.isoformat()} and {latest.isoformat()})"
        )
    return value


@dataclass(frozen=True)
class InputProblem:
    """An input that could not become an article; printed as `file:line (id X): reason`."""

    source: str
    reason: str
    line: int | None = None
    id: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
        if self.id:
            where += f" (id {self.id})"
        return f"{where}: {self.reason}"


class DecodeError(ValueError):
    """Bytes that are not text in any encoding we accept; the message is the reason."""


# --------------------------------------------------------------------------- decoding


def _is_arabic(ch: str) -> bool:
    cp = ord(ch)
    return 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFEFC


def looks_like_arabic(text: str) -> bool:
    """True when `text` reads as Arabic prose: guards the Windows-1256 fallback.

    Windows-1256 maps every byte to some character, so decoding never fails by itself; random
    bytes are told apart by their control characters and their low share of Arabic letters.
    """
    non_ascii = 0
    arabic = 0
    for ch in text:
        if ch < " " and ch not in _ALLOWED_CONTROLS:
            return False
        if ch >= "\x80":
            non_ascii += 1
            arabic += _is_arabic(ch)
    return arabic > 0 and arabic >= _ARABIC_SHARE * non_ascii


def decode_bytes(data: bytes) -> str:
    """Text of `data`: UTF-8 (BOM or not), UTF-16 (BOM), else Arabic Windows-1256.

    Raises DecodeError (message = reason) for binary data and for bytes that fit none of them.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"undecodable UTF-16 text ({exc.reason} at byte {exc.start})") from None
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    if b"\x00" in data:
        raise DecodeError("binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" not in text and looks_like_arabic(text):
        return text
    raise DecodeError(
        f"undecodable bytes: not UTF-8 (bad byte at offset {first_bad}), UTF-16 or Arabic Windows-1256"
    )


# --------------------------------------------------------------------------- records


def parse_date(value: Any) -> date:
    """A date from `YYYY-MM-DD` or an ISO timestamp (its date part); ValueError otherwise."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD)")
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD)") from None


def _optional_str(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if value is not None and value != "":
            return value if isinstance(value, str) else str(value)
    return None


def article_from_record(
    record: Any,
    source: str,
    line: int | None,
    default_id: str,
    published: date | None,
) -> Article | InputProblem:
    """An Article from one JSON object (keys of CLI.md), or the problem that prevents it."""
    if not isinstance(record, dict):
        return InputProblem(source, f"not a JSON object (found {type(record).__name__})", line)
    article_id = _optional_str(record, "id", "docno") or default_id
    if "text" not in record or record["text"] is None:
        return InputProblem(source, "missing text field", line, article_id)
    text = record["text"]
    if not isinstance(text, str):
        return InputProblem(source, f"text field is not a string ({type(text).__name__})", line, article_id)
    if not text.strip():
        return InputProblem(source, "empty text", line, article_id)
    too_big = _oversized(text)
    if too_big:
        return InputProblem(source, too_big, line, article_id)
    fields = {"id": article_id, "text": text, **{k: v for k, v in record.items() if isinstance(v, str)}}
    broken = sorted(name for name, value in fields.items() if has_surrogates(value))
    if broken:
        return InputProblem(
            source, f"invalid Unicode (unpaired surrogate escapes) in {', '.join(broken)}", line,
            article_id.encode("utf-8", "replace").decode("utf-8"),
        )
    raw_date = record.get("published", record.get("date"))
    own_date: date | None = None
    if raw_date is not None and raw_date != "":
        try:
            own_date = check_date(parse_date(raw_date))
        except ValueError as exc:
            return InputProblem(source, str(exc), line, article_id)
    return Article(
        id=article_id,
        text=text,
        published=own_date or published,
        title=_optional_str(record, "title"),
        source=_optional_str(record, "source", "src"),
        url=_optional_str(record, "url"),
    )


def _text_article(text: str, source: str, article_id: str, published: date | None,
                  title: str | None = None) -> Article | InputProblem:
    if not text.strip():
        return InputProblem(source, "empty text", None, article_id)
    too_big = _oversized(text)
    if too_big:
        return InputProblem(source, too_big, None, article_id)
    return Article(id=article_id, text=text, published=published, title=title)


# --------------------------------------------------------------------------- JSON Lines


def _iter_jsonl_lines(
    lines: Iterable[bytes | str], source: str, stem: str, published: date | None, first_line: int = 1
) -> Iterator[Article | InputProblem]:
    """Articles of a JSON Lines stream, one line in memory at a time."""
    number = first_line - 1
    for raw in lines:
        number += 1
        if isinstance(raw, bytes):
            if b"\x00" in raw:
                yield InputProblem(source, "binary data (NUL bytes), not JSON Lines; rest of the file skipped", number)
                return
            try:
                line = decode_bytes(raw)
            except DecodeError as exc:
                yield InputProblem(source, str(exc), number)
                continue
        else:
            line = raw.lstrip("\ufeff") if number == 1 else raw
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputProblem(source, f"broken JSON line ({exc.msg})", number)
            continue
        yield article_from_record(record, source, number, f"{stem}:{number}", published)


def _binary_lines(stream: BinaryIO) -> Iterator[bytes | str]:
    """Lines of a binary stream; UTF-16 (by its BOM) is decoded here, since it can't be split on bytes."""
    head = _peek(stream, 2)
    if head.startswith(_UTF16_BOMS):
        yield from io.TextIOWrapper(stream, encoding="utf-16")  # type: ignore[arg-type]
        return
    yield from stream


def _peek(stream: BinaryIO, size: int) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(size)[:size])
    return b""


def _read_jsonl(path: str, stem: str, published: date | None, compressed: bool) -> Iterator[Article | InputProblem]:
    """Articles of a JSON Lines file, plain or gzip (also a gzip file without the .gz ending)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    except OSError as exc:
        yield InputProblem(path, f"cannot read file ({exc.strerror or exc})")
        return
    try:
        stream: BinaryIO = handle
        if compressed or _peek(handle, 2) == _GZIP_MAGIC:
            stream = gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[assignment]
        try:
            yield from _iter_jsonl_lines(_guard_lines(_binary_lines(stream)), path, stem, published)
        except _ReadFailure as failure:
            yield InputProblem(path, failure.reason, failure.line)
        except UnicodeDecodeError as exc:
            yield InputProblem(path, f"undecodable UTF-16 text ({exc.reason})")
    finally:
        handle.close()


class _ReadFailure(Exception):
    """A stream that broke while being read (truncated gzip, I/O error)."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def _guard_lines(lines: Iterator[bytes | str]) -> Iterator[bytes | str]:
    """Re-raise read errors in the middle of a stream as one _ReadFailure naming the line."""
    count = 0
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error) as exc:
            reason = "truncated or corrupt file" if isinstance(exc, EOFError) else f"cannot read file ({exc})"
            raise _ReadFailure(reason, count + 1 if count else None) from None
        count += 1
        yield line


# --------------------------------------------------------------------------- whole files


def _article_file_limit(markup_factor: int = 1) -> int:
    """Bytes a one-article file may have: 4 a character (the most any accepted encoding takes),
    times `markup_factor` for HTML, whose markup and scripts often outweigh the text."""
    return 4 * max_article_chars() * markup_factor + 4


def _read_bytes(path: str, limit: int | None = None) -> bytes | InputProblem:
    """The bytes of a file; a file over `limit` bytes is refused unread (reported)."""
    try:
        with open(path, "rb") as fh:
            if limit is None:
                return fh.read()
            data = fh.read(limit + 1)
            if len(data) > limit:
                size = os.fstat(fh.fileno()).st_size
                return InputProblem(
                    path, f"oversized file ({size:,} bytes; the article limit is {max_article_chars():,} characters,"
                    f" see ${MAX_CHARS_ENV_VAR})"
                )
            return data
    except OSError as exc:
        return InputProblem(path, f"cannot read file ({exc.strerror or exc})")


def _read_text_file(path: str, limit: int | None = None) -> str | InputProblem:
    data = _read_bytes(path, limit)
    if isinstance(data, InputProblem):
        return data
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        return InputProblem(path, str(exc))


def _read_txt(path: str, stem: str, published: date | None) -> Iterator[Article | InputProblem]:
    text = _read_text_file(path, _article_file_limit())
    if isinstance(text, InputProblem):
        yield text
        return
    yield _text_article(text, path, stem, published)


def _read_html(path: str, stem: str, published: date | None) -> Iterator[Article | InputProblem]:
    markup = _read_text_file(path, _article_file_limit(markup_factor=4))
    if isinstance(markup, InputProblem):
        yield markup
        return
    title, text = html_main_text(markup)
    if not text.strip():
        yield InputProblem(path, "empty text (no text outside the markup)", None, stem)
        return
    yield _text_article(text, path, stem, published, title)


def _read_json(path: str, stem: str, published: date | None) -> Iterator[Article | InputProblem]:
    text = _read_text_file(path)
    if isinstance(text, InputProblem):
        yield text
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputProblem(path, f"broken JSON ({exc.msg})", exc.lineno)
        return
    if isinstance(data, list):
        for index, record in enumerate(data, start=1):
            item = article_from_record(record, path, None, f"{stem}:{index}", published)
            if isinstance(item, InputProblem):
                item = InputProblem(path, f"item {index}: {item.reason}", None, item.id)
            yield item
    else:
        yield article_from_record(data, path, None, stem, published)


# --------------------------------------------------------------------------- HTML


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, one line per block element; script/style dropped."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})
    _BLOCK = frozenset({
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table",
        "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "header", "footer", "main",
        "aside", "nav", "blockquote", "pre", "figure", "figcaption", "hr", "form", "body",
        "address", "caption", "details", "summary",
    })

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._title: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._BLOCK:
            self._parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<script/>` opens nothing; `<br/>` still breaks the line.
        if tag in self._BLOCK:
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self._BLOCK:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        (self._title if self._in_title else self._parts).append(data)

    def result(self) -> tuple[str | None, str]:
        lines = (" ".join(line.split()) for line in "".join(self._parts).splitlines())
        title = " ".join("".join(self._title).split()) or None
        return title, "\n".join(line for line in lines if line)


def html_to_text(markup: str) -> tuple[str | None, str]:
    """(title, body text) of an HTML page: paragraphs become lines, whitespace is collapsed."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    return parser.result()


def _trafilatura_text(markup: str) -> str | None:
    """The main text of a page by trafilatura (None when it is not installed or finds none)."""
    try:
        import trafilatura
    except ImportError:
        return None
    try:
        text = trafilatura.extract(
            markup, include_comments=False, include_tables=True, favor_precision=True, deduplicate=False
        )
    except Exception:  # noqa: BLE001 - a parser failure falls back to the standard library
        return None
    if not text or not text.strip():
        return None
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_main_text(markup: str) -> tuple[str | None, str]:
    """(title, main text) of an HTML page: the article without menus, footers and scripts.

    trafilatura finds the main text when installed; when it is not, or finds nothing (a page
    too short or too unusual for it), every visible line is kept (html_to_text).
    """
    title, text = html_to_text(markup)
    main = _trafilatura_text(markup) if text.strip() else None
    return title, main or text


# --------------------------------------------------------------------------- stdin


def _stdin_binary() -> Iterator[bytes]:
    """Standard input as byte lines, also when a test replaced sys.stdin by a text stream."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        yield from buffer
    else:
        for line in sys.stdin:
            yield line.encode("utf-8")


def _read_stdin(published: date | None) -> Iterator[Article | InputProblem]:
    """JSON Lines when the first non-blank character is `{`, else one text article."""
    lines = _stdin_binary()
    head: list[bytes] = []
    for raw in lines:
        head.append(raw)
        if head[0].startswith(_UTF16_BOMS):
            break
        if _strip_bom(raw).strip():
            break
    if not head:
        yield InputProblem(STDIN_NAME, "empty text (nothing on standard input)")
        return
    if head[0].startswith(_UTF16_BOMS):
        data = b"".join(head) + b"".join(lines)
        try:
            text = decode_bytes(data)
        except DecodeError as exc:
            yield InputProblem(STDIN_NAME, str(exc))
            return
        if text.lstrip().startswith("{"):
            yield from _iter_jsonl_lines(text.splitlines(), STDIN_NAME, STDIN_ID, published)
        else:
            yield _text_article(text, STDIN_NAME, STDIN_ID, published)
        return
    first = _strip_bom(head[-1]).lstrip()
    if first.startswith(b"{"):
        rest = _chain(head, lines)
        yield from _iter_jsonl_lines(rest, STDIN_NAME, STDIN_ID, published)
        return
    data = b"".join(head) + b"".join(lines)
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        yield InputProblem(STDIN_NAME, str(exc))
        return
    yield _text_article(text, STDIN_NAME, STDIN_ID, published)


def _strip_bom(raw: bytes) -> bytes:
    return raw[len(_UTF8_BOM):] if raw.startswith(_UTF8_BOM) else raw


def _chain(head: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from head
    yield from rest


# --------------------------------------------------------------------------- paths


def file_kind(path: str) -> str | None:
    """The input kind of a file name (`txt`, `html`, `json`, `jsonl`, `jsonl.gz`), or None."""
    name = path.lower()
    for ending, kind in _KINDS:
        if name.endswith(ending):
            return kind
    return None


def article_stem(path: str) -> str:
    """The article id of a file: its name without the (possibly double) extension."""
    name = os.path.basename(path)
    lowered = name.lower()
    for ending, _kind in _KINDS:
        if lowered.endswith(ending):
            return name[: -len(ending)]
    return Path(name).stem


def walk_folder(folder: str) -> Iterator[str | InputProblem]:
    """Readable files under `folder`, recursively, in sorted path order (`a/x`, `a/y/z`, `b`).

    Entries are sorted per folder and sub-folders are entered where they sort, so the order is
    deterministic and the walk streams. Hidden names and files of unknown kinds are skipped:
    folders often hold README or metadata files that are not articles. Symbolic links to
    folders are not followed (no loops).
    """
    try:
        with os.scandir(folder) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        yield InputProblem(folder, f"cannot read folder ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from walk_folder(entry.path)
        elif file_kind(entry.name) is not None:
            yield entry.path


def read_file(path: str, published: date | None) -> Iterator[Article | InputProblem]:
    """Articles of one file by its kind; a file of unknown kind is read as plain text."""
    kind = file_kind(path)
    stem = article_stem(path)
    if kind in ("jsonl", "jsonl.gz"):
        yield from _read_jsonl(path, stem, published, compressed=kind == "jsonl.gz")
    elif kind == "json":
        yield from _read_json(path, stem, published)
    elif kind == "html":
        yield from _read_html(path, stem, published)
    else:
        yield from _read_txt(path, stem, published)


def iter_articles(paths: Sequence[str], published: date | None = None) -> Iterator[Article | InputProblem]:
    """Every article of `paths` (files, folders, `-` for stdin; none = stdin), in order.

    `published` is given to articles that carry no date of their own.
    """
    for path in paths or [STDIN]:
        if path == STDIN:
            yield from _read_stdin(published)
        elif os.path.isdir(path):
            for found in walk_folder(path):
                if isinstance(found, InputProblem):
                    yield found
                else:
                    yield from read_file(found, published)
        elif os.path.exists(path):
            yield from read_file(path, published)
        else:
            yield InputProblem(path, "no such file or directory")
