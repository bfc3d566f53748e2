"""Import public place tables into the user's gazetteer (``rasd gazetteer import``).

Users download the tables that matter for their work (a GeoNames country dump, OCHA's COD tables
from HDX, a list a partner keeps as CSV). Each import becomes one JSON Lines file of `Place`
records under ``$RASD_DATA_DIR/gazetteer/<source-name>.jsonl``, which `load_gazetteer()` layers
over the packaged table and the curated overlay. The files are sorted by id and written
atomically, so importing the same table twice leaves the same bytes and a crash never leaves half
a file behind.

The helpers that turn raw names into gazetteer names (Arabic script detection, generated variants,
GeoNames/OCHA admin1 codes to ACLED's English admin1 names) live here too, because the packaged
table's build script (``scripts/build_gazetteer.py``) must apply exactly the same rules.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rasd.errors import InputError, LexiconError, UsageError
from rasd.kb.gazetteer import gazetteer_dir, is_weak_name, load_gazetteer, name_core
from rasd.kb.loader import load_yaml
from rasd.model import Place
from rasd.text.normalize import fold

FORMATS = ("geonames", "ocha", "csv")

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_ARABIC_LETTER = re.compile("[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
# Letters of Persian, Kurdish, Urdu and Pashto spelling: a name using them is not Arabic-language.
_NON_ARABIC_LETTERS = frozenset(
    "\u067e\u0686\u0698\u06af\u06d5\u06ce\u06c6\u06b5\u0695\u0679\u0688\u06d2\u06be\u06bb\u0691"
    "\u06cc\u06a9"  # Farsi yeh and keheh: Arabic writes yeh and kaf
)
_LATIN_LETTER = re.compile("[A-Za-z]")

_AL = "\u0627\u0644"  # the article al-
_ALBU = "\u0627\u0644\u0628\u0648"  # al-bu: "the sons of" (tribal place names such as Albu Kamal)
_ABU = "\u0623\u0628\u0648"  # abu: the standard spelling of the same word

_APOSTROPHES = re.compile("['\u2018\u2019\u02bb\u02bc\u02be\u02bf`\u00b4]")
_LATIN_ALBU = re.compile(r"^(al[- ]?bu|el[- ]?bu|alboo)", re.IGNORECASE)


def is_arabic_name(text: str) -> bool:
    """Arabic-script text with no Latin letters and no letters of Persian/Kurdish spelling."""
    return (
        bool(_ARABIC_LETTER.search(text))
        and not _LATIN_LETTER.search(text)
        and not any(ch in _NON_ARABIC_LETTERS for ch in text)
    )


def latin_key(text: str) -> str:
    """Lower-case ASCII letters of a Latin name ("Ālbū Kamāl" -> "albu kamal")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii()).lower()


def english_name(text: str) -> str:
    """ASCII English name in ACLED's habit: diacritics and apostrophes dropped ("Dar‘ā" -> "Dara")."""
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    ascii_text = "".join(ch for ch in decomposed if ch.isascii() and unicodedata.category(ch) != "Mn")
    return " ".join(ascii_text.split()).strip(" ,;:-/")


def acled_style(name: str) -> str:
    """An OCHA admin name as ACLED writes it: hyphens become spaces, apostrophes go
    ("Jisr-Ash-Shugur" -> "Jisr Ash Shugur", "Al Ma'ra" -> "Al Mara")."""
    return " ".join(english_name(name).replace("-", " ").split())


def ascii_key(name: str) -> str:
    """Letters and digits only, lower case: the key under which English spellings are compared."""
    return re.sub(r"[^a-z0-9]", "", latin_key(_APOSTROPHES.sub("", name)))


def has_albu_evidence(latin_names: Iterable[str]) -> bool:
    """True when a Latin name shows the tribal "Albu ..." form, so a joined Arabic name can be split."""
    return any(_LATIN_ALBU.match(latin_key(n).strip()) for n in latin_names)


def name_variants(name: str, albu: bool = False) -> list[str]:
    """`name` plus the spellings news also use: without the article, and "البو X" joined, split
    and as "أبو X". Splitting a joined "البوX" needs `albu` evidence (a Latin "Albu ..." name),
    because most words starting with those letters are not the tribal form."""
    base = clean_name(name)
    out = [base]
    if base.startswith(_ALBU + " ") and len(base) > len(_ALBU) + 1:
        rest = base[len(_ALBU) + 1 :]
        out += [_ALBU + rest, _ABU + " " + rest]
    elif albu and base.startswith(_ALBU) and len(base) > len(_ALBU) + 1 and base[len(_ALBU)] != " ":
        rest = base[len(_ALBU) :]
        out += [_ALBU + " " + rest, _ABU + " " + rest]
    for variant in list(out):
        if _strippable(variant):
            out.append(variant[len(_AL) :])
    return dedupe_by_fold(out)


def _strippable(name: str) -> bool:
    """Whether dropping the article gives a form news use: one-word names ("الميادين" -> "ميادين")
    and the tribal "البو" names; in a phrase ("الحجر الأسود") the bare first word is ungrammatical."""
    key = fold(name)
    if not name.startswith(_AL) or key == name_core(key) or len(name_core(key)) < 2:
        return False
    return " " not in name or name.startswith(_ALBU)


def clean_name(name: str) -> str:
    """A name without invisible format characters (bidi marks, BOM) and with single spaces."""
    visible = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())


