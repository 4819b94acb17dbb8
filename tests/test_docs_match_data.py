"""What ``data/README.md`` and ``data/SOURCES.md`` state, compared with the data
(issue 23: the December 2026 audit found six statements the data contradicted).

Each test reads a statement from the document and the data at test time, so a change to
either side that makes them disagree fails here, naming the statement. Only statements
that can be checked mechanically are checked; the README keeps such statements few.
"""

from __future__ import annotations

import csv
import json
import re

from mapping import cited, schema
from mapping.io import load_dataset
from tests.conftest import REPO_DATA

README = (REPO_DATA / "README.md").read_text(encoding="utf-8")
SOURCES = (REPO_DATA / "SOURCES.md").read_text(encoding="utf-8")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _bullet(title: str) -> str:
    """The README bullet that starts ``- **<title>``, up to the next bullet or heading."""
    found = re.search(rf"^- \*\*{re.escape(title)}.*?(?=^- |^#|\Z)", README, re.M | re.S)
    assert found, f"README has no bullet '{title}'"
    return " ".join(found.group(0).split())


def _section(text: str, heading: str) -> str:
    found = re.search(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", text, re.M | re.S)
    assert found, f"no section {heading!r}"
    return found.group(0)


def _places() -> list[dict]:
    doc = json.loads((REPO_DATA / "places.geojson").read_text(encoding="utf-8"))
    return [f["properties"] for f in doc["features"]]


def _settlements() -> list[dict]:
    return [p for p in _places() if p["kind"] == schema.PLACE_SETTLEMENT]


def _events() -> dict[str, dict[str, str]]:
    with (REPO_DATA / "events.csv").open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_populations_the_readme_quotes_are_the_data() -> None:
    text = _bullet("Populations:")
    by_name = {p["name"]: p for p in _settlements()}
    quoted = {
        name: (_number(figure), int(year))
        for name, figure, year in re.findall(r"(\w+) (\d{1,3}(?:,\d{3})*) \((\d{4})\)", text)
    }
    stored = {
        name: (p["population"], p["population_year"])
        for name, p in by_name.items()
        if p["population"] is not None
    }
    assert quoted == stored
    with_figure, total = map(int, re.search(r"(\d+) of the (\d+) settlements", text).groups())
    assert (with_figure, total) == (len(stored), len(by_name))


def test_the_disagreeing_figures_the_readme_quotes_are_in_the_notes_and_not_stored() -> None:
    text = _bullet("Sources that disagree.")
    by_name = {p["name"]: p for p in _settlements()}
    disputes = re.findall(r"(\w+) \((\d{4}): (\d{1,3}(?:,\d{3})*) or (\d{1,3}(?:,\d{3})*)", text)
    assert len(disputes) >= 2  # Perast and Prčanj, treated alike
    for name, year, first, second in disputes:
        props = by_name[name]
        assert props["population_year"] != int(year), name
        assert first in props["population_note"] and second in props["population_note"], name


def test_the_counts_the_readme_states_are_the_data() -> None:
    with (REPO_DATA / "event_categories.csv").open(encoding="utf-8") as fh:
        event_categories = list(csv.DictReader(fh))
    stated = int(re.search(r"the (\d+) categories of the\s+municipal", README).group(1))
    assert stated == len(event_categories)
    listed = re.search(r"^Venue categories:(.*?)\n\n", README, re.M | re.S)
    assert listed
    with (REPO_DATA / "categories.csv").open(encoding="utf-8") as fh:
        categories = {row["id"] for row in csv.DictReader(fh)}
    assert set(re.findall(r"`([a-z-]+)`", listed.group(1))) == categories


def test_the_dates_confirmed_statements_name_the_events_as_they_are() -> None:
    events = _events()
    checked = 0
    for sentence in re.split(r"\.\s", _bullet("Unconfirmed dates.")):
        flags = re.findall(r"`dates_confirmed = (true|false)`", sentence)
        pairs = re.findall(r"`([a-z0-9-]+)`\s*\((\d{1,2}) (\w+)\)", sentence)
        if not pairs:
            continue
        assert len(set(flags)) == 1, sentence  # one statement per sentence
        for event_id, day, month in pairs:
            row = events[event_id]
            assert row["dates_confirmed"] == flags[0], event_id
            assert row["start"][5:10] == f"{MONTHS.index(month) + 1:02d}-{int(day):02d}", event_id
            if flags[0] == "true":
                assert "T" not in row["start"], event_id  # a fixed day, no time
            checked += 1
    assert checked >= 5


def test_the_sea_rock_statement_is_the_record() -> None:
    assert "`sea-rock`" in _bullet("Sea Rock:")
    row = _events()["sea-rock"]
    assert row["recurrence"] == "" and row["dates_confirmed"] == "true"  # a one-off


def test_exact_venues_have_the_coordinates_their_source_gives() -> None:
    assert "`exact` only where a source gives its coordinates" in _bullet("location_precision.")
    venues = load_dataset(REPO_DATA, enrich=False).venues
    exact = venues[venues["location_precision"] == schema.PRECISION_EXACT]
    assert len(exact)
    missing = exact.loc[exact[cited.LAT].isna() | exact[cited.LON].isna(), "id"]
    assert list(missing) == []


def _known_names() -> set[str]:
    """Every field, id and vocabulary value a README sentence may name in backticks."""
    data = load_dataset(REPO_DATA, enrich=False)
    raw = json.loads((REPO_DATA / "venues.geojson").read_text(encoding="utf-8"))
    names = {"true", "false", "null"}
    for frame in (data.venues, data.events, data.places, data.categories):
        names |= {str(c) for c in frame.columns}
        names |= {str(i) for i in frame["id"]} if "id" in frame.columns else set()
    for feature in raw["features"]:
        names |= set(feature["properties"])
    for value in vars(schema).values():
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            names |= set(value)
    return names


def test_every_name_the_sources_and_honesty_section_uses_exists() -> None:
    section = _section(README, "## Sources and honesty")
    known = _known_names()
    unknown = []
    for token in re.findall(r"`([^`]+)`", section):
        parts = [p.strip() for p in re.split(r"[=:/]", token) if p.strip()]
        for part in parts:
            if part not in known and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
                unknown.append(token)
    assert unknown == []


def test_the_counts_of_the_third_audit_section_are_the_data() -> None:
    section = _section(SOURCES, "## Third audit (2026-12): places and documents")
    rows = {
        cells[0]: cells[1:]
        for cells in (
            [c.strip() for c in line.strip().strip("|").split("|")]
            for line in section.splitlines()
            if line.startswith("| ") and "---" not in line
        )
    }
    settlements = _settlements()
    populated = [p for p in settlements if p["population"] is not None]
    inside = [p for p in settlements if not p[schema.PLACE_OUTSIDE]]

    def after(label: str) -> str:
        return rows[label][-1]

    assert int(after("settlements")) == len(settlements)
    assert int(after("settlements with a population").split()[0]) == len(populated)
    years = re.findall(r"(\d{4}): (\d+)", after("settlements with a population"))
    assert {int(y): int(n) for y, n in years} == {
        y: sum(p["population_year"] == y for p in populated)
        for y in {p["population_year"] for p in populated}
    }
    inside_with, inside_total = re.findall(
        r"\d+", after("settlements of the municipality with a population")
    )
    assert (int(inside_with), int(inside_total)) == (
        sum(p["population"] is not None for p in inside),
        len(inside),
    )
    cited_rows = [k for k in rows if k.startswith("settlement points citing")]
    assert int(after(cited_rows[0])) == sum(bool(p["location_source"]) for p in settlements)


def test_every_place_id_the_third_audit_section_names_exists() -> None:
    text = _section(SOURCES, "## Third audit (2026-12): places and documents")
    ids = {p["id"] for p in _places()}
    named = set(re.findall(r"^- \*\*([a-z][a-z0-9-]*)\*\*", text, re.M))
    assert named <= ids
