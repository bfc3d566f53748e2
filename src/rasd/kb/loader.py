"""Read the packaged knowledge files once; every lexicon goes through here."""

from __future__ import annotations

import os
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
    """Parse a packaged YAML lexicon; errors name the file."""
    path = lexicon_path(name)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot load lexicon ({exc})") from exc


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
