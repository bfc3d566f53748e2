"""Score extracted events against gold articles (EVENT_SCHEMA.md sections 2 and 3).

The scorer is deliberately explanatory: besides precision, recall and field accuracy it keeps
every missed gold event, every spurious system event and every mismatched field of a paired
event, each with its evidence, because a figure alone does not tell a developer what to fix.

Choices the schema leaves open, made here once:

* Pairing (rule 1) is greedy over all compatible (gold, system) pairs, ordered by the number of
  agreeing fields among sub-type, date, place and actor set; ties go to pairs whose evidence
  overlaps, then to the earlier gold event and the earlier system event (deterministic output).
* Optional gold events (rule 5) are paired only with system events left over after the
  required gold events were paired, so an optional event never takes credit away.
* A not-event quote (rule 6) is hit when any evidence span of a system event (the trigger or
  any other field) lies inside the quote; each quote counts once however many events hit it.
  The count is reported on its own: an unpaired hitting event is already counted as spurious.
* Ratios with an empty denominator are 1.0 when both sides are empty and 0.0 otherwise, so an
  extractor that emits nothing never shows a perfect precision.
* Field accuracy counts a field only when the gold event carries it (optional-looking fields
  such as `civilian_targeting` may be absent from a gold event).
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from rasd.errors import GoldError, InputError
from rasd.model import Event
from rasd.text.normalize import fold, normalize

# Fields every required gold event must carry (EVENT_SCHEMA.md section 2, marked *).
REQUIRED_EVENT_FIELDS: tuple[str, ...] = (
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "inter1",
    "actor2", "inter2", "country", "admin1", "location", "location_ar", "geo_precision",
    "fatalities", "fatalities_known",
)
# Fields of paired events whose agreement is reported (rule 4), in report order.
SCORED_FIELDS: tuple[str, ...] = (
    "sub_event_type", "event_date", "time_precision", "place", "admin1", "actors", "inter",
    "fatalities", "fatalities_known", "geo_precision", "civilian_targeting",
)
PLACE_RADIUS_KM = 10.0
_EARTH_RADIUS_KM = 6371.0088

# English transliterations of the Arabic article at a word start: al-, el-, ad-, ash-, ez- ...
_EN_ARTICLE = re.compile(
    r"(?<![a-z])(?:al|el|ad|adh|an|ar|as|ash|at|ath|az|ed|en|er|es|esh|et|eth|ez)"
    r"[-\s\u2010-\u2015'\u2019]+(?=[a-z])"
)
# ACLED's period qualifier in actor names: "(2000-2024)", "(2000-)".
_ACTOR_PERIOD = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")
# Characters that end a sentence when cutting context around a trigger.
_SENTENCE_END = frozenset(".!?\n\u061f\u06d4")
_CONTEXT_LIMIT = 300


# --------------------------------------------------------------------------- gold records


@dataclass(frozen=True, slots=True)
class AltType:
    """An alternative coding a gold event also accepts (`also_accept`)."""

    event_type: str
    sub_event_type: str | None = None


@dataclass(frozen=True)
class GoldEvent:
    """One gold event, typed; `record` keeps the object as written for the report."""

    index: int
    event_type: str
    sub_event_type: str | None = None
    event_date: date | None = None
    time_precision: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    admin1: str | None = None
    location: str | None = None
    location_ar: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_known: bool | None = None
    civilian_targeting: bool | None = None
    evidence_text: str | None = None
    evidence_span: tuple[int, int] | None = None
    also_accept: tuple[AltType, ...] = ()
    also_accept_actors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    record: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GoldArticle:
    """One gold article with its text resolved (from `text` or `text_ref` + corpus)."""

    id: str
    published: date | None
    text: str
    events: tuple[GoldEvent, ...] = ()
    optional: tuple[GoldEvent, ...] = ()
    not_events: tuple[str, ...] = ()


# --------------------------------------------------------------------------- loading


def load_gold(path: str | Path, corpus: str | Path | None = None) -> list[GoldArticle]:
    """Read a gold file: JSON Lines, or JSON holding one article or a list of them.

    Articles given by `text_ref` are looked up in `corpus` (JSON Lines, optionally gzipped,
    lines with `id` or `docno` and `text`). Any gold problem raises GoldError naming the file,
    the article (id, or line/item number) and the field.
    """
    path = Path(path)
    raw = list(_read_gold_items(path))
    refs = {ref for _, item in raw if (ref := _ref_id(item)) is not None}
    texts = _load_corpus(Path(corpus), refs) if corpus is not None else None
    articles: list[GoldArticle] = []
    seen: set[str] = set()
    for where, item in raw:
        article = parse_article(item, f"{path}: {_label(item, where)}", texts)
        if article.id in seen:
            raise GoldError(f"{path}: {_label(item, where)}: duplicate article id")
        seen.add(article.id)
        articles.append(article)
    return articles


def _read_gold_items(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (where, object) for each article; `where` is 'line N' or 'item N' for messages."""
    try:
        content = _read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read: {exc}") from exc
    stripped = content.strip()
    if not stripped:
        raise GoldError(f"{path}: empty gold file")
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, list):
        items: Iterable[tuple[str, Any]] = ((f"item {n}", obj) for n, obj in enumerate(whole, 1))
    elif isinstance(whole, dict):
        items = [("line 1" if "\n" not in stripped else "item 1", whole)]
    else:
        items = _json_lines(path, content)
    for where, obj in items:
        if not isinstance(obj, dict):
            raise GoldError(f"{path}: {where}: an article must be a JSON object")
        yield where, obj