def dedupe_by_fold(names: Iterable[str]) -> list[str]:
    """First spelling of each folded form, in order; empty names dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        cleaned = clean_name(name)
        key = fold(cleaned)
        if key and key not in seen:
            seen.add(key)
            out.append(cleaned)
    return out


@cache
def place_nouns() -> tuple[str, ...]:
    """Folded place nouns ("مدينة", "قرية", ...) from the weak-names lexicon: names starting with
    one are descriptions, not the name itself, so they are not chosen as a place's main name."""
    data = load_yaml("weak_place_names.yml") or {}
    return tuple(fold(str(n)) for n in data.get("place_nouns", []))


# Arabic letter -> Latin consonant skeleton, for choosing which Arabic name matches the English one.
_SKELETON = {
    "\u0628": "b", "\u062a": "t", "\u062b": "t", "\u062c": "j", "\u062d": "", "\u062e": "k",
    "\u062f": "d", "\u0630": "d", "\u0631": "r", "\u0632": "z", "\u0633": "s", "\u0634": "s",
    "\u0635": "s", "\u0636": "d", "\u0637": "t", "\u0638": "z", "\u063a": "g", "\u0641": "f",
    "\u0642": "k", "\u0643": "k", "\u0644": "l", "\u0645": "m", "\u0646": "n", "\u0647": "",
    "\u0627": "", "\u0648": "", "\u064a": "", " ": " ",
}
_LATIN_DIGRAPHS = (("sh", "s"), ("kh", "k"), ("gh", "g"), ("th", "t"), ("dh", "d"), ("ph", "f"),
                   ("q", "k"), ("c", "k"), ("x", "ks"), ("v", "f"), ("p", "b"))
_LATIN_ARTICLE = re.compile(r"^(al|el|ar|as|ad|at|az|an|ash|ath|adh)[ -]")


def _arabic_skeleton(name: str) -> str:
    key = fold(name)
    key = key[2:] if key.startswith(_AL) else key
    return "".join(_SKELETON.get(ch, "") for ch in key).replace(" ", "")


def _latin_skeleton(name: str) -> str:
    key = _LATIN_ARTICLE.sub("", latin_key(name).strip())
    for old, new in _LATIN_DIGRAPHS:
        key = key.replace(old, new)
    return re.sub(r"[^bdfgjklmnrstz]", "", key)


def primary_arabic(names: Sequence[str], english: str) -> str | None:
    """The Arabic name that best renders `english`; names starting with a place noun come last,
    and names that are also ordinary words ("المدينة" for Medina) after the others.

    GeoNames gives no preferred Arabic name, and the first alternate name is often a description
    ("مدينة ..."); the consonant skeleton of the English name picks the real one. Ties keep the
    given order, so the choice is deterministic."""
    if not names:
        return None
    target = _latin_skeleton(english)
    nouns = place_nouns()

    def score(item: tuple[int, str]) -> tuple[int, int, float, int]:
        index, name = item
        descriptive = any(fold(name).startswith(noun + " ") for noun in nouns)
        ratio = difflib.SequenceMatcher(None, _arabic_skeleton(name), target).ratio() if target else 0.0
        return (int(descriptive), int(is_weak_name(name)), -round(ratio, 6), index)

    return min(enumerate(names), key=score)[1]


def _arabic_parts(name: str) -> list[str]:
    """The Arabic names in one alternate-name field; GeoNames sometimes joins a Latin and an
    Arabic spelling with a comma ("Al-Medy Village, ...")."""
    if is_arabic_name(name):
        return [name]
    return [part.strip() for part in re.split("[,\u060c]", name) if is_arabic_name(part.strip())]


def feature_for_population(population: int | None) -> str:
    """city >= 100,000 inhabitants, town >= 10,000, else village."""
    if population and population >= 100_000:
        return "city"
    if population and population >= 10_000:
        return "town"
    return "village"


def make_place(
    *,
    id: str,
    english: str,
    arabic: Sequence[str],
    country: str,
    latitude: float | None,
    longitude: float | None,
    feature: str,
    source: str,
    admin1: str | None = None,
    admin2: str | None = None,
    admin3: str | None = None,
    population: int | None = None,
    albu: bool = False,
    primary: str | None = None,
) -> Place:
    """A `Place` with generated name variants, a main Arabic name and the weak flag set.

    The place is weak when its main name is an ordinary word; a place that is not weak drops its
    ordinary-word aliases, so that `Place.weak` holds for each of its names."""
    originals = dedupe_by_fold(part for n in arabic for part in _arabic_parts(n))
    name_ar = clean_name(primary) if primary is not None else primary_arabic(originals, english)
    original_keys = {fold(n) for n in originals}
    names = dedupe_by_fold(
        v for n in originals for v in name_variants(n, albu=albu)
        if fold(v) in original_keys or not is_weak_name(v)  # a generated "مدينة" helps no one
    )
    weak = bool(name_ar) and is_weak_name(name_ar)
    if name_ar is not None:
        names = [name_ar] + [n for n in names if fold(n) != fold(name_ar)]
    if name_ar is not None and not weak:
        # A place with a distinctive name keeps no ordinary-word alias ("المدينة" for Medina), so
        # every name of a place that is not weak can be trusted without a cue.
        names = [n for n in names if not is_weak_name(n)]
    return Place(
        id=id,
        name=english or (name_ar or id),
        name_ar=name_ar,
        names=names,
        latitude=latitude,
        longitude=longitude,
        country=country,
        admin1=admin1 or None,
        admin2=admin2 or None,
        admin3=admin3 or None,
        feature=feature,
        population=population or None,
        weak=weak,
        source=source,
    )


