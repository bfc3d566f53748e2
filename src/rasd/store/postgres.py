"""The PostgreSQL event store, for teams sharing one store (`--db postgresql://...`).

Same schema (the migrations of `rasd.store.migrations`, with PostgreSQL's spelling where it
differs), same SQL (`rasd.store.sql`), same behaviour as SQLite: one transaction per article,
writers serialised by a transaction-scoped advisory lock (so de-duplication never races),
readers never blocked. Needs psycopg 3: `pip install 'rasd[postgres]'`.

The location is a libpq URL, e.g. `postgresql://rasd:secret@db.example.org:5432/rasd`;
`postgres://` and SQLAlchemy's `postgresql+psycopg://` are accepted too. Parameters such as
`?sslmode=require` or `?options=-csearch_path%3Drasd` pass through to libpq. The password is
never shown in messages.
"""

from __future__ import annotations

import re
from typing import Any

from rasd.errors import StoreError
from rasd.store.migrations import WRITER_LOCK_KEY, migrate
from rasd.store.sql import Dialect, SQLStore

_CONNECT_TIMEOUT_S = 10
_DRIVER_SUFFIX = re.compile(r"^postgresql\+[a-z0-9_]+://", re.IGNORECASE)
_PASSWORD = re.compile(r"^([a-z0-9+]+://[^:/@]*):[^@/]*@", re.IGNORECASE)


def redact(url: str) -> str:
    """The URL with its password (if any) replaced by `***`, for messages."""
    return _PASSWORD.sub(r"\1:***@", url)


def connection_url(url: str) -> str:
    """The URL as libpq takes it (an SQLAlchemy-style `postgresql+driver://` prefix removed)."""
    return _DRIVER_SUFFIX.sub("postgresql://", url)


class PostgresDialect(Dialect):
    """PostgreSQL: `%s` placeholders, an advisory writer lock, lower() for any case, strpos()."""

    name = "postgresql"
    no_limit = None  # LIMIT NULL is no limit

    def __init__(self) -> None:
        import psycopg

        self.errors = (psycopg.Error,)

    def sql(self, statement: str) -> str:
        # The store's statements hold no `%` and no `?` inside literals.
        return statement.replace("?", "%s")

    def begin_write(self, conn: Any) -> None:
        conn.execute("BEGIN")
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK_KEY,))

    def in_transaction(self, conn: Any) -> bool:
        from psycopg.pq import TransactionStatus

        return conn.info.transaction_status != TransactionStatus.IDLE

    def ci(self, column: str) -> str:
        return f"lower({column})"

    def ci_param(self) -> str:
        return "lower(CAST(? AS TEXT))"

    def contains(self, haystack: str) -> str:
        return f"strpos({haystack}, CAST(? AS TEXT)) > 0"


class PostgresStore(SQLStore):
    """A Store in a PostgreSQL database (the tables live in the connection's search_path)."""

    def __init__(self, url: str) -> None:
        self.location = redact(url)
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                f"{self.location}: PostgreSQL needs psycopg 3: pip install 'rasd[postgres]'"
            ) from exc
        self._dialect = PostgresDialect()
        try:
            self._conn = psycopg.connect(
                connection_url(url), autocommit=True, connect_timeout=_CONNECT_TIMEOUT_S,
                application_name="rasd",
            )
        except psycopg.Error as exc:
            reason = " ".join(str(exc).split())
            raise StoreError(f"{self.location}: cannot connect to PostgreSQL ({reason})") from exc
        try:
            self.schema_version = migrate(self._conn, self.location, "postgresql")
        except BaseException:
            self._conn.close()
            raise


__all__ = ["PostgresDialect", "PostgresStore", "connection_url", "redact"]