def _json_lines(path: Path, content: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}: line {number}: not valid JSON: {exc.msg}") from exc


def _read_text(path: Path) -> str:
    with _open_text(path) as handle:
        return handle.read()


def _open_text(path: Path) -> IO[str]:
    """A text handle on a plain or gzipped file (recognised by its magic bytes, not its name)."""
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return path.open(encoding="utf-8-sig")


def _label(item: Mapping[str, Any], where: str) -> str:
    article_id = item.get("id")
    return f"article {article_id!r} ({where})" if isinstance(article_id, str) else f"article at {where}"


def _ref_id(item: Mapping[str, Any]) -> str | None:
    """The corpus id an article points to, if it relies on one (malformed refs: None)."""
    ref = item.get("text_ref")
    if "text" in item or not isinstance(ref, dict) or ref.get("id") is None:
        return None
    return str(ref["id"])


def _load_corpus(path: Path, wanted: set[str]) -> dict[str, str]:
    """Texts of the wanted ids only, streamed: a corpus may be far larger than the gold set."""
    found: dict[str, str] = {}
    if not wanted:
        return found
    try:
        with _open_text(path) as lines:
            for line in lines:
                key, text = _corpus_entry(line)
                if key in wanted and text is not None:
                    found[key] = text
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise InputError(str(path), f"corpus cannot be read: {exc}") from exc
    return found


