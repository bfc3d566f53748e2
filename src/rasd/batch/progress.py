"""A one-line progress bar on standard error: articles done, rate and time left.

Shown only when the stream is a terminal and from the second article on (CLI.md): a pipe or a
log file never gets carriage returns. The number of articles is counted ahead in a background
thread where that is cheap (lines of JSON Lines files, files of a folder); until it is known,
or for standard input, the bar shows the count and the rate without a time left.
"""

from __future__ import annotations

import gzip
import os
import threading
import time
from collections.abc import Sequence
from typing import TextIO

from rasd.io import STDIN, file_kind, walk_folder

_REDRAW_SECONDS = 0.2
_BAR_CELLS = 24


def count_articles(paths: Sequence[str]) -> int | None:
    """About how many articles `paths` hold (non-blank lines of JSON Lines files, one per other
    file); None when standard input is among them."""
    total = 0
    for path in paths or [STDIN]:
        if path == STDIN:
            return None
        if os.path.isdir(path):
            for found in walk_folder(path):
                if isinstance(found, str):
                    total += _count_file(found)
        elif os.path.exists(path):
            total += _count_file(path)
    return total


def _count_file(path: str) -> int:
    kind = file_kind(path)
    if kind not in ("jsonl", "jsonl.gz"):
        return 1
    try:
        with open(path, "rb") as raw:
            magic = raw.read(2)
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw) if magic == b"\x1f\x8b" else raw
            return sum(1 for line in stream if line.strip())
    except (OSError, EOFError, ValueError):
        return 0


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """Draws `done/total  [#####.....]  pct  N articles/s  ETA m:ss` on `stream`.

    `update()` after each article; `write()` prints a line (a problem report) above the bar;
    `close()` leaves a final summary line. Nothing is drawn for fewer than two articles.
    """

    def __init__(self, stream: TextIO, paths: Sequence[str] | None = None, total: int | None = None,
                 unit: str = "articles") -> None:
        self.stream = stream
        self.unit = unit
        self.total = total
        self.done = 0
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False
        # Counted from the first update on: by then a pool of worker processes has been forked
        # (forking while another thread runs is best avoided).
        self._to_count = list(paths) if total is None and paths is not None else None

    def _count(self, paths: list[str]) -> None:
        try:
            self.total = count_articles(paths)
        except Exception:  # noqa: BLE001 - the count is a nicety; no ETA without it
            self.total = None

    def update(self, count: int = 1) -> None:
        self.done += count
        if self._to_count is not None:
            threading.Thread(target=self._count, args=(self._to_count,), daemon=True).start()
            self._to_count = None
        now = time.monotonic()
        if self.done >= 2 and now - self._last_draw >= _REDRAW_SECONDS:
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self._start, 1e-9)
        rate = self.done / elapsed
        total = self.total
        if total is not None and total < self.done:
            total = None  # the count ahead was off (blank or broken lines): no ETA
        if total:
            share = self.done / total
            filled = int(share * _BAR_CELLS)
            bar = "#" * filled + "." * (_BAR_CELLS - filled)
            eta = _clock((total - self.done) / rate) if rate > 0 else "?"
            return f"{self.done}/{total} {self.unit} [{bar}] {share:4.0%}  {rate:,.0f} {self.unit}/s  ETA {eta}"
        return f"{self.done} {self.unit}  {rate:,.0f} {self.unit}/s  {_clock(elapsed)} elapsed"

    def _draw(self, now: float) -> None:
        self._last_draw = now
        self.stream.write("\r\x1b[K" + self.line(now))
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Take the bar off the screen (it is redrawn on the next update)."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
            self._last_draw = 0.0

    def write(self, message: str) -> None:
        """A line above the bar (the bar is redrawn on the next update)."""
        self.clear()
        self.stream.write(message + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Leave the final state of the bar on its own line (if it was ever shown)."""
        if self.done >= 2:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()


class AboveTheBar:
    """An output stream on the same terminal as the bar: the bar is taken off before each
    write, so that records scroll above it instead of being written over it."""

    def __init__(self, stream: TextIO, bar: ProgressBar) -> None:
        self.stream = stream
        self.bar = bar

    def write(self, text: str) -> int:
        self.bar.clear()
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()
