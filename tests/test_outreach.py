"""Outreach (``mapping.outreach`` and ``pages._outreach``): rows with what each venue is
missing, the mail-merge CSV (formula-safe, the one CSV writer), the printable sheets
(escaped, a QR code of the link, one venue a page), and the page part through AppTest."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import clock, files, links, members, outreach
from mapping.io import load_dataset
from mapping.settings import DATA_ENV_VAR
from mapping.store import DB_ENV_VAR
from mapping.text import escape
from pages import _outreach
from tests.conftest import TESTS

FIXTURE = TESTS / "fixtures" / "members"  # gal-a complete, gal-b nearly empty


@pytest.fixture(scope="module")
def data():
    return load_dataset(FIXTURE)


def today(data) -> object:
    return clock.today(data.city.timezone)


@pytest.mark.now("2026-12-07T10:00")  # the fixture's records were checked within the year
def test_rows_name_what_is_missing_heaviest_first(data):
    day = today(data)
    found = outreach.rows(data, {"gal-b": "L-b", "gal-a": "L-a"}, "en", day)
    assert [r.venue_id for r in found] == ["gal-b", "gal-a"]  # the given order
    b = found[0]
    assert (b.name, b.link) == ("Galerija B", "L-b")
    checks = members.completeness(data, "gal-b", day).checks
    failed = sorted((c for c in checks if not c.passed), key=lambda c: -c.weight)
    assert b.missing == tuple(members.check_texts(c.key, "en", data.city)[0] for c in failed)
    # gal-a lacks only an event in the next 12 months (its events are past)
    assert b.missing and found[1].missing == ("Events in the next 12 months",)


def test_the_csv_is_the_one_writers_and_formula_safe(data, monkeypatch):
    written = []
    real = files.csv_rows_bytes

    def spy(header, rows, **kw):  # type: ignore[no-untyped-def]
        written.append(real(header, rows, **kw))
        return written[-1]

    monkeypatch.setattr(outreach, "csv_rows_bytes", spy)
    row = outreach.OutreachRow("x", "=HYPERLINK(1)", "a@b.me", "https://m/members?key=t", ("h",))
    body = outreach.csv_bytes([row], "en")
    assert written == [body]
    [header, line] = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert header == ["venue", "e-mail", "link", "missing", "id"]
    assert line == ["'=HYPERLINK(1)", "a@b.me", "https://m/members?key=t", "h", "x"]


def test_the_sheets_escape_text_and_carry_a_qr_code_per_venue(data):
    hostile = outreach.OutreachRow("gal-b", "<script>x</script>", "", "https://m/?key=a&b", ())
    html = outreach.sheets_html(data, [hostile], "en", today(data))
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert "key=a&amp;b" in html
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert html.count("<svg") == 1 and "<path" in svg  # inline: nothing fetched
    assert "src=" not in html and "href=" not in html and "<script" not in html
    assert "@page { size: A4" in html and "break-after: page" in html
    assert 'name="referrer" content="no-referrer"' in html
    assert "Limited wheelchair access" in html and "Approximate location" in html  # map labels
    for label, _why in outreach.missing(data, "gal-b", "en", today(data)):
        assert escape(label) in html


def test_the_qr_code_is_an_svg_of_the_whole_link():
    import xml.etree.ElementTree as ET

    link = "https://map.example.org/members?key=" + "A" * 43
    root = ET.fromstring(outreach.qr_svg(link))
    assert root.tag.endswith("svg") and root.get("class") == "qr"
    assert root.get("width") == root.get("height")


def test_issue_links_stores_hashes_only(tmp_path):
    where = tmp_path / "m.sqlite"
    issued = outreach.issue_links(
        where, ["gal-a", "gal-a", "gal-b"], "https://m", now=clock.utc_now(), days=5
    )
    assert list(issued) == ["gal-a", "gal-b"]
    for venue, link in issued.items():
        token = link.rsplit("=", 1)[1]
        assert links.venue_for(where, token, now=clock.utc_now()) == venue
    assert outreach.unknown_venues(load_dataset(FIXTURE), ["gal-a", "nope"]) == ["nope"]


def script() -> None:
    """The part alone on a page, as the console will place it."""
    import os

    from pages._members_common import members_run
    from pages._outreach import outreach_part
    from pages.shared import current_language, dataset

    run = members_run(dataset(), current_language())
    outreach_part(
        run, ["gal-a", "gal-b", "nope"], "https://m.example", os.environ["CREATIVE_MAP_DB"]
    )


def open_part(monkeypatch: pytest.MonkeyPatch, db: Path, lang: str) -> AppTest:
    monkeypatch.setenv(DATA_ENV_VAR, str(FIXTURE))
    monkeypatch.setenv(DB_ENV_VAR, str(db))
    at = AppTest.from_function(script, default_timeout=60)
    at.query_params["lang"] = lang.upper()
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "me"])
def test_the_part_issues_links_for_the_ticked_venues(monkeypatch, tmp_path, lang):
    db = tmp_path / "m.sqlite"
    at = open_part(monkeypatch, db, lang)
    assert [c.label for c in at.checkbox] == ["Galerija A", "Galerija B"]  # "nope" left out
    assert not at.get("download_button")
    at.checkbox(key="outreach_gal-a").uncheck().run()
    at.button(key="outreach_issue").click().run()
    assert not at.exception
    assert [link.venue_id for link in links.listed(db)] == ["gal-b"]
    keys = [b.key for b in at.get("download_button")]
    assert keys == ["outreach_csv", "outreach_sheets"]
    csv_bytes, sheets, count = at.session_state[_outreach.FILES_STATE]
    assert count == 1 and b"Galerija B" in csv_bytes and b"Galerija A" not in sheets
    token = csv_bytes.decode("utf-8").split("key=", 1)[1].split(",", 1)[0]
    assert links.venue_for(db, token, now=clock.utc_now()) == "gal-b"


def test_the_part_asks_for_a_venue_when_none_is_ticked(monkeypatch, tmp_path):
    db = tmp_path / "m.sqlite"
    at = open_part(monkeypatch, db, "en")
    at.checkbox(key="outreach_gal-a").uncheck()
    at.checkbox(key="outreach_gal-b").uncheck().run()
    at.button(key="outreach_issue").click().run()
    assert [i.value for i in at.info] == ["Choose at least one venue."]
    assert not at.get("download_button")