def _corpus_entry(line: str) -> tuple[str | None, str | None]:
    """(id or docno, text) of a corpus line; broken lines give (None, None) and matter only
    when a gold article needs them, which is reported as a missing id."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None, None
    if not isinstance(obj, dict):
        return None, None
    key = obj.get("id", obj.get("docno"))
    text = obj.get("text")
    return (str(key) if key is not None else None), (text if isinstance(text, str) else None)


def parse_article(item: Mapping[str, Any], where: str, corpus_texts: Mapping[str, str] | None = None) -> GoldArticle:
    """A validated GoldArticle from one gold object; `where` prefixes every GoldError.

    `corpus_texts` maps corpus ids to texts for `text_ref` articles (None: no corpus given).
    """
    article_id = item.get("id")
    if not isinstance(article_id, (str, int)) or isinstance(article_id, bool):
        raise GoldError(f"{where}: missing field 'id'")
    text = _article_text(item, where, corpus_texts)
    published = _date_field(item, "published", where, required=True)
    events = _event_list(item, "events", where, required=True)
    optional = _event_list(item, "optional", where, required=False)
    return GoldArticle(
        id=str(article_id),
        published=published,
        text=text,
        events=tuple(_gold_event(e, n, f"{where}: event {n + 1}", text, True) for n, e in enumerate(events)),
        optional=tuple(
            _gold_event(e, n, f"{where}: optional event {n + 1}", text, False) for n, e in enumerate(optional)
        ),
        not_events=_not_events(item, where),
    )


def _article_text(item: Mapping[str, Any], where: str, texts: Mapping[str, str] | None) -> str:
    if "text" in item:
        text = item["text"]
        if not isinstance(text, str) or not text.strip():
            raise GoldError(f"{where}: field 'text' must be a non-empty string")
        return text
    if "text_ref" not in item:
        raise GoldError(f"{where}: missing field 'text' (or 'text_ref')")
    ref_id = _ref_id(item)
    if ref_id is None:
        raise GoldError(f"{where}: field 'text_ref' needs an 'id'")
    if texts is None:
        raise GoldError(f"{where}: field 'text_ref' needs a corpus (--corpus FILE)")
    if ref_id not in texts:
        raise GoldError(f"{where}: text_ref id {ref_id!r} not found in the corpus")
    return texts[ref_id]


def _event_list(item: Mapping[str, Any], key: str, where: str, required: bool) -> list[dict[str, Any]]:
    if key not in item:
        if required:
            raise GoldError(f"{where}: missing field {key!r}")
        return []
    value = item[key]
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise GoldError(f"{where}: field {key!r} must be a list of objects")
    return value


def _not_events(item: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = item.get("not_events", [])
    if not isinstance(value, list) or not all(isinstance(q, str) and q.strip() for q in value):
        raise GoldError(f"{where}: field 'not_events' must be a list of non-empty strings")
    return tuple(value)


def _gold_event(record: dict[str, Any], index: int, where: str, text: str, required: bool) -> GoldEvent:
    """Validate one gold event; `required` applies the starred-field rule of section 2."""
    if required:
        for name in REQUIRED_EVENT_FIELDS:
            if name not in record:
                raise GoldError(f"{where}: missing field {name!r}")
        if "evidence_text" not in record and "evidence_span" not in record:
            raise GoldError(f"{where}: missing field 'evidence_text' (or 'evidence_span')")
    elif "event_type" not in record:
        raise GoldError(f"{where}: missing field 'event_type'")
    return GoldEvent(
        index=index,
        event_type=_str(record, "event_type", where, nullable=False),  # type: ignore[arg-type]
        sub_event_type=_str(record, "sub_event_type", where, nullable=not required),
        event_date=_date_field(record, "event_date", where, required=required),
        time_precision=_int(record, "time_precision", where, 1, 3, nullable=not required),
        actor1=_str(record, "actor1", where, nullable=not required),
        actor2=_str(record, "actor2", where, nullable=True),
        inter1=_int(record, "inter1", where, 0, 8, nullable=not required),
        inter2=_int(record, "inter2", where, 0, 8, nullable=True),
        admin1=_str(record, "admin1", where, nullable=True),
        location=_str(record, "location", where, nullable=True),
        location_ar=_str(record, "location_ar", where, nullable=True),
        latitude=_float(record, "latitude", where),
        longitude=_float(record, "longitude", where),
        geo_precision=_int(record, "geo_precision", where, 1, 3, nullable=not required),
        fatalities=_int(record, "fatalities", where, 0, None, nullable=not required),
        fatalities_known=_bool(record, "fatalities_known", where, nullable=not required),
        civilian_targeting=_bool(record, "civilian_targeting", where, nullable=True),
        evidence_text=_str(record, "evidence_text", where, nullable=True),
        evidence_span=_span(record, where, len(text)),
        also_accept=_also_accept(record, where),
        also_accept_actors=_also_accept_actors(record, where),
        record=record,
    )


def _str(record: Mapping[str, Any], key: str, where: str, nullable: bool) -> str | None:
    value = record.get(key)
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value.strip():
        raise GoldError(f"{where}: field {key!r} must be a non-empty string")
    return value


def _int(record: Mapping[str, Any], key: str, where: str, low: int, high: int | None, nullable: bool) -> int | None:
    value = record.get(key)
    if value is None and nullable:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        bound = f"{low}-{high}" if high is not None else f">= {low}"
        raise GoldError(f"{where}: field {key!r} must be an integer {bound}")
    return value


def _float(record: Mapping[str, Any], key: str, where: str) -> float | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise GoldError(f"{where}: field {key!r} must be a number")
    return float(value)


def _bool(record: Mapping[str, Any], key: str, where: str, nullable: bool) -> bool | None:
    value = record.get(key)
    if value is None and nullable:
        return None
    if not isinstance(value, bool):
        raise GoldError(f"{where}: field {key!r} must be true or false")
    return value


def _date_field(record: Mapping[str, Any], key: str, where: str, required: bool) -> date | None:
    value = record.get(key)
    if value is None:
        if required:
            raise GoldError(f"{where}: missing field {key!r}")
        return None
    parsed = _iso_date(value)
    if parsed is None:
        raise GoldError(f"{where}: field {key!r} must be a YYYY-MM-DD date")
    return parsed


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _span(record: Mapping[str, Any], where: str, length: int) -> tuple[int, int] | None:
    value = record.get("evidence_span")
    if value is None:
        return None
    ok = (
        isinstance(value, list) and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] < value[1] <= length
    )
    if not ok:
        raise GoldError(f"{where}: field 'evidence_span' must be [start, end] inside the text")
    return value[0], value[1]


def _also_accept(record: Mapping[str, Any], where: str) -> tuple[AltType, ...]:
    value = record.get("also_accept", [])
    if not isinstance(value, list) or not all(isinstance(a, dict) and isinstance(a.get("event_type"), str) for a in value):
        raise GoldError(f"{where}: field 'also_accept' must be a list of {{event_type, sub_event_type}}")
    return tuple(AltType(a["event_type"], a.get("sub_event_type")) for a in value)


def _also_accept_actors(record: Mapping[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    value = record.get("also_accept_actors", {})
    ok = isinstance(value, dict) and all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values()
    )
    if not ok:
        raise GoldError(f"{where}: field 'also_accept_actors' must map an actor to a list of names")
    return {key: tuple(names) for key, names in value.items()}


# --------------------------------------------------------------------------- system events


def read_events(path: str | Path) -> dict[str, list[Event]]:
    """System events from a JSON Lines file, grouped by `article_id` (in file order).

    `event_id` and `disorder_type` are filled in when absent so that records of other
    extractors can be scored; everything else must follow the event record.
    """
    path = Path(path)
    try:
        content = _read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot be read: {exc}") from exc
    grouped: dict[str, list[Event]] = {}
    for number, line in enumerate(content.splitlines(), 1):
        if line.strip():
            event = _parse_event_line(line, f"{path}: line {number}", number)
            grouped.setdefault(event.article_id, []).append(event)
    return grouped


def _parse_event_line(line: str, where: str, number: int) -> Event:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON: {exc.msg}") from exc
    if not isinstance(obj, dict) or not obj.get("article_id"):
        raise InputError(where, "an event record needs 'article_id'")
    obj.setdefault("event_id", f"{obj['article_id']}#{number}")
    obj.setdefault("disorder_type", "")
    try:
        return Event.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        raise InputError(where, f"not an event record: field {place!r}: {first['msg']}") from exc


def extract_gold(articles: Iterable[GoldArticle]) -> dict[str, list[Event]]:
    """Run the extractor on every gold article with its own published date and id."""
    from rasd import api  # looked up at call time so tests can substitute the extractor

    return {a.id: list(api.extract(a.text, published=a.published, article_id=a.id)) for a in articles}


# --------------------------------------------------------------------------- comparisons


def place_key(name: str) -> str:
    """An English place name reduced for comparison: 'Al-Bukamal' and 'Bukamal' give the same key."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", _EN_ARTICLE.sub("", plain))