# --------------------------------------------------------------------------------------------
# Admin1 codes -> ACLED admin1 names (lexicons/admin1.yml)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Admin1Unit:
    """One GeoNames admin1 unit and the names rasd uses for it."""

    country: str
    code: str
    name: str  # ACLED admin1
    admin2: str | None = None  # ACLED admin2 (Libya, where GeoNames' admin1 is ACLED's admin2)
    geonameid: int | None = None
    ar: tuple[str, ...] = ()
    ar_unit: tuple[str, ...] = ()
    ar_extra: tuple[str, ...] = ()
    capital: int | None = None

    @property
    def id(self) -> str:
        return f"gn:{self.geonameid}" if self.geonameid else f"admin1:{self.country}.{self.code}"

    def primary_name(self, units: Sequence[str]) -> str | None:
        """The main Arabic name: a bare name when it is safe alone, else "<unit noun> <name>"."""
        if self.ar or self.ar_extra:
            return (self.ar or self.ar_extra)[0]
        if self.ar_unit and units:
            return f"{units[0]} {self.ar_unit[0]}"
        return None

    def arabic_names(self, units: Sequence[str]) -> list[str]:
        """Bare names, fixed names, and every "<unit noun> <name>" form."""
        combined = [f"{unit} {name}" for name in (*self.ar, *self.ar_unit) for unit in units]
        return dedupe_by_fold([*self.ar, *self.ar_extra, *combined])


@dataclass(frozen=True, slots=True)
class Admin1Region:
    """An ACLED admin1 that groups several GeoNames admin1 units (Libya's East/West/South)."""

    country: str
    name: str
    ar_extra: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"admin1:{self.country}.{ascii_key(self.name)}"


@dataclass(slots=True)
class Admin1Table:
    """Lookups over lexicons/admin1.yml: code -> unit, any spelling -> ACLED name."""

    units: dict[tuple[str, str], Admin1Unit] = field(default_factory=dict)
    parents: dict[tuple[str, str], str] = field(default_factory=dict)
    unit_nouns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    regions: dict[str, list[Admin1Region]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    _spellings: dict[tuple[str, str], str] = field(default_factory=dict)
    _arabic: dict[tuple[str, str], str] = field(default_factory=dict)

    def lookup(self, country: str, code: str) -> Admin1Unit | None:
        """The unit of a GeoNames admin1 code, following a split wilaya to its parent."""
        code = self.parents.get((country, code), code)
        return self.units.get((country, code))

    def normalize(self, country: str, name: str | None) -> str | None:
        """ACLED's admin1 for any English or Arabic spelling; unknown names in ACLED style."""
        if not name or not name.strip():
            return None
        if is_arabic_name(name):
            return self._arabic.get((country, name_core(fold(name))))
        found = self._spellings.get((country, ascii_key(name)))
        return found or acled_style(name)

    def country_units(self, country: str) -> list[Admin1Unit]:
        return [u for (cc, _), u in sorted(self.units.items()) if cc == country]

    def countries(self) -> list[str]:
        return sorted(self.unit_nouns)


@cache
def load_admin1_table() -> Admin1Table:
    """Parse lexicons/admin1.yml once; errors name the file and the entry."""
    where = "lexicons/admin1.yml"
    table = Admin1Table()
    for country, spec in (load_yaml("admin1.yml") or {}).get("countries", {}).items():
        table.unit_nouns[country] = tuple(spec.get("unit_ar") or ())
        table.sources[country] = str(spec.get("source", ""))
        for region, rspec in (spec.get("regions") or {}).items():
            entry = Admin1Region(country, str(region), tuple(rspec.get("ar_extra") or ()))
            table.regions.setdefault(country, []).append(entry)
            table._spellings[(country, ascii_key(entry.name))] = entry.name
        for code, entry in (spec.get("admin1") or {}).items():
            _add_admin1_entry(table, country, str(code), entry or {}, where)
    return table


def _add_admin1_entry(table: Admin1Table, country: str, code: str, entry: dict[str, Any], where: str) -> None:
    if "parent" in entry:
        table.parents[(country, code)] = str(entry["parent"])
        return
    if not entry.get("name"):
        raise LexiconError(f"{where}: {country} admin1 {code!r} lacks 'name'")
    unit = Admin1Unit(
        country=country,
        code=code,
        name=str(entry["name"]),
        admin2=entry.get("admin2"),
        geonameid=int(entry["geonameid"]) if entry.get("geonameid") else None,
        ar=tuple(entry.get("ar") or ()),
        ar_unit=tuple(entry.get("ar_unit") or ()),
        ar_extra=tuple(entry.get("ar_extra") or ()),
        capital=int(entry["capital"]) if entry.get("capital") else None,
    )
    table.units[(country, code)] = unit
    if unit.admin2:  # Libya: spellings of the district resolve to its region
        return
    for spelling in (unit.name, entry.get("geonames"), entry.get("ocha"), *(entry.get("aliases") or ())):
        if spelling:
            table._spellings[(country, ascii_key(str(spelling)))] = unit.name
    for arabic in (*unit.ar, *unit.ar_unit, *unit.ar_extra):
        table._arabic[(country, name_core(fold(arabic)))] = unit.name


# --------------------------------------------------------------------------------------------
# Writing a source file
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one import did to one source file of the user's gazetteer."""

    source: str
    path: Path
    places: int
    added: int
    updated: int
    unchanged: int
    removed: int

    def summary(self) -> str:
        return (f"{self.source}: {self.places} places ({self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.removed} removed) -> {self.path}")


def place_line(place: Place) -> str:
    """One JSON line of a place: fields in model order, no nulls, Arabic kept as is."""
    return json.dumps(place.model_dump(mode="json", exclude_none=True), ensure_ascii=False, separators=(",", ":"))


def render_places(places: Iterable[Place]) -> str:
    """The text of a places file: one line per id, sorted by id (so a re-import is byte-identical)."""
    merged = merge_places(places)
    return "".join(place_line(merged[key]) + "\n" for key in sorted(merged))


def merge_places(places: Iterable[Place]) -> dict[str, Place]:
    """Places by id; a repeated id keeps its first record and gains the other's names."""
    merged: dict[str, Place] = {}
    for place in places:
        first = merged.get(place.id)
        if first is None:
            merged[place.id] = place
        else:
            merged[place.id] = first.model_copy(update={"names": dedupe_by_fold([*first.names, *place.names])})
    return merged


def write_places(source: str, places: Iterable[Place], folder: Path | None = None) -> ImportResult:
    """Write ``<gazetteer dir>/<source>.jsonl`` atomically and count what changed."""
    root = gazetteer_dir(folder)
    path = root / f"{source}.jsonl"
    text = render_places(places)
    new_lines = _lines_by_id(text)
    old_lines = _lines_by_id(path.read_text(encoding="utf-8")) if path.exists() else {}
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, text.encode("utf-8"))
    added = sum(1 for k in new_lines if k not in old_lines)
    updated = sum(1 for k, v in new_lines.items() if k in old_lines and old_lines[k] != v)
    removed = sum(1 for k in old_lines if k not in new_lines)
    return ImportResult(source, path, len(new_lines), added, updated, len(new_lines) - added - updated, removed)


