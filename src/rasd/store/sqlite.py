"""The SQLite event store (stdlib sqlite3, WAL mode): a file, for one analyst or one machine.

All the store's SQL is shared with PostgreSQL in `rasd.store.sql`; this module opens the
file, checks it is a database, and sets WAL mode, which lets `serve` read while `ingest`
writes. The connection runs in autocommit mode and every write opens its own `BEGIN
IMMEDIATE` transaction, so a crash (even SIGKILL) loses at most the article being written,
never one committed before it.
"""

from __future__ import annotations

import os
import sqlite3

from rasd.errors import StoreError
from rasd.store.migrations import migrate
from rasd.store.sql import Dialect, SQLStore

_SQLITE_MAGIC = b"SQLite format 3\x00"
_MEMORY = ":memory:"
_BUSY_TIMEOUT_S = 30.0


class SQLiteDialect(Dialect):
    """SQLite: `?` placeholders, BEGIN IMMEDIATE, COLLATE NOCASE columns, instr()."""

    name = "sqlite"
    errors = (sqlite3.Error,)
    no_limit = -1


def _check_file(path: str) -> None:
    """Refuse a path that is not an SQLite database before sqlite3 gives a vaguer error."""
    if path == _MEMORY or path.startswith("file:"):
        return
    if os.path.isdir(path):
        raise StoreError(f"{path}: is a folder, not an SQLite database file")
    if not os.path.exists(path):
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise StoreError(f"{path}: cannot create the database (folder {parent} does not exist)")
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database ({exc.strerror or exc})") from exc
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path}: not an SQLite database (refusing to touch it)")


class SQLiteStore(SQLStore):
    """A Store in one SQLite file."""

    _dialect = SQLiteDialect()

    def __init__(self, path: str) -> None:
        self.location = path
        _check_file(path)
        try:
            self._conn = sqlite3.connect(
                path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, uri=path.startswith("file:")
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (the WAL is in
            # the OS's cache); only a power cut can lose the last few commits, never corrupt.
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self.schema_version = migrate(self._conn, path)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{path}: not a usable SQLite database ({exc})") from exc
        except StoreError:
            self._conn.close()
            raise


__all__ = ["SQLiteDialect", "SQLiteStore"]