def actor_key(name: str) -> str:
    """An actor name reduced for comparison: case folded, ACLED period qualifier dropped."""
    return " ".join(_ACTOR_PERIOD.sub(" ", name).casefold().split())


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def places_match(gold: GoldEvent, system: Event) -> bool:
    """Rule 3: same Arabic surface form, same English name, or coordinates within 10 km."""
    if gold.location_ar and system.location_ar and fold(gold.location_ar) == fold(system.location_ar):
        return True
    if gold.location and system.location:
        key = place_key(gold.location)
        if key and key == place_key(system.location):
            return True
    coords = (gold.latitude, gold.longitude, system.latitude, system.longitude)
    if all(c is not None for c in coords):
        return haversine_km(*coords) <= PLACE_RADIUS_KM  # type: ignore[arg-type]
    return False


def type_accepted(gold: GoldEvent, system: Event) -> bool:
    """Rule 1: equal `event_type`, or one of the gold event's `also_accept` types."""
    return system.event_type == gold.event_type or any(a.event_type == system.event_type for a in gold.also_accept)


def sub_type_accepted(gold: GoldEvent, system: Event) -> bool:
    """Equal sub-type, or a sub-type the gold event accepts together with its type."""
    if system.sub_event_type == gold.sub_event_type:
        return True
    return any(
        a.sub_event_type == system.sub_event_type and a.event_type == system.event_type for a in gold.also_accept
    )


