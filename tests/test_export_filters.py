"""``export``: the standalone HTML map is self-contained, and every format takes the
same filters (``--categories``, ``--members-only``, ``--lang``)."""

from __future__ import annotations

import csv
import json
import re

import pytest

from mapping.cli import main
from mapping.errors import DataError
from mapping.exporting import export_bytes, filter_venues
from mapping.io import load_dataset
from tests.conftest import MINI, YEAR


@pytest.fixture(scope="module")
def mini_data():
    return load_dataset(MINI, year=YEAR)


def test_html_is_self_contained(mini_data):
    html = export_bytes(mini_data, "html", lang="en")[0].decode("utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert "data:font/woff2;base64," in html
    assert "/app/static" not in html
    assert '<base target="_blank">' in html
    assert "Đurković Gallery" in html  # the English name in the payload


def test_same_filters_for_every_format(mini_data, tmp_path):
    members = filter_venues(mini_data, members_only=True)
    listed = set(mini_data.venues.loc[mini_data.venues["cluster"] != "", "id"])
    assert set(members["id"]) == listed and 0 < len(listed) < len(mini_data.venues)
    out = tmp_path / "v.geojson"
    assert (
        main(
            [
                "export",
                str(MINI),
                "--format",
                "geojson",
                "--categories",
                "atelier",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    ids = {f["properties"]["id"] for f in json.loads(out.read_text())["features"]}
    assert ids == {"atelier-seasonal", "atelier-perast"}
    out = tmp_path / "v.csv"
    assert main(["export", str(MINI), "--format", "csv", "--members-only", "--out", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        assert {r["id"] for r in csv.DictReader(fh)} == listed
    html, count = export_bytes(mini_data, "html", categories=["atelier"])
    assert count == 2 and b"atelier-perast" in html and b"gal-durkovic" not in html


def test_unknown_category_or_language_is_named(mini_data, capsys):
    with pytest.raises(DataError, match="unknown category 'nope'"):
        filter_venues(mini_data, ["nope"])
    assert main(["export", str(MINI), "--format", "html", "--lang", "xx", "--out", "-"]) == 1
    assert "unknown language 'xx'" in capsys.readouterr().err
