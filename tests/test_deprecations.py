"""No page calls a deprecated Streamlit API.

Streamlit does not raise its deprecations as Python warnings: ``show_deprecation_warning``
writes them to its own logger ``streamlit.deprecation_util`` (which does not propagate
to the root logger, so ``caplog`` never sees them) and, only when
``client.showErrorDetails`` is "full", also as an ``st.warning`` (ours is "none"); it
logs every one. This test listens on that logger, and on Python's warnings too, while
every page runs through AppTest with the parts that draw tables and charts, and asserts
that nothing was said.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from streamlit import deprecation_util
from streamlit.testing.v1 import AppTest

from mapping import clock
from tests.conftest import REPO_DATA, TESTS, YEAR, open_app_page

APP = REPO_DATA.parent / "app.py"
MEMBERS_FIXTURE = TESTS / "fixtures" / "members"
NOW = datetime(YEAR, 7, 15, 11, 0)
"""The town-local moment the pages run at: a summer weekday of the fixtures' year."""

PAGE_RUNS: list[tuple[str, Path, dict[str, str]]] = [
    ("pages/explore_page.py", REPO_DATA, {}),
    ("pages/explore_page.py", REPO_DATA, {"venue": "atelier-perast"}),
    ("pages/whats_on_page.py", REPO_DATA, {}),
    ("pages/planning_page.py", REPO_DATA, {}),
    ("pages/console_page.py", REPO_DATA, {}),  # signed out; signed in: test_page_console.py
    *(
        ("pages/members_page.py", MEMBERS_FIXTURE, {"venue": "gal-a", "part": part})
        for part in ("listing", "update", "event", "new", "overview")
    ),
]
"""Every page, and each part of the members' page (one part is drawn per run)."""


class _Collect(logging.Handler):
    """Keeps the text of every record it is handed."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _from_streamlit_or_us(filename: str) -> bool:
    """A warning raised in Streamlit or attributed to our pages and library (not, say,
    pyproj's on older NumPy, which pyproject.toml's filterwarnings names)."""
    path = Path(filename).resolve()
    if "streamlit" in path.parts:
        return True
    return path == APP or any(path.is_relative_to(APP.parent / d) for d in ("pages", "mapping"))


@pytest.fixture
def deprecations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every deprecation Streamlit reports while the test runs, as text."""
    # A warning given with show_once=True is said once per process: start afresh so one
    # said by an earlier test is still seen here.
    monkeypatch.setattr(deprecation_util, "_shown_warnings", set())
    monkeypatch.setattr(clock, "now", lambda tz: NOW.replace(tzinfo=ZoneInfo(tz)))
    logger = logging.getLogger(deprecation_util.__name__)
    handler = _Collect()
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield handler.messages
        handler.messages.extend(
            f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
            for w in caught
            if issubclass(w.category, DeprecationWarning | PendingDeprecationWarning)
            and _from_streamlit_or_us(w.filename)
        )
    finally:
        logger.removeHandler(handler)


def test_every_page_is_run() -> None:
    pages = {str(p.relative_to(APP.parent)) for p in APP.parent.glob("pages/*_page.py")}
    assert pages == {page for page, _, _ in PAGE_RUNS}


@pytest.mark.parametrize(
    ("page", "folder", "params"),
    PAGE_RUNS,
    ids=[f"{Path(p).stem}-{q.get('part', q.get('venue', 'default'))}" for p, _, q in PAGE_RUNS],
)
def test_page_uses_no_deprecated_streamlit_api(
    monkeypatch: pytest.MonkeyPatch,
    deprecations: list[str],
    page: str,
    folder: Path,
    params: dict[str, str],
) -> None:
    at = open_app_page(monkeypatch, page, folder, "en", timeout=90, **params)
    assert at.title, "the page drew nothing"  # it ran: open_app_page saw no exception
    assert deprecations == []


def _deprecated_call() -> None:
    """A script that uses a parameter Streamlit deprecates (AppTest runs its body alone,
    hence the imports inside)."""
    import pandas as pd
    import streamlit as st

    st.dataframe(pd.DataFrame({"a": [1]}), use_container_width=True)


def test_the_listener_hears_a_deprecated_call(deprecations: list[str]) -> None:
    """The check above can fail: a call Streamlit deprecates is heard."""
    AppTest.from_function(_deprecated_call).run()
    assert any("use_container_width" in m for m in deprecations), deprecations
