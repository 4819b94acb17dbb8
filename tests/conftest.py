"""Shared fixtures: the small test data folder, broken variants of it, the repo data,
and the suite's "now" (see :data:`DEFAULT_NOW`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping.clock import NOW_ENV
from mapping.io import Dataset, load_dataset

TESTS = Path(__file__).parent
MINI = TESTS / "fixtures" / "mini"
BROKEN = TESTS / "broken"
REPO_DATA = TESTS.parent / "data"
SECOND_TOWN = TESTS / "fixtures" / "novo-izmisljeno"
"""A fictional Serbian-speaking town (Cyrillic, EPSG:31277, Europe/Belgrade): nothing
about Kotor may be needed to run it."""
YEAR = 2026
"""The calendar year the loaded fixtures' monthly hours describe: never "this year"."""

DEFAULT_NOW = "2026-12-07T10:00"
"""The suite's "now": Monday 7 December 2026, 10:00 town time (a value without an offset
is wall-clock time in the town's zone). The fixtures' events (December 2026, July 2027)
lie ahead of it. Every test runs at this moment unless the run or the test says otherwise."""
TEST_NOW_ENV = "CREATIVE_MAP_TEST_NOW"
"""Run the whole suite at another moment: ``CREATIVE_MAP_TEST_NOW=2031-03-15T10:00 pytest``.
Tests marked ``@pytest.mark.now(...)`` keep their own moment."""


def run_now() -> str:
    """The moment this run stands at: :data:`TEST_NOW_ENV` if set, else :data:`DEFAULT_NOW`."""
    return os.environ.get(TEST_NOW_ENV, "").strip() or DEFAULT_NOW


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``now`` marker; stop the clock at the run's moment before any fixture
    of any scope starts (an app server started for a session inherits it)."""
    config.addinivalue_line(
        "markers",
        "now(moment): the test's 'now' (ISO 8601, town time without an offset): for tests "
        "whose data only makes sense at that date; overrides CREATIVE_MAP_TEST_NOW",
    )
    os.environ[NOW_ENV] = run_now()


@pytest.fixture(autouse=True)
def frozen_now(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test sees one fixed "now" through :mod:`mapping.clock` (its one source is
    ``CREATIVE_MAP_NOW``, so AppTest runs, CLI subprocesses and app servers see it too):
    the test's ``@pytest.mark.now(...)`` if it has one, else the run's moment. A server
    started by a session fixture keeps the run's moment (it started before the test)."""
    marker = request.node.get_closest_marker("now")
    moment = str(marker.args[0]) if marker else run_now()
    monkeypatch.setenv(NOW_ENV, moment)
    return moment


def writable_copy(source: Path, target: Path, *from_repo_data: str) -> Path:
    """A writable copy of ``source`` at ``target``, with the named files (e.g. the full
    ``categories.csv``) taken from the repo's ``data/``."""
    shutil.copytree(source, target)
    for name in from_repo_data:
        shutil.copyfile(REPO_DATA / name, target / name)
    return target


@pytest.fixture(autouse=True, scope="session")
def _members_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test (and every app server a test starts) writes usage counts and
    suggestions to a throw-away SQLite file, never to the repository's ``var/``."""
    import os

    from mapping.store import DB_ENV_VAR

    os.environ[DB_ENV_VAR] = str(tmp_path_factory.mktemp("members") / "members.sqlite")


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the small valid data folder."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def broken_folder(mini_copy: Path) -> Callable[[str, str], Path]:
    """The small folder with one file replaced by a file from ``tests/broken``."""

    def make(broken_name: str, replaces: str) -> Path:
        shutil.copyfile(BROKEN / broken_name, mini_copy / replaces)
        return mini_copy

    return make


@pytest.fixture(scope="session")
def mini() -> Dataset:
    """The small valid dataset, loaded once."""
    return load_dataset(MINI, year=YEAR)


@pytest.fixture(scope="session")
def kotor() -> Dataset:
    """The embedded Kotor dataset, loaded once."""
    return load_dataset(REPO_DATA, year=YEAR)


def open_app_page(
    monkeypatch: pytest.MonkeyPatch,
    page: str,
    folder: Path,
    lang: str,
    timeout: float = 60,
    **params: str,
) -> AppTest:
    """AppTest of ``app.py`` on ``folder``, switched to ``page`` with ``params``; no exception."""
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(folder))
    at = AppTest.from_file(str(REPO_DATA.parent / "app.py"), default_timeout=timeout)
    at.query_params.update({"lang": lang.upper(), **params})
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
