"""A corpus of damaged data folders: ``validate`` names each problem; what it accepts works.

The rule (issue 13): if ``python -m mapping validate DIR`` exits 0, every page and every
CLI command works on DIR. :mod:`tests.damage` builds the folders from the mini fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mapping.errors import DataError
from mapping.serving import load_served
from mapping.validate import validate_folder
from tests.conftest import MINI
from tests.damage import DAMAGED, EDGE_VALID, PROBLEM_LINE, exercise, make, run_cli


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_folder_is_refused_naming_file_record_field(tmp_path: Path, name: str):
    damage, expected = DAMAGED[name]
    folder = make(MINI, tmp_path / "data", damage)
    code, out = run_cli("validate", str(folder))
    lines = out.splitlines()
    assert code == 1, out
    assert lines and all(PROBLEM_LINE.match(line) for line in lines), out
    assert any(line.startswith(expected) for line in lines), out


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_the_app_serves_no_folder_validate_refuses(tmp_path: Path, name: str):
    """What loads is what validates (issue 25): the app's loader refuses each damaged
    folder with exactly the errors ``validate`` names."""
    folder = make(MINI, tmp_path / "data", DAMAGED[name][0])
    with pytest.raises(DataError) as refused:
        load_served(folder)
    assert [str(p) for p in refused.value.problems] == [str(p) for p in validate_folder(folder)]


@pytest.mark.parametrize("name", sorted(EDGE_VALID))
def test_accepted_folder_works_everywhere(tmp_path: Path, name: str):
    folder = make(MINI, tmp_path / "data", EDGE_VALID[name])
    code, out = run_cli("validate", str(folder))
    assert code == 0, out
    load_served(folder)  # and the app serves it
    exercise(folder, tmp_path)


APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.mark.parametrize(
    "name", ["control characters in text", "name with markup", "other metric crs", "no events"]
)
def test_accepted_folder_runs_both_pages(tmp_path: Path, monkeypatch, name: str):
    """A light page check (the page corpus itself is AppTest's own test files)."""
    from streamlit.testing.v1 import AppTest

    folder = make(MINI, tmp_path / "data", EDGE_VALID[name])
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    at.switch_page("pages/whats_on_page.py").run()
    assert not at.exception, at.exception
