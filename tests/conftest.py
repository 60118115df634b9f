"""Shared test set-up: the store of saved work is a temporary SQLite file, never the user's own
(the app keeps each session's work there; tests that need a particular database pass its URL)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _temporary_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_DB_URL", f"sqlite:///{folder / 'planner.db'}")
        yield
