"""Exports stay exact and safe: hostile text (CR, NUL, ESC, bidi marks, surrounding
whitespace…) through the venue CSV/GeoJSON, the events CSV, the .ics and the terminal.

What each output promises (README "Exports"):

- the loader trims surrounding whitespace from text fields (the one normalisation);
- CSV and GeoJSON then carry every value byte-exact (CSV: RFC 4180, CRLF);
- iCalendar removes control characters and turns line breaks into spaces (one-line
  fields) or ``\\n`` (DESCRIPTION) — :func:`mapping.calendar.ics_text`;
- terminal text shows control characters as escapes (:func:`mapping.cli.terminal_text`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import icalendar
import ics
import pandas as pd
import pytest

from mapping.calendar import ics_text
from mapping.cli import main, terminal_text
from mapping.io import load_dataset

HOSTILE = [
    "Bare\rCR",
    "Line\nfeed and CR\r\nLF",
    "NUL\x00byte",
    "ESC\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "BEL\x07 DEL\x7f C1-CSI\x9b2J",
    "bidi \u202eevil\u202c \u200fRLM\u200e \u2066iso\u2069",
    "  surrounding spaces\t ",
    'quote " and , comma; semicolon\\backslash',
    "Đurković — 日本 🎭 \u2028LS\u2029PS",
    '=HYPERLINK("x")',
]
"""Names and titles that broke or dirtied an output; the loader strips only their ends."""

CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile(mini_copy: Path) -> Path:
    """The mini folder with one venue and one event per hostile text."""
    doc = json.loads((mini_copy / "venues.geojson").read_text(encoding="utf-8"))
    template = doc["features"][0]
    features = []
    for k, text in enumerate(HOSTILE):
        feature = json.loads(json.dumps(template))
        props = feature["properties"]
        props.update(id=f"v{k}", name=text, name_en=text, description_en=text, address=text)
        features.append(feature)
    doc["features"] = features
    (mini_copy / "venues.geojson").write_text(json.dumps(doc), encoding="utf-8")
    header = [
        "id",
        "title",
        "title_en",
        "description_en",
        "category",
        "venue_id",
        "start",
        "end",
        "dates_confirmed",
        "organiser",
        "source",
    ]
    with (mini_copy / "events.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for k, text in enumerate(HOSTILE):
            writer.writerow(
                [
                    f"e{k}",
                    text,
                    text,
                    text,
                    "exhibition",
                    f"v{k}",
                    f"2026-12-{k + 1:02d}T18:00",
                    f"2026-12-{k + 1:02d}T20:00",
                    "true",
                    text,
                    "test",
                ]
            )
    return mini_copy


def _loaded(text: str) -> str:
    return text.strip()


def test_loader_keeps_text_but_for_surrounding_whitespace(hostile: Path):
    dataset = load_dataset(hostile, year=2026)
    assert list(dataset.venues["name"]) == [_loaded(t) for t in HOSTILE]
    assert list(dataset.events["title"]) == [_loaded(t) for t in HOSTILE]  # CR stays CR


def test_venue_csv_round_trips_exactly(hostile: Path, tmp_path: Path):
    out = tmp_path / "venues.csv"
    assert main(["export", str(hostile), "--format", "csv", "--out", str(out)]) == 0
    data = out.read_bytes()
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = [_loaded(t) for t in HOSTILE]
    assert [r["name"] for r in rows] == expected
    assert [r["address"] for r in rows] == expected
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame["name"]) == expected and list(frame["description_en"]) == expected
    # written again from what was read: the same bytes
    again = io.StringIO(newline="")
    writer = csv.writer(again, lineterminator="\r\n")
    writer.writerow(rows[0].keys())
    writer.writerows(r.values() for r in rows)
    assert again.getvalue().encode("utf-8") == data


def test_venue_geojson_round_trips_exactly(hostile: Path, tmp_path: Path):
    out = tmp_path / "venues.geojson"
    assert main(["export", str(hostile), "--format", "geojson", "--out", str(out)]) == 0
    doc = json.loads(out.read_bytes())
    assert [f["properties"]["name"] for f in doc["features"]] == [_loaded(t) for t in HOSTILE]
    reloaded = load_dataset(hostile, year=2026)  # and the export loads as a venue file
    (hostile / "venues.geojson").write_bytes(out.read_bytes())
    assert list(load_dataset(hostile, year=2026).venues["name"]) == list(reloaded.venues["name"])


def test_events_csv_round_trips_exactly(hostile: Path, tmp_path: Path):
    out = tmp_path / "events.csv"
    assert (
        main(
            [
                "events",
                str(hostile),
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
                "--format",
                "csv",
                "--lang",
                "en",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = [_loaded(t) for t in HOSTILE]
    assert [r["title"] for r in rows] == expected
    assert [r["organiser"] for r in rows] == expected
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame["title"]) == expected and list(frame["description"]) == expected


def _ics(hostile: Path, tmp_path: Path) -> bytes:
    out = tmp_path / "events.ics"
    assert (
        main(
            [
                "events",
                str(hostile),
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
                "--format",
                "ics",
                "--lang",
                "en",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return out.read_bytes()


def test_ics_has_no_control_characters(hostile: Path, tmp_path: Path):
    text = _ics(hostile, tmp_path).decode("utf-8")
    assert text.endswith("\r\n")
    assert not CONTROLS.search(text.replace("\r\n", "")), "RFC 5545 forbids CONTROL in TEXT"


def test_ics_parses_with_two_parsers_and_keeps_the_text(hostile: Path, tmp_path: Path):
    data = _ics(hostile, tmp_path)
    summaries = [ics_text(_loaded(t)) for t in HOSTILE]
    cal = icalendar.Calendar.from_ical(data)
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == summaries
    assert [str(e["location"]) for e in events] == [f"{s}, {s}" for s in summaries]
    assert all(
        str(e["description"]).startswith(ics_text(_loaded(t), multiline=True))
        for e, t in zip(events, HOSTILE, strict=True)
    )
    second = sorted(ics.Calendar(data.decode("utf-8")).events, key=lambda e: e.begin)
    assert [e.name for e in second] == summaries
    assert [e.location for e in second] == [f"{s}, {s}" for s in summaries]


def test_ics_text_rules():
    assert ics_text("a\rb\r\nc\nd\x0be\u2028f") == "a b c d e f"
    assert ics_text("a\rb\r\nc", multiline=True) == "a\nb\nc"
    assert ics_text("x\x00\x07\x1b[2J\x7f\x9b\ty") == "x[2J\ty"
    assert ics_text("\u202eRLO \u200f \u2066") == "\u202eRLO \u200f \u2066"  # bidi stays
    assert ics_text("lone \ud800 surrogate") == "lone  surrogate"


def test_terminal_text_shows_controls():
    assert terminal_text("a\x1b[31mb\x07\x00\x9b\r") == "a\\x1b[31mb\\x07\\x00\\x9b\\r"
    assert terminal_text("line\nnext") == "line\nnext"
    assert terminal_text("cell\nnext", keep_newlines=False) == "cell\\nnext"
    assert terminal_text("\u202eevil\u2066 \u2028") == "\\u202eevil\\u2066 \\u2028"
    assert terminal_text("Đurković 日本 🎭\tx") == "Đurković 日本 🎭\\tx"


def test_events_table_shows_control_characters(hostile: Path, capsys):
    assert (
        main(["events", str(hostile), "--from", "2026-12-01", "--to", "2026-12-31", "--lang", "en"])
        == 0
    )
    out = capsys.readouterr().out
    assert not CONTROLS.search(out.replace("\n", ""))
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", out)
    assert "ESC\\x1b[31mred" in out and "Bare\\rCR" in out and "NUL\\x00byte" in out
    lines = [line for line in out.splitlines() if line]
    assert len(lines) == 2 + len(HOSTILE)  # header, rule, one row each: no split rows


def test_info_and_problems_show_control_characters(hostile: Path, capsys):
    categories = hostile / "categories.csv"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace("Galleries", "Gal\x1b[2Jleries"),
        encoding="utf-8",
    )
    assert main(["info", str(hostile), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Gal\\x1b[2Jleries" in out
