"""Shared fixtures: every test runs with an empty user data folder, so no imported gazetteer
on the developer's machine changes the results; `store_location` runs a store test against
each backend.

PostgreSQL: the tests use the server named by $RASD_TEST_POSTGRES (a libpq URL such as
`postgresql://postgres@127.0.0.1:5432/rasd_test`; `.ci/run` starts one and sets it). Each
test gets a schema of its own, dropped afterwards. Without the variable, without psycopg,
or when the server cannot be reached, the PostgreSQL cases are skipped, saying why, unless
$RASD_TEST_POSTGRES_REQUIRED=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

POSTGRES_ENV = "RASD_TEST_POSTGRES"
REQUIRED_ENV = "RASD_TEST_POSTGRES_REQUIRED"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_DATA_DIR", str(tmp_path_factory.mktemp("rasd-data")))


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRED_ENV) == "1":
        pytest.fail(f"PostgreSQL tests are required ({REQUIRED_ENV}=1) but {reason}")
    pytest.skip(f"PostgreSQL store tests skipped: {reason}")


_reachable: dict[str, str | None] = {}


def _admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        _unavailable(f"${POSTGRES_ENV} is not set (e.g. {POSTGRES_ENV}=postgresql://postgres@127.0.0.1:5432/rasd_test)")
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'rasd[postgres]')")
    if url not in _reachable:
        try:
            psycopg.connect(url, connect_timeout=5).close()
            _reachable[url] = None
        except psycopg.Error as exc:
            _reachable[url] = " ".join(str(exc).split())
    if _reachable[url] is not None:
        _unavailable(f"the server at ${POSTGRES_ENV} cannot be reached ({_reachable[url]})")
    return url


def with_search_path(url: str, schema: str) -> str:
    """`url` with libpq options that make `schema` the connection's search_path."""
    return f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose connections see an empty schema of their own (dropped afterwards)."""
    import psycopg

    admin = _admin_url()
    schema = f"rasd_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(admin, schema)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store location for each backend: an SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("postgres_url")