def _lines_by_id(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        try:
            out[str(json.loads(line)["id"])] = line
        except (ValueError, KeyError, TypeError):
            continue
    return out


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def source_name(fmt: str, path: Path) -> str:
    """``<format>-<file stem>``, with characters unsafe in file names replaced."""
    stem = path.name
    for suffix in (".zip", ".gz", ".txt", ".csv", ".tsv"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return f"{fmt}-" + (re.sub(r"[^A-Za-z0-9_.-]+", "_", stem) or "table")


# --------------------------------------------------------------------------------------------
# Reading text files
# --------------------------------------------------------------------------------------------


@contextmanager
def open_text(path: Path) -> Iterator[io.TextIOBase]:
    """A UTF-8 text stream of `path`, or of the matching ``.txt`` inside a ``.zip`` (GeoNames ships
    zips); a BOM is dropped. Errors name the file."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                member = _zip_member(archive, path)
                with archive.open(member) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            return
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield handle
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(str(path), "is a folder, not a file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start}: {exc.reason})") from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(str(path), f"cannot be read ({exc})") from exc


def _zip_member(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".txt") and "readme" not in n.lower()]
    wanted = path.name[: -len(".zip")] + ".txt" if path.name.lower().endswith(".zip") else ""
    for name in names:
        if Path(name).name == wanted:
            return name
    if len(names) == 1:
        return names[0]
    raise InputError(str(path), f"zip holds {len(names)} .txt files; expected one (found {names[:5]})")


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows (with their line numbers) of a CSV/TSV table; HXL tag rows are skipped."""
    with open_text(path) as handle:
        try:
            text = handle.read()
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"not UTF-8 text (byte {exc.start}: {exc.reason})") from exc
    if not text.strip():
        raise InputError(str(path), "empty file")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if all(v.strip().startswith("#") for v in values if v.strip()):
                continue  # HDX's HXL hashtag row
            if len(values) > len(header):
                raise InputError(f"{path}:{reader.line_num}", f"{len(values)} fields, header has {len(header)}")
            rows.append((reader.line_num, {h: (v.strip() if v else "") for h, v in zip(header, values)}))
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}", f"bad CSV ({exc})") from exc
    return header, rows


def _columns(header: Sequence[str]) -> dict[str, str]:
    """Lower-cased column name -> the column as written."""
    return {h.lower(): h for h in header if h}


def _first_column(cols: dict[str, str], *candidates: str) -> str | None:
    for name in candidates:
        if name in cols:
            return cols[name]
    return None


def _coordinate(row: dict[str, str], column: str | None, path: Path, line: int, limit: float) -> float | None:
    """A latitude/longitude cell: empty -> None, anything else must be a number within ±limit."""
    if column is None:
        return None
    raw = row.get(column, "").strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", ".")) if raw.count(",") == 1 and "." not in raw else float(raw)
    except ValueError as exc:
        raise InputError(f"{path}:{line}", f"column '{column}': {raw!r} is not a number") from exc
    if not -limit <= value <= limit:
        raise InputError(f"{path}:{line}", f"column '{column}': {value} is out of range (±{limit:g})")
    return round(value, 6)


def _population(row: dict[str, str], column: str | None, path: Path, line: int) -> int | None:
    if column is None:
        return None
    raw = row.get(column, "").strip().replace(",", "").replace(" ", "")
    if not raw:
        return None
    try:
        return max(0, int(float(raw)))
    except ValueError as exc:
        raise InputError(f"{path}:{line}", f"column '{column}': {raw!r} is not a population count") from exc


def _country_code(value: str | None) -> str | None:
    """ISO alpha-2 from a country code or a P-code ("SY0902" -> "SY", "IQG09" -> "IQ")."""
    if not value:
        return None
    letters = re.match(r"[A-Za-z]{2}", value.strip())
    return letters.group(0).upper() if letters else None


# --------------------------------------------------------------------------------------------
# GeoNames dumps
# --------------------------------------------------------------------------------------------

