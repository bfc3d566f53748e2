"""The one exception hierarchy of rasd.

    RasdError                  base: every error rasd raises on purpose
    ├── InputError             an article or file that cannot be read (names the input)
    ├── LexiconError           a knowledge file that does not validate (names file and entry)
    ├── StoreError             the event store cannot be opened, migrated or written
    ├── GoldError              a gold file for `rasd evaluate` that does not follow EVENT_SCHEMA.md
    └── UsageError             a bad option value (the CLI exits with status 2)
"""

from __future__ import annotations


class RasdError(Exception):
    """Base class of every error rasd raises on purpose."""


class InputError(RasdError):
    """An input that cannot be read; the message names the file, line or id and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class LexiconError(RasdError):
    """A knowledge file that does not validate."""


class StoreError(RasdError):
    """The event store cannot be opened, migrated or written."""


class GoldError(RasdError):
    """A gold file that does not follow EVENT_SCHEMA.md section 2."""


class UsageError(RasdError):
    """A bad option value given by the user."""
