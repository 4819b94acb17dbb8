"""Shared fixtures: the small test data folder, broken variants of it, the repo data,
and the suite's "now" (see :data:`DEFAULT_NOW`)."""

from __future__ import annotations

import os
import select
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping.clock import NOW_ENV
from mapping.io import Dataset, load_dataset
from mapping.store import DB_ENV_VAR, Location, Server
from tests.postgres import PgServer, running_server

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
    os.environ[DB_ENV_VAR] = str(tmp_path_factory.mktemp("members") / "members.sqlite")


BACKENDS = ("sqlite", "postgresql")
"""The members' database back-ends every store test runs against (``members_db``)."""


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the session (``tests/postgres.py``), started on first use."""
    with running_server() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The back-end of this run of the test: each store test runs once per back-end."""
    return str(request.param)


@pytest.fixture
def members_db(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Location:
    """A fresh members' database on this test's back-end (a SQLite file, or a new schema
    on the session's PostgreSQL server), also named by ``CREATIVE_MAP_DB`` for the CLI and
    the pages."""
    if backend == "sqlite":
        where: Location = tmp_path / "members.sqlite"
    else:
        server: PgServer = request.getfixturevalue("postgres_server")
        where = Server(server.new_schema())
    monkeypatch.setenv(DB_ENV_VAR, str(where) if isinstance(where, Path) else where.url)
    return where


UNPRIVILEGED_ID = 65534
"""The uid and gid permission tests drop to when the suite runs as root, as CI does
(Debian's ``nobody``/``nogroup``): root reads and writes whatever a file's mode says."""


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A fresh folder another user can be given (pytest's own folders for root sit in a
    folder closed to other users), removed after the test whatever modes it was left with."""
    folder = Path(tempfile.mkdtemp(prefix="kcm-test-"))
    yield folder
    folder.chmod(0o755)
    for parent, names, _ in os.walk(folder):
        for name in names:
            (Path(parent) / name).chmod(0o755)  # before the walk opens it
    shutil.rmtree(folder)


def run_unprivileged(check: Callable[[], None], owned: Path, timeout_s: float = 120) -> None:
    """Run ``check`` as a user whom file modes bind: here, for a normal user; as root, in a
    forked child that becomes :data:`UNPRIVILEGED_ID` after ``owned`` (an :func:`open_tmp`
    folder, filled by the test) is handed to it.

    The child does not exec: it keeps the interpreter and the modules already imported,
    so nothing needs to be readable to that user but ``owned`` and what ``check`` reads.
    A failure in the child (its traceback) or a child still running after ``timeout_s``
    fails the test.
    """
    if os.geteuid() != 0:
        check()
        return
    for path in [owned, *owned.rglob("*")]:
        os.chown(path, UNPRIVILEGED_ID, UNPRIVILEGED_ID, follow_symlinks=False)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: reports through the pipe and never returns into pytest
        os.close(read_end)
        status = 0
        try:
            os.setgroups([])
            os.setgid(UNPRIVILEGED_ID)
            os.setuid(UNPRIVILEGED_ID)
            check()
        except BaseException:
            os.write(write_end, traceback.format_exc().encode())
            status = 1
        os._exit(status)
    os.close(write_end)
    report, deadline = b"", time.monotonic() + timeout_s
    with os.fdopen(read_end, "rb") as pipe:
        while select.select([pipe], [], [], max(0.0, deadline - time.monotonic()))[0]:
            chunk = os.read(pipe.fileno(), 65536)
            if not chunk:
                break
            report += chunk
        else:
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        pytest.fail(
            f"as uid {UNPRIVILEGED_ID} (exit status {status}, timeout {timeout_s} s):\n"
            + report.decode(errors="replace")
        )


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