GEONAMES_COLUMNS = 19
# alternateNamesV2 languages that are Arabic (MSA and the dialects GeoNames tags).
ARABIC_LANGUAGES = frozenset({
    "ar", "arz", "ary", "arq", "apc", "acm", "ajp", "aeb", "afb", "ayl", "apd", "acw", "acx",
    "ayp", "ars", "ayn", "ayh", "abv", "shu", "ssh", "acq", "adf", "aao", "auz", "avl", "pga",
})
_ADMIN_FEATURES = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "ADM4": "admin4"}
_LAND_FEATURES = {"OILF": "site", "GASF": "site", "INDS": "site", "MILB": "site", "RGN": "region",
                  "AREA": "region", "CMPRF": "site", "PRT": "site"}
_TERRAIN_FEATURES = {"MT": "site", "MTS": "site", "HLL": "site", "HLLS": "site", "PASS": "site"}


def geonames_feature(feature_class: str, feature_code: str, population: int | None) -> str | None:
    """rasd's feature for a GeoNames class/code, or None for kinds a news gazetteer does not need
    (streams, wells, forests, ...)."""
    if feature_class == "P":
        return "neighbourhood" if feature_code == "PPLX" else feature_for_population(population)
    if feature_class == "A":
        return _ADMIN_FEATURES.get(feature_code)
    if feature_class == "S":
        return "site"
    if feature_class == "L":
        return _LAND_FEATURES.get(feature_code)
    if feature_class == "T":
        return _TERRAIN_FEATURES.get(feature_code)
    return None


@dataclass(slots=True)
class _GeoRow:
    geonameid: str
    name: str
    asciiname: str
    alternates: list[str]
    latitude: float
    longitude: float
    feature: str
    feature_code: str
    country: str
    admin1: str
    admin2: str
    population: int | None


