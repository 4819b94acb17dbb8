"""The walk model is a seam: choosing another one in ``city.toml`` changes every minute.

The small fixture folder is copied with ``[walking] model = "street_grid"`` (east–west
plus north–south distance instead of the straight line; nothing else changes) and
compared with the original on every place that shows or uses walking minutes: Explore's
near list, For members' proximity, Planning's plan, and the ``gaps`` and ``report``
commands. No module but :mod:`mapping.distance` knows how either model walks.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from mapping import cli, explore, members
from mapping import coverage as cov
from mapping.io import Dataset, load_dataset
from mapping.query import VenueFilter
from mapping.text import escape
from tests.conftest import MINI, YEAR

GATE = (42.4247, 18.7702, "Sea Gate")  # the mini town's entry point
FAR = "atelier-seasonal"  # ~1.8 km north-west of the gate: the grid walks around the block
NEAR = "museum-sea"  # a minute from the Old Town, hours unknown: the heritage group's hope
NOON = datetime(YEAR, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Podgorica"))


def _grid_town(folder: Path) -> Path:
    toml = (folder / "city.toml").read_text(encoding="utf-8")
    assert "[walking]\n" in toml and "model" not in toml
    toml = toml.replace("[walking]\n", '[walking]\nmodel = "street_grid"\n')
    (folder / "city.toml").write_text(toml, encoding="utf-8")
    return folder


def _near_list_minutes(data: Dataset) -> int:
    """The minutes Explore's near list shows for :data:`FAR` ("≈ N min walk")."""
    listed, _ = explore.nearest_first(data, VenueFilter(), "en", GATE, True)
    entries = {e["id"]: e for e in explore.list_entries(listed, data, "en", NOON)}
    return int(re.findall(r"\d+", entries[FAR]["distance"])[0])


def _cli(*argv: str) -> None:
    assert cli.main(list(argv)) == 0


def test_a_second_walk_model_changes_the_minutes_everywhere(mini, mini_copy, tmp_path):
    grid_folder = _grid_town(mini_copy)
    line, grid = mini, load_dataset(grid_folder, year=YEAR)
    assert (line.city.walking_model, grid.city.walking_model) == ("straight_line", "street_grid")

    # Explore: the near list's "≈ N min walk"; a diagonal walk is longer on the grid.
    assert _near_list_minutes(grid) > _near_list_minutes(line)

    # For members: the minutes from each entry point to the venue.
    def from_gate(data: Dataset) -> float:
        rows = members.proximity(data, FAR, "en").entry_points.set_index("start")
        return float(rows.loc["gate", "minutes"])

    assert from_gate(grid) > from_gate(line) > 0

    # Planning: the settlement × venue minutes, and so what counts as covered.
    line_plan, grid_plan = cov.build_plan(line), cov.build_plan(grid)
    near = list(line_plan.venues["id"]).index(NEAR)
    line_min, grid_min = line_plan.minutes[0, near], grid_plan.minutes[0, near]
    assert grid_min > line_min
    threshold = (line_min + grid_min) / 2  # reached on the straight line, not on the grid
    assert cov.gaps(line_plan, (7,), threshold)["possible"].any()
    assert not cov.gaps(grid_plan, (7,), threshold)["possible"].any()

    # The gaps command: the same gap, possibly closed by the straight line only.
    selection = ["--month", "7", "--minutes", f"{threshold:.4f}"]
    for name, folder in (("line", MINI), ("grid", grid_folder)):
        out = str(tmp_path / f"{name}.csv")
        _cli("gaps", str(folder), *selection, "--format", "csv", "--out", out)
    line_gaps, grid_gaps = pd.read_csv(tmp_path / "line.csv"), pd.read_csv(tmp_path / "grid.csv")
    heritage = "group == 'heritage'"
    assert line_gaps.query(heritage)["possible"].tolist() == [True]
    assert grid_gaps.query(heritage)["possible"].tolist() == [False]

    # The report command: its CSV annex (the full gap list), the walk model in words in its
    # method box, and the reach it draws (circle vs the grid's diamond).
    for name, folder in (("line", MINI), ("grid", grid_folder)):
        html = tmp_path / f"{name}.html"
        _cli("report", str(folder), *selection, "--out", str(html))
    line_html = (tmp_path / "line.html").read_text(encoding="utf-8")
    grid_html = (tmp_path / "grid.html").read_text(encoding="utf-8")
    line_annex = pd.read_csv(tmp_path / "line-gaps.csv")
    grid_annex = pd.read_csv(tmp_path / "grid-gaps.csv")
    assert line_annex.query(heritage)["possible"].tolist() == [True]
    assert grid_annex.query(heritage)["possible"].tolist() == [False]
    line_words, grid_words = (escape(p.walk.describe("me")) for p in (line_plan, grid_plan))
    assert line_words != grid_words
    assert line_words in line_html and grid_words in grid_html
    assert '"r":' in line_html and '"p":[[' not in line_html
    assert '"p":[[' in grid_html and '"r":' not in grid_html
