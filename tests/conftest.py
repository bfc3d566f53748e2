"""Shared fixtures: every test runs with an empty user data folder, so no imported gazetteer
on the developer's machine changes the results."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_DATA_DIR", str(tmp_path_factory.mktemp("rasd-data")))