def _classify_geonames(path: Path) -> str:
    """'dump' (19 columns), 'alternates' (alternateNamesV2: 10, older: 8) or 'codes' (4)."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            count = len(line.rstrip("\r\n").split("\t"))
            kinds = {GEONAMES_COLUMNS: "dump", 10: "alternates", 8: "alternates", 4: "codes"}
            if count in kinds:
                return kinds[count]
            raise InputError(f"{path}:{number}", f"{count} tab-separated columns; expected a GeoNames dump "
                             f"({GEONAMES_COLUMNS}), alternateNamesV2 (10) or admin1CodesASCII (4)")
    raise InputError(str(path), "empty file")


def _read_geonames_dump(path: Path, country: str | None) -> Iterator[_GeoRow]:
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != GEONAMES_COLUMNS:
                raise InputError(f"{path}:{number}", f"{len(cols)} tab-separated columns, expected {GEONAMES_COLUMNS}")
            if cols[0] == "geonameid":
                continue  # a header line some exports add
            row = _geo_row(cols, path, number)
            if row is not None and (country is None or row.country == country):
                yield row


def _geo_row(cols: list[str], path: Path, number: int) -> _GeoRow | None:
    if not cols[0].isdigit():
        raise InputError(f"{path}:{number}", f"column 1 (geonameid): {cols[0]!r} is not a number")
    try:
        lat, lon = float(cols[4]), float(cols[5])
    except ValueError as exc:
        raise InputError(f"{path}:{number}", f"columns 5-6 (latitude, longitude): {cols[4]!r}, {cols[5]!r} are not numbers") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"{path}:{number}", f"columns 5-6: ({lat}, {lon}) is out of range")
    try:
        population = int(cols[14]) if cols[14].strip() else None
    except ValueError as exc:
        raise InputError(f"{path}:{number}", f"column 15 (population): {cols[14]!r} is not a number") from exc
    feature = geonames_feature(cols[6], cols[7], population)
    if feature is None:
        return None
    alternates = [a for a in cols[3].split(",") if a]
    return _GeoRow(cols[0], cols[1], cols[2], alternates, round(lat, 6), round(lon, 6), feature, cols[7],
                   cols[8].upper(), cols[10], cols[11], population)


@dataclass(slots=True)
class _AltName:
    name: str
    preferred: bool


def _read_alternate_names(path: Path, wanted: set[str]) -> dict[str, list[_AltName]]:
    """Arabic names of the wanted geonameids; the file is streamed (the full one is ~700 MB)."""
    found: dict[str, list[_AltName]] = {}
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) < 4:
                if line.strip():
                    raise InputError(f"{path}:{number}", f"{len(parts)} tab-separated columns, expected 10")
                continue
            if parts[1] not in wanted or parts[2].lower() not in ARABIC_LANGUAGES:
                continue
            if not is_arabic_name(parts[3]):
                continue
            historic = len(parts) > 7 and parts[7] == "1"
            if historic:
                continue
            preferred = len(parts) > 4 and parts[4] == "1"
            found.setdefault(parts[1], []).append(_AltName(parts[3].strip(), preferred))
    return found


def _read_admin_codes(path: Path) -> dict[str, str]:
    """admin1CodesASCII / admin2Codes: "SY.07" or "SY.07.123" -> English name."""
    codes: dict[str, str] = {}
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            parts = line.rstrip("\r\n").split("\t")
            if not line.strip():
                continue
            if len(parts) != 4:
                raise InputError(f"{path}:{number}", f"{len(parts)} tab-separated columns, expected 4")
            codes[parts[0]] = parts[2] or parts[1]
    return codes


def import_geonames(paths: Sequence[Path], country: str | None = None, folder: Path | None = None) -> list[ImportResult]:
    """Import GeoNames dump files (one output per dump), with Arabic names from any
    alternateNamesV2 file and admin names from admin1CodesASCII/admin2Codes given alongside."""
    kinds = {path: _classify_geonames(path) for path in paths}
    dumps = [p for p, k in kinds.items() if k == "dump"]
    if not dumps:
        raise InputError(str(paths[0]), "no GeoNames dump (19-column file such as SY.txt) among the inputs")
    codes: dict[str, str] = {}
    for path in (p for p, k in kinds.items() if k == "codes"):
        codes.update(_read_admin_codes(path))
    rows_by_dump = {path: list(_read_geonames_dump(path, country)) for path in dumps}
    wanted = {row.geonameid for rows in rows_by_dump.values() for row in rows}
    alternates: dict[str, list[_AltName]] = {}
    for path in (p for p, k in kinds.items() if k == "alternates"):
        for gid, names in _read_alternate_names(path, wanted).items():
            alternates.setdefault(gid, []).extend(names)
    for rows in rows_by_dump.values():  # ADM1/ADM2 rows name the codes a dump uses
        for row in rows:
            if row.feature_code in ("ADM1", "ADM2"):
                key = f"{row.country}.{row.admin1}" + (f".{row.admin2}" if row.feature_code == "ADM2" else "")
                codes.setdefault(key, row.asciiname or row.name)
    results = []
    for path, rows in rows_by_dump.items():
        places = [_geonames_place(row, alternates.get(row.geonameid, []), codes, path) for row in rows]
        results.append(write_places(source_name("geonames", path), places, folder))
    return results


def _geonames_place(row: _GeoRow, alternates: list[_AltName], codes: dict[str, str], path: Path) -> Place:
    table = load_admin1_table()
    unit = table.lookup(row.country, row.admin1)
    admin1 = unit.name if unit else table.normalize(row.country, codes.get(f"{row.country}.{row.admin1}"))
    admin2 = unit.admin2 if unit and unit.admin2 else None
    if admin2 is None and row.admin2:
        named = codes.get(f"{row.country}.{row.admin1}.{row.admin2}")
        admin2 = acled_style(named) if named else None
    english = english_name(row.asciiname or row.name)
    if row.feature == "admin1":
        admin1 = unit.name if unit else table.normalize(row.country, english)
    elif row.feature == "admin2" and not (unit and unit.admin2):
        admin2 = acled_style(english)
    preferred = [a.name for a in alternates if a.preferred]
    arabic = [*preferred, *(a.name for a in alternates), *row.alternates]
    primary = preferred[0] if preferred else None
    latin = [row.name, row.asciiname, *(a for a in row.alternates if not is_arabic_name(a))]
    return make_place(
        id=f"gn:{row.geonameid}", english=english, arabic=arabic, country=row.country,
        latitude=row.latitude, longitude=row.longitude, feature=row.feature, admin1=admin1, admin2=admin2,
        population=row.population, source=f"GeoNames {row.geonameid} ({path.name})",
        albu=has_albu_evidence(latin), primary=primary,
    )


# --------------------------------------------------------------------------------------------
# OCHA COD tables (HDX)
# --------------------------------------------------------------------------------------------

_LAT_COLUMNS = ("center_lat", "latitude", "lat", "y_coord", "ycoord", "y", "point_y", "centroid_y", "lat_y", "centroid_lat")
_LON_COLUMNS = ("center_lon", "longitude", "lon", "long", "lng", "x_coord", "xcoord", "x", "point_x", "centroid_x", "lon_x", "centroid_lon")
_LEVEL_COLUMNS = ("admin_leve", "admin_level", "adm_level", "adm_p_lvl", "level")
_PLACE_NAME_COLUMNS = ("name_en", "name", "featurename", "name_eng", "pplname", "neighborho")
_PLACE_AR_COLUMNS = ("name_ar", "name1", "name_1", "name2", "name_2", "name3", "name_3", "featurename_ar", "neighbor_1")
_PLACE_PCODE_COLUMNS = ("pcode", "loc_pcode", "p_code", "ppl_pcode", "neighbor_2")
_POPULATION_COLUMNS = ("population", "pop", "total_pop", "pop_total")
_ADMIN_FEATURE = {1: "admin1", 2: "admin2", 3: "admin3", 4: "village"}


@dataclass(frozen=True, slots=True)
class _LevelColumns:
    """The columns that describe one admin level in an OCHA table."""

    english: str | None
    arabic: tuple[str, ...]
    pcode: str | None


def _level_columns(cols: dict[str, str], n: int) -> _LevelColumns:
    english = _first_column(cols, f"adm{n}_en", f"adm{n}_name", f"admin{n}name_en", f"adm{n}_name_en",
                            f"admin{n}_name_en", f"adm{n}name_en", f"adm{n}name")
    arabic_candidates = (f"adm{n}_ar", f"admin{n}name_ar", f"adm{n}_name_ar", f"admin{n}_name_ar", f"adm{n}name_ar",
                         f"adm{n}_name1", f"adm{n}_name2", f"adm{n}_name3", f"adm{n}alt1_ar", f"adm{n}alt2_ar",
                         f"admin{n}altname1_ar", f"admin{n}altname2_ar", f"adm{n}_alt1_ar", f"adm{n}_alt2_ar")
    arabic = tuple(cols[c] for c in arabic_candidates if c in cols)
    pcode = _first_column(cols, f"adm{n}_pcode", f"admin{n}pcode", f"adm{n}pcode", f"admin{n}_pcode", f"adm{n}_code")
    return _LevelColumns(english, arabic, pcode)


@dataclass(frozen=True, slots=True)
class _OchaLayout:
    kind: str  # "admin", "points", "capitals", "places"
    level: int  # admin tables: the table's level
    levels: dict[int, _LevelColumns]
    name: str | None
    arabic: tuple[str, ...]
    pcode: str | None
    level_column: str | None
    lat: str | None
    lon: str | None
    population: str | None
    country: str | None


def _ocha_layout(header: Sequence[str], path: Path) -> _OchaLayout:
    cols = _columns(header)
    levels = {n: _level_columns(cols, n) for n in range(0, 5)}
    lat, lon = _first_column(cols, *_LAT_COLUMNS), _first_column(cols, *_LON_COLUMNS)
    country = _first_column(cols, "adm0_pcode", "admin0pcode", "adm0_code", "iso2", "iso")
    level_column = _first_column(cols, *_LEVEL_COLUMNS)
    name = _first_column(cols, *_PLACE_NAME_COLUMNS)
    arabic = tuple(cols[c] for c in _PLACE_AR_COLUMNS if c in cols)
    pcode = _first_column(cols, *_PLACE_PCODE_COLUMNS)
    population = _first_column(cols, *_POPULATION_COLUMNS)
    common = dict(levels=levels, lat=lat, lon=lon, population=population, country=country)
    if level_column and name:
        kind = "capitals" if level_column.lower() == "adm_p_lvl" else "points"
        return _OchaLayout(kind, 0, name=name, arabic=arabic, pcode=pcode, level_column=level_column, **common)
    if name and (pcode or "neighborho" in cols):
        return _OchaLayout("places", 0, name=name, arabic=arabic, pcode=pcode, level_column=None, **common)
    for n in (4, 3, 2, 1):
        if levels[n].pcode and (levels[n].english or levels[n].arabic):
            return _OchaLayout("admin", n, name=None, arabic=(), pcode=None, level_column=None, **common)
    raise InputError(str(path), "not an OCHA COD table: no ADMn_EN/ADMn_AR/ADMn_PCODE (or adm{n}_name/"
                     f"adm{{n}}_name1/adm{{n}}_pcode) columns and no populated-place columns; columns: {list(header)[:12]}")


def import_ocha(paths: Sequence[Path], country: str | None = None, folder: Path | None = None) -> list[ImportResult]:
    """Import OCHA COD administrative (levels 1-4) and populated-place tables as HDX publishes them."""
    results = []
    for path in paths:
        header, rows = _read_csv(path)
        layout = _ocha_layout(header, path)
        places = [p for line, row in rows if (p := _ocha_place(layout, row, path, line, country)) is not None]
        results.append(write_places(source_name("ocha", path), places, folder))
    return results


def _ocha_place(layout: _OchaLayout, row: dict[str, str], path: Path, line: int, country: str | None) -> Place | None:
    level, feature, english, arabic, pcode = _ocha_identity(layout, row, path, line)
    if level is None:
        return None
    if not pcode:
        raise InputError(f"{path}:{line}", "no P-code in the row")
    cc = country or _country_code(row.get(layout.country or "", "")) or _country_code(pcode)
    if not cc:
        raise InputError(f"{path}:{line}", f"cannot tell the country of P-code {pcode!r}; pass --country")
    if not english and not arabic:
        raise InputError(f"{path}:{line}", f"P-code {pcode}: no name")
    admins = _ocha_admins(layout, row, level, english, cc)
    lat = _coordinate(row, layout.lat, path, line, 90)
    lon = _coordinate(row, layout.lon, path, line, 180)
    population = _population(row, layout.population, path, line)
    if layout.kind == "places" and population:
        feature = feature_for_population(population)
    place_id = f"ocha:{pcode}:capital" if layout.kind == "capitals" else f"ocha:{pcode}"
    return make_place(
        id=place_id, english=english or "", arabic=arabic, country=cc, latitude=lat, longitude=lon,
        feature=feature, admin1=admins[0], admin2=admins[1], admin3=admins[2], population=population,
        source=f"OCHA COD {path.name} {pcode}",
    )


def _ocha_identity(layout: _OchaLayout, row: dict[str, str], path: Path, line: int
                   ) -> tuple[int | None, str, str, list[str], str]:
    """(level, feature, English name, Arabic names, P-code) of a row; level None skips the row."""
    if layout.kind == "admin":
        cols = layout.levels[layout.level]
        english = row.get(cols.english or "", "")
        arabic = [row.get(c, "") for c in cols.arabic]
        pcode = row.get(cols.pcode or "", "")
        if not (english or pcode or any(arabic)):
            return None, "", "", [], ""
        return layout.level, _ADMIN_FEATURE[layout.level], english, arabic, pcode
    english = row.get(layout.name or "", "")
    arabic = [row.get(c, "") for c in layout.arabic]
    if layout.kind == "places":
        feature = "neighbourhood" if (layout.name or "").lower() == "neighborho" else "village"
        return 5, feature, english, arabic, row.get(layout.pcode or "", "")
    raw_level = row.get(layout.level_column or "", "").strip()
    if not raw_level.isdigit():
        raise InputError(f"{path}:{line}", f"column '{layout.level_column}': {raw_level!r} is not an admin level")
    level = int(raw_level)
    own = layout.levels.get(level)
    pcode = (row.get(layout.pcode or "", "") or row.get(own.pcode or "", "")) if own else ""
    if layout.kind == "capitals":
        parent = layout.levels.get(level)
        pcode = row.get(layout.pcode or "", "") or (row.get(parent.pcode or "", "") if parent else "")
        return level, "city" if level <= 1 else "town", english, arabic, pcode
    if level == 0 or level > 4:
        return None, "", "", [], ""  # the country itself: countries.yml has it
    return level, _ADMIN_FEATURE[level], english, arabic, pcode


def _ocha_admins(layout: _OchaLayout, row: dict[str, str], level: int, english: str, country: str
                 ) -> tuple[str | None, str | None, str | None]:
    """admin1 (ACLED's name), admin2 and admin3 (ACLED style) from the parent columns and the row."""
    table = load_admin1_table()
    names: list[str | None] = []
    for n in (1, 2, 3):
        cols = layout.levels[n]
        value = row.get(cols.english or "", "") if cols.english else ""
        if not value and cols.arabic:
            value = next((row.get(c, "") for c in cols.arabic if row.get(c, "")), "")
        if layout.kind in ("admin", "points") and n == level:
            value = english or value
        names.append(value or None)
    admin1 = table.normalize(country, names[0])
    admin2 = acled_style(names[1]) if names[1] and not is_arabic_name(names[1]) else names[1]
    admin3 = acled_style(names[2]) if names[2] and not is_arabic_name(names[2]) else names[2]
    return admin1, admin2, admin3


# --------------------------------------------------------------------------------------------
# Any CSV with a column map
# --------------------------------------------------------------------------------------------

CSV_FIELDS = ("id", "name", "name_ar", "names", "latitude", "longitude", "country", "admin1", "admin2",
              "admin3", "feature", "population")
_FEATURES = frozenset({"admin1", "admin2", "admin3", "admin4", "city", "town", "village", "neighbourhood",
                       "site", "region", "camp"})


def parse_column_map(spec: str | None) -> dict[str, str]:
    """``name=name_en,name_ar=name_ar,latitude=lat`` -> {field: column}; unknown fields are a usage error."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise UsageError(f"--map: {part.strip()!r} is not FIELD=COLUMN")
        key, column = (s.strip() for s in part.split("=", 1))
        if key not in CSV_FIELDS:
            raise UsageError(f"--map: unknown field {key!r} (fields: {', '.join(CSV_FIELDS)})")
        if not column:
            raise UsageError(f"--map: field {key!r} has no column")
        mapping[key] = column
    return mapping


def import_csv(paths: Sequence[Path], mapping: dict[str, str], country: str | None = None,
               folder: Path | None = None) -> list[ImportResult]:
    """Import any table whose columns `mapping` names (``--map``)."""
    if "name" not in mapping and "name_ar" not in mapping:
        raise UsageError("--map must name a 'name' or 'name_ar' column")
    if "country" not in mapping and not country:
        raise UsageError("give --country CC or map a 'country' column")
    results = []
    for path in paths:
        header, rows = _read_csv(path)
        missing = [f"{k}={v}" for k, v in mapping.items() if v not in header]
        if missing:
            raise InputError(str(path), f"no column for {', '.join(missing)} (columns: {', '.join(header)})")
        places = [_csv_place(mapping, row, path, line, index, country) for index, (line, row) in enumerate(rows, 1)]
        results.append(write_places(source_name("csv", path), places, folder))
    return results


def _csv_place(mapping: dict[str, str], row: dict[str, str], path: Path, line: int, index: int,
               country: str | None) -> Place:
    def cell(key: str) -> str:
        return row.get(mapping[key], "").strip() if key in mapping else ""

    cc = country.upper() if country else _country_code(cell("country"))
    if not cc:
        raise InputError(f"{path}:{line}", f"column '{mapping.get('country')}': no country code")
    arabic = [n for key in ("name_ar", "names") for n in re.split(r"[|;]", cell(key)) if n.strip()]
    english = cell("name")
    if english.isupper():
        english = english.title()
    if not english and not arabic:
        raise InputError(f"{path}:{line}", "no name in the row")
    key = cell("id") or str(index)
    population = _population(row, mapping.get("population"), path, line)
    feature = cell("feature").lower()
    if feature not in _FEATURES:
        feature = feature_for_population(population)
    table = load_admin1_table()
    return make_place(
        id=f"csv:{source_name('csv', path)[4:]}:{key}", english=english_name(english) if english else "",
        arabic=arabic, country=cc,
        latitude=_coordinate(row, mapping.get("latitude"), path, line, 90),
        longitude=_coordinate(row, mapping.get("longitude"), path, line, 180),
        feature=feature, admin1=table.normalize(cc, cell("admin1")),
        admin2=acled_style(cell("admin2")) if cell("admin2") and not is_arabic_name(cell("admin2")) else cell("admin2"),
        admin3=acled_style(cell("admin3")) if cell("admin3") and not is_arabic_name(cell("admin3")) else cell("admin3"),
        population=population, source=f"CSV {path.name} row {key}",
    )


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def run_import(fmt: str, paths: Sequence[Path], country: str | None = None, mapping: dict[str, str] | None = None,
               folder: Path | None = None) -> list[ImportResult]:
    """Import `paths` in `fmt`, then drop the cached gazetteer so this process sees the new places
    (other processes read the files when they start)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    if not paths:
        raise UsageError("no file to import")
    cc = country.upper() if country else None
    if cc is not None and not re.fullmatch(r"[A-Z]{2}", cc):
        raise UsageError(f"--country: {country!r} is not an ISO 3166 alpha-2 code")
    if fmt == "geonames":
        results = import_geonames(paths, cc, folder)
    elif fmt == "ocha":
        results = import_ocha(paths, cc, folder)
    else:
        results = import_csv(paths, mapping or {}, cc, folder)
    load_gazetteer.cache_clear()
    return results