def actors_match(gold: GoldEvent, system: Event) -> bool:
    """Rule 4: unordered {actor1, actor2} equal after folding, honouring `also_accept_actors`."""
    alternatives = {actor_key(k): v for k, v in gold.also_accept_actors.items()}
    options: list[set[str]] = []
    for name in dict.fromkeys(actor_key(a) for a in (gold.actor1, gold.actor2) if a):
        options.append({name} | {actor_key(x) for x in alternatives.get(name, ())})
    names = list(dict.fromkeys(actor_key(a) for a in (system.actor1, system.actor2) if a))
    if len(names) != len(options):
        return False
    return any(all(n in opts for n, opts in zip(perm, options)) for perm in itertools.permutations(names))


def _inter_codes(first: int | None, second: int | None) -> tuple[int, int]:
    """The two inter codes as an unordered pair (lower first), 0 standing for no actor."""
    low, high = sorted((first or 0, second or 0))
    return low, high


def trigger_of(event: Event) -> tuple[int, int] | None:
    """The span of the event's trigger evidence, if it has one."""
    for ev in event.evidence:
        if ev.field == "trigger":
            return ev.start, ev.end
    return None


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where a verbatim quote stands in the text; falls back to normalised matching so that
    quotes differing only in diacritics, quote marks or spacing are still found."""
    if not quote.strip():
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    norm = normalize(text)
    folded = fold(quote)
    at = norm.text.find(folded) if folded else -1
    return norm.span(at, at + len(folded)) if at >= 0 else None


def _inside(span: tuple[int, int] | None, point: int) -> bool:
    return span is not None and span[0] <= point < span[1]


# --------------------------------------------------------------------------- report records


@dataclass
class Detection:
    """Counts behind precision and recall; `excluded` system events paired with optional gold."""

    gold: int = 0
    system: int = 0
    excluded: int = 0
    paired: int = 0

    def __iadd__(self, other: Detection) -> Detection:
        self.gold += other.gold
        self.system += other.system
        self.excluded += other.excluded
        self.paired += other.paired
        return self

    @property
    def precision(self) -> float:
        return _ratio(self.paired, self.system - self.excluded, self.gold)

    @property
    def recall(self) -> float:
        return _ratio(self.paired, self.gold, self.system - self.excluded)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


def _ratio(part: int, whole: int, other_side: int) -> float:
    if whole:
        return part / whole
    return 1.0 if other_side == 0 else 0.0


@dataclass
class Tally:
    """Paired events whose field agreed, out of those where the gold carries the field."""

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy}


@dataclass(frozen=True)
class FieldResult:
    field: str
    ok: bool
    gold: Any
    system: Any


@dataclass
class ArticleReport:
    """Figures and explanations of one article; lists hold JSON-ready dicts."""

    article_id: str
    detection: Detection = field(default_factory=Detection)
    any_type: Detection = field(default_factory=Detection)
    fields: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in SCORED_FIELDS})
    pairs: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    not_event_hits: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "detection": self.detection.to_dict(),
            "any_type": self.any_type.to_dict(),
            "fields": {name: tally.to_dict() for name, tally in self.fields.items()},
            "not_events_hit": len({hit["quote"] for hit in self.not_event_hits}),
            "pairs": self.pairs,
        }


@dataclass
class Report:
    """Micro-summed figures over all articles, the per-article figures and every list."""

    articles: list[ArticleReport] = field(default_factory=list)

    @property
    def detection(self) -> Detection:
        return _sum(a.detection for a in self.articles)

    @property
    def any_type(self) -> Detection:
        return _sum(a.any_type for a in self.articles)

    @property
    def fields(self) -> dict[str, Tally]:
        totals = {name: Tally() for name in SCORED_FIELDS}
        for article in self.articles:
            for name, tally in article.fields.items():
                totals[name].correct += tally.correct
                totals[name].total += tally.total
        return totals

    def collect(self, name: str) -> list[Any]:
        """One list ('missed', 'spurious', 'mismatches', 'not_event_hits', 'warnings') over all articles."""
        return [item for article in self.articles for item in getattr(article, name)]

    @property
    def not_events_hit(self) -> int:
        return sum(len({hit["quote"] for hit in a.not_event_hits}) for a in self.articles)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles_scored": len(self.articles),
            "detection": self.detection.to_dict(),
            "any_type": self.any_type.to_dict(),
            "fields": {name: tally.to_dict() for name, tally in self.fields.items()},
            "not_events_hit": self.not_events_hit,
            "per_article": [a.to_dict() for a in self.articles],
            **{name: self.collect(name) for name in ("missed", "spurious", "mismatches", "not_event_hits", "warnings")},
        }


def _sum(parts: Iterable[Detection]) -> Detection:
    total = Detection()
    for part in parts:
        total += part
    return total


# --------------------------------------------------------------------------- scoring


def score(gold_articles: Sequence[GoldArticle], system_events_by_article: Mapping[str, Sequence[Event]]) -> Report:
    """Score system events against gold articles by EVENT_SCHEMA.md section 3."""
    return Report([score_article(a, list(system_events_by_article.get(a.id, ()))) for a in gold_articles])


@dataclass(frozen=True)
class _Context:
    """What scoring one article needs at hand: its text, events and located gold spans."""

    article: GoldArticle
    system: list[Event]
    gold_spans: list[tuple[int, int] | None]
    optional_spans: list[tuple[int, int] | None]


def score_article(article: GoldArticle, system: list[Event]) -> ArticleReport:
    """Pair, count and explain the events of one article."""
    report = ArticleReport(article.id)
    ctx = _Context(
        article, system,
        [_gold_span(article, g, "event", report.warnings) for g in article.events],
        [_gold_span(article, g, "optional event", report.warnings) for g in article.optional],
    )
    pairs, excluded = _align(ctx, typed=True)
    any_pairs, any_excluded = _align(ctx, typed=False)
    report.detection = Detection(len(article.events), len(system), len(excluded), len(pairs))
    report.any_type = Detection(len(article.events), len(system), len(any_excluded), len(any_pairs))
    report.pairs = [
        {"gold_index": gi, "event_id": system[si].event_id, "system_index": si} for gi, si in sorted(pairs.items())
    ] + [{"optional_index": oi, "event_id": system[si].event_id, "system_index": si} for oi, si in excluded.items()]
    _tally_fields(ctx, pairs, report)
    report.not_event_hits = _not_event_hits(ctx, report.warnings)
    hit_quotes = _quotes_by_event(report.not_event_hits)
    report.missed = [_missed(ctx, gi) for gi in range(len(article.events)) if gi not in pairs]
    paired_system = set(pairs.values()) | set(excluded.values())
    report.spurious = [
        _spurious(ctx, si, hit_quotes.get(si, [])) for si in range(len(system)) if si not in paired_system
    ]
    return report


def _gold_span(article: GoldArticle, gold: GoldEvent, kind: str, warnings: list[str]) -> tuple[int, int] | None:
    if gold.evidence_span is not None:
        return gold.evidence_span
    if gold.evidence_text is None:
        return None
    span = locate(article.text, gold.evidence_text)
    if span is None:
        warnings.append(f"{article.id}: {kind} {gold.index + 1}: evidence_text not found in the article text")
    return span


def _compatible(gold: GoldEvent, span: tuple[int, int] | None, system: Event, typed: bool) -> bool:
    """Rule 1: type accepted (unless any-type) and place match or trigger inside gold evidence."""
    if typed and not type_accepted(gold, system):
        return False
    trigger = trigger_of(system)
    return places_match(gold, system) or (trigger is not None and _inside(span, trigger[0]))


def agreement(gold: GoldEvent, system: Event) -> int:
    """How many of sub-type, date, place and actor set agree: the greedy pairing order."""
    return sum((
        sub_type_accepted(gold, system),
        system.event_date == gold.event_date,
        places_match(gold, system),
        actors_match(gold, system),
    ))


def _greedy(
    golds: Sequence[GoldEvent], spans: Sequence[tuple[int, int] | None], system: Sequence[Event],
    typed: bool, taken: set[int],
) -> dict[int, int]:
    """Greedy one-to-one pairing (gold index -> system index) among compatible pairs."""
    candidates: list[tuple[int, int, int, int]] = []
    for gi, (gold, span) in enumerate(zip(golds, spans)):
        for si, event in enumerate(system):
            if si not in taken and _compatible(gold, span, event, typed):
                trigger = trigger_of(event)
                overlap = trigger is not None and _inside(span, trigger[0])
                candidates.append((-agreement(gold, event), -int(overlap), gi, si))
    pairs: dict[int, int] = {}
    used = set(taken)
    for _, _, gi, si in sorted(candidates):
        if gi not in pairs and si not in used:
            pairs[gi] = si
            used.add(si)
    return pairs


def _align(ctx: _Context, typed: bool) -> tuple[dict[int, int], dict[int, int]]:
    """Pairs with required gold events, then system events absorbed by optional ones (rule 5)."""
    pairs = _greedy(ctx.article.events, ctx.gold_spans, ctx.system, typed, set())
    optional = _greedy(ctx.article.optional, ctx.optional_spans, ctx.system, typed, set(pairs.values()))
    return pairs, dict(sorted(optional.items()))


def field_results(gold: GoldEvent, system: Event) -> list[FieldResult]:
    """Rule 4 on one pair: every field the gold event carries, with both values."""
    checks: list[tuple[str, bool, Callable[[], tuple[bool, Any, Any]]]] = [
        ("sub_event_type", True, lambda: (sub_type_accepted(gold, system), gold.sub_event_type, system.sub_event_type)),
        ("event_date", gold.event_date is not None,
         lambda: (system.event_date == gold.event_date, _iso(gold.event_date), _iso(system.event_date))),
        ("time_precision", gold.time_precision is not None,
         lambda: (system.time_precision == gold.time_precision, gold.time_precision, system.time_precision)),
        ("place", True, lambda: (places_match(gold, system), _place(gold), _place(system))),
        ("admin1", "admin1" in gold.record, lambda: (_same_admin(gold.admin1, system.admin1), gold.admin1, system.admin1)),
        ("actors", True, lambda: (actors_match(gold, system), _actors(gold), _actors(system))),
        ("inter", gold.inter1 is not None, lambda: _compare_inter(gold, system)),
        ("fatalities", gold.fatalities is not None,
         lambda: (system.fatalities == gold.fatalities, gold.fatalities, system.fatalities)),
        ("fatalities_known", gold.fatalities_known is not None,
         lambda: (system.fatalities_known == gold.fatalities_known, gold.fatalities_known, system.fatalities_known)),
        ("geo_precision", gold.geo_precision is not None,
         lambda: (system.geo_precision == gold.geo_precision, gold.geo_precision, system.geo_precision)),
        ("civilian_targeting", gold.civilian_targeting is not None,
         lambda: (system.civilian_targeting == gold.civilian_targeting, gold.civilian_targeting,
                  system.civilian_targeting)),
    ]
    return [FieldResult(name, *compare()) for name, applies, compare in checks if applies]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _place(event: GoldEvent | Event) -> str | None:
    parts = [p for p in (event.location, event.location_ar) if p]
    return " / ".join(parts) if parts else None


def _actors(event: GoldEvent | Event) -> list[str]:
    return [a for a in (event.actor1, event.actor2) if a]


def _same_admin(gold: str | None, system: str | None) -> bool:
    """admin1 names compared like English place names ('Deir ez-Zor' = 'Deir ez Zor')."""
    if gold is None or system is None:
        return gold == system
    return place_key(gold) == place_key(system)


def _compare_inter(gold: GoldEvent, system: Event) -> tuple[bool, list[int], list[int]]:
    g, s = _inter_codes(gold.inter1, gold.inter2), _inter_codes(system.inter1, system.inter2)
    return g == s, list(g), list(s)


def _tally_fields(ctx: _Context, pairs: Mapping[int, int], report: ArticleReport) -> None:
    for gi, si in sorted(pairs.items()):
        gold, event = ctx.article.events[gi], ctx.system[si]
        for result in field_results(gold, event):
            tally = report.fields[result.field]
            tally.total += 1
            tally.correct += result.ok
            if not result.ok:
                report.mismatches.append({
                    "article_id": ctx.article.id, "gold_index": gi, "event_id": event.event_id,
                    "field": result.field, "gold": result.gold, "system": result.system,
                    "gold_evidence": _gold_evidence(ctx, gi), "system_evidence": _system_evidence(ctx, event),
                })


def _gold_evidence(ctx: _Context, gi: int) -> str | None:
    gold, span = ctx.article.events[gi], ctx.gold_spans[gi]
    if gold.evidence_text:
        return gold.evidence_text
    return ctx.article.text[span[0]:span[1]] if span else None


def _system_evidence(ctx: _Context, event: Event) -> str | None:
    """The sentence around the trigger (or the first evidence span): what the system read."""
    if not event.evidence:
        return None
    span = trigger_of(event) or (event.evidence[0].start, event.evidence[0].end)
    return sentence_around(ctx.article.text, *span)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding [start, end), cut to a readable length."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = start
    while left > 0 and text[left - 1] not in _SENTENCE_END and start - left < _CONTEXT_LIMIT:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _SENTENCE_END and right - end < _CONTEXT_LIMIT:
        right += 1
    if right < len(text) and text[right] not in "\n":
        right += 1
    return text[left:right].strip()


def _describe(event: GoldEvent | Event) -> dict[str, Any]:
    return {
        "event_type": event.event_type, "sub_event_type": event.sub_event_type,
        "event_date": _iso(event.event_date), "place": _place(event), "actors": _actors(event),
    }


def _missed(ctx: _Context, gi: int) -> dict[str, Any]:
    gold = ctx.article.events[gi]
    same_type = [s for s in ctx.system if type_accepted(gold, s)]
    if not same_type:
        reason = f"no system event of type {gold.event_type!r}"
    elif not any(_compatible(gold, ctx.gold_spans[gi], s, True) for s in same_type):
        reason = "system events of this type exist, but none matches its place or has its trigger in its evidence"
    else:
        reason = "its candidate system events were paired with other gold events"
    return {"article_id": ctx.article.id, "gold_index": gi, **_describe(gold), "reason": reason,
            "evidence": _gold_evidence(ctx, gi)}


def _spurious(ctx: _Context, si: int, quotes: list[str]) -> dict[str, Any]:
    event = ctx.system[si]
    golds = ctx.article.events
    if not any(type_accepted(g, event) for g in golds):
        reason = f"no gold event of type {event.event_type!r}"
    elif not any(_compatible(g, span, event, True) for g, span in zip(golds, ctx.gold_spans)):
        reason = "no gold event of this type at its place or around its trigger"
    else:
        reason = "its candidate gold events were paired with other system events"
    trigger = next((e.text for e in event.evidence if e.field == "trigger"), None)
    return {"article_id": ctx.article.id, "event_id": event.event_id, **_describe(event), "reason": reason,
            "trigger": trigger, "evidence": _system_evidence(ctx, event), "not_event_quotes": quotes}


def _not_event_hits(ctx: _Context, warnings: list[str]) -> list[dict[str, Any]]:
    """Rule 6: system events with an evidence span inside a not-event quote."""
    hits: list[dict[str, Any]] = []
    for number, quote in enumerate(ctx.article.not_events, 1):
        span = locate(ctx.article.text, quote)
        if span is None:
            warnings.append(f"{ctx.article.id}: not_events quote {number} not found in the article text")
            continue
        for si, event in enumerate(ctx.system):
            inside = [e.field for e in event.evidence if span[0] <= e.start and e.end <= span[1]]
            if inside:
                hits.append({"article_id": ctx.article.id, "quote": quote, "event_id": event.event_id,
                             "system_index": si, "event_type": event.event_type, "evidence_fields": inside})
    return hits


def _quotes_by_event(hits: Iterable[dict[str, Any]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for hit in hits:
        grouped.setdefault(hit["system_index"], []).append(hit["quote"])
    return grouped
