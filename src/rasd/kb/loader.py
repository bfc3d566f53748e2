"""Read the packaged knowledge files once; every lexicon goes through here."""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rasd.errors import LexiconError

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def lexicon_path(name: str) -> Path:
    """Path of a packaged lexicon file, e.g. ``lexicon_path("actors.yml")``."""
    return Path(str(resources.files("rasd") / "lexicons" / name))


@cache
def load_yaml(name: str) -> Any:
    """Parse a packaged YAML lexicon; errors name the file.

    The parsed form is kept between runs (see `_cache_file`): parsing the largest lexicons
    costs tens of milliseconds at every start of `rasd`, loading them back a few.
    """
    path = lexicon_path(name)
    try:
        cached = _cache_file(path)
    except OSError as exc:
        raise LexiconError(f"{path}: cannot load lexicon ({exc})") from exc
    data = _read_cache(cached)
    if data is not _MISSING:
        return data
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot load lexicon ({exc})") from exc
    _write_cache(cached, data)
    return data


# --------------------------------------------------------------------------- parse cache

_CACHE_FORMAT = 1  # change to invalidate every cached lexicon
_MISSING = object()


def cache_dir() -> Path:
    """Where parsed lexicons are kept between runs: $RASD_CACHE_DIR, else `cache` in the data folder."""
    env = os.environ.get("RASD_CACHE_DIR")
    return Path(env) if env else data_dir() / "cache"


def _cache_file(path: Path) -> Path:
    """The cache entry of a lexicon file, named by everything that could change its content
    (path, size, modification time, inode, the YAML library's version)."""
    stat = path.stat()
    key = f"{_CACHE_FORMAT}|{yaml.__version__}|{path}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}"
    return cache_dir() / f"{path.stem}-{hashlib.sha1(key.encode()).hexdigest()[:16]}.pickle"


def _read_cache(cached: Path) -> Any:
    try:
        with cached.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing, unreadable or stale: parse the YAML instead
        return _MISSING


def _write_cache(cached: Path, data: Any) -> None:
    """Write atomically (other processes may read it meanwhile) and drop older entries of the
    same lexicon; a folder that cannot be written only means no cache."""
    stem = cached.name.rsplit("-", 1)[0]
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cached)
        for old in cached.parent.glob(f"{stem}-*.pickle"):
            if old != cached and old.name.rsplit("-", 1)[0] == stem:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def data_dir() -> Path:
    """The user's rasd data folder ($RASD_DATA_DIR, else the platform's user data folder)."""
    env = os.environ.get("RASD_DATA_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rasd"


def require(entry: dict[str, Any], key: str, where: str) -> Any:
    """A mandatory field of a lexicon entry, with an error naming the file and entry."""
    if key not in entry or entry[key] in (None, ""):
        raise LexiconError(f"{where}: entry {entry.get('id', entry)!r} lacks '{key}'")
    return entry[key]
