"""AppTest: the For members page — the listing for a complete and an incomplete venue in
both languages, ``?venue=`` and ``?part=``, the suggestion forms, the cluster overview."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import clock, files, members, submissions
from mapping.io import load_dataset
from mapping.store import DB_ENV_VAR
from pages import _members_forms
from tests.conftest import TESTS, open_app_page
from tests.postgres import nobody_listening

FIXTURE = TESTS / "fixtures" / "members"  # hand-made: gal-a complete, gal-b nearly empty
PAGE = "pages/members_page.py"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "members.sqlite"
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    return path


def open_members(monkeypatch, lang: str = "en", folder: Path = FIXTURE, **params) -> AppTest:
    return open_app_page(monkeypatch, PAGE, folder, lang, **params)


def texts(at: AppTest) -> str:
    """Every text shown, without the Markdown escapes (``text.markdown_literal``)."""
    shown = " ".join(
        e.value
        for e in [*at.markdown, *at.caption, *at.info, *at.success, *at.error, *at.subheader]
    )
    return shown.replace("\\", "")


def keyed_blocks(node, suffix: str) -> list:
    """The containers whose key ends with ``suffix`` (``st.container(key=...)``)."""
    found = []
    for child in getattr(node, "children", {}).values():
        if str(getattr(getattr(child, "proto", None), "id", "")).endswith(suffix):
            found.append(child)
        found += keyed_blocks(child, suffix)
    return found


def expected_score(venue: str) -> int:
    data = load_dataset(FIXTURE)
    return members.completeness(data, venue, clock.now(data.city.timezone).date()).score


@pytest.mark.parametrize("lang", ["en", "me"])
@pytest.mark.parametrize("venue", ["gal-a", "gal-b"])
def test_listing_for_a_complete_and_an_incomplete_venue(monkeypatch, database, lang, venue):
    at = open_members(monkeypatch, lang, venue=venue)
    assert at.session_state["venue"] == venue
    assert at.metric[0].value == f"{expected_score(venue)} / 100"
    cards = [b for code in ("me", "en") for b in keyed_blocks(at.main, f"card-{code}")]
    assert len(cards) == 2  # the card in each of the town's languages (me, en)
    assert len(at.table) == 1  # who can find me
    headings = [h.value for h in at.subheader]
    want = {
        "en": [
            "As visitors see it",
            "Completeness",
            "Who can find you",
            "Open hours by month",
            "Walking distance from where visitors arrive",
        ],
        "me": [
            "Kako vas posjetioci vide",
            "Potpunost",
            "Ko vas može naći",
            "Sati otvorenosti po mjesecima",
            "Udaljenost pješke od mjesta gdje posjetioci stižu",
        ],
    }[lang]
    assert headings == want  # no usage counts: only a personal link shows them


def test_incomplete_venue_lists_what_is_missing_and_why(monkeypatch, database):
    at = open_members(monkeypatch, "en", venue="gal-b")
    shown = texts(at)
    label, why = members.check_texts("opening_hours", "en", load_dataset(FIXTURE).city)
    assert label in shown and why in shown
    complete = open_members(monkeypatch, "en", venue="gal-a")
    assert why not in texts(complete)  # a passed check says no "why"


def test_unknown_hours_are_shown_as_unknown_not_closed(monkeypatch, database):
    at = open_members(monkeypatch, "en", venue="gal-b")
    findings = at.table[0].value
    open_rows = findings[findings.index.str.startswith("“Open now”")]
    assert set(open_rows.iloc[:, 0]) == {"unknown"}


def test_walking_minutes_are_never_zero(monkeypatch, database, tmp_path):
    """A venue a step from an entry point is "1 min" away, as on Explore (never "0 min")."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    layer = folder / "venues.geojson"
    doc = json.loads(layer.read_text(encoding="utf-8"))
    [gal_a] = [f for f in doc["features"] if f["properties"]["id"] == "gal-a"]
    gal_a["geometry"]["coordinates"] = [18.77021, 42.4247]  # about a metre from "gate"
    layer.write_text(json.dumps(doc), encoding="utf-8")
    at = open_members(monkeypatch, "en", folder=folder, venue="gal-a")
    entry_points = at.dataframe[0].value.set_index("From")
    assert entry_points.loc["Vrata", "Walk"] == "≈ 1 min"


def test_without_a_venue_the_page_asks_for_one(monkeypatch, database):
    at = open_members(monkeypatch, "en")
    assert "Choose your venue above" in texts(at)
    assert not at.metric


def test_overview_lists_every_member_and_prospective_member(monkeypatch, database):
    at = open_members(monkeypatch, "en", part="overview")
    table = at.dataframe[0].value
    assert sorted(table["id"]) == ["gal-a", "gal-b", "gal-g", "org-d"]
    assert list(table["Completeness"]) == sorted(table["Completeness"])  # weakest first
    assert set(table["Status"]) == {"member", "prospective member"}
    assert at.get("download_button")


def test_overview_csv_is_written_by_the_one_csv_writer(monkeypatch, database):
    written: list[bytes] = []
    real = files.csv_frame_bytes

    def spy(frame):
        written.append(real(frame))
        return written[-1]

    monkeypatch.setattr(files, "csv_frame_bytes", spy)
    open_members(monkeypatch, "en", part="overview")
    [csv] = written
    header, *rows = csv.decode("utf-8").split("\r\n")  # RFC 4180: CRLF line ends
    assert header.split(",")[:2] == ["Name", "Status"] and header.endswith(",id")
    assert len([r for r in rows if r]) == 4  # gal-a, gal-b, gal-g, org-d


def test_suggest_an_update_stores_it_pending_and_gives_the_reference(monkeypatch, database):
    at = open_members(monkeypatch, "en", part="update", venue="gal-b")
    at.text_input(key="upd_opening_hours").input("Mo-Fr 10:00-18:00").run()
    assert "Mon–Fri 10–18" in " ".join(s.value for s in at.success)
    at.button(key="upd_send").click().run()
    assert not at.exception
    assert "#1" in " ".join(s.value for s in at.success)
    pending = submissions.listed(FIXTURE, db=database)
    assert [(s.kind, s.venue_id, s.fields["opening_hours"]) for s in pending] == [
        ("update", "gal-b", "Mo-Fr 10:00-18:00")
    ]
    assert at.text_input(key="upd_opening_hours").value == ""  # the form is emptied
    assert "1 suggestion for this venue is waiting for review: #1" in texts(at)


def test_bad_hours_are_refused_as_typed_and_nothing_is_stored(monkeypatch, database):
    at = open_members(monkeypatch, "en", part="update", venue="gal-b")
    at.text_input(key="upd_opening_hours").input("Mo-Fr 25:00-26:00").run()
    assert at.error and "Times run from 00" in at.error[0].value  # a sentence, no tokens
    at.button(key="upd_send").click().run()
    assert "Opening hours: Times run from 00:00 to 24:00" in texts(at)  # names the field
    assert submissions.listed(FIXTURE, db=database) == []


def test_hostile_text_is_kept_as_text(monkeypatch, database):
    hostile = "<script>alert(1)</script> ${7*7} {{7*7}} **bold**"
    at = open_members(monkeypatch, "en", part="new")
    at.text_input(key="new_name").input(hostile)
    at.selectbox(key="new_category").select("gallery")
    at.text_input(key="new_lat").input("42.4247")
    at.text_input(key="new_lon").input("18.7712")
    at.text_area(key="new_note").input(hostile).run()
    at.button(key="new_send").click().run()
    assert not at.exception, at.exception
    [stored] = submissions.listed(FIXTURE, db=database)
    assert stored.fields["name"] == hostile and stored.fields["note"] == hostile


@pytest.mark.parametrize(
    ("lang", "words"),
    [("me", "U posljednjem satu poslali ste 1 prijedlog"), ("en", "You have sent 1")],
)
def test_past_the_client_limit_nothing_is_stored(monkeypatch, database, tmp_path, lang, words):
    """The per-client refusal in the member's language; another client is still heard."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    with (folder / "city.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[members]\nmax_pending_per_client_per_hour = 1\n")
    at = open_members(monkeypatch, lang, folder=folder, part="update", venue="gal-b")
    for hours_value in ("Mo 10:00-12:00", "Tu 10:00-12:00"):
        at.text_input(key="upd_opening_hours").input(hours_value).run()
        at.button(key="upd_send").click().run()
    assert words in " ".join(e.value for e in at.error)
    assert len(submissions.listed(folder, db=database)) == 1
    monkeypatch.setattr(_members_forms, "client", lambda: submissions.client_key("192.0.2.8"))
    at.button(key="upd_send").click().run()
    assert not at.error
    assert len(submissions.listed(folder, db=database)) == 2


def test_the_overview_shows_unusual_volume(monkeypatch, database, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    with (folder / "city.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[members]\nunusual_per_hour = 3\n")
    data = load_dataset(folder, enrich=False)
    for i in range(3):
        submissions.submit(
            data,
            "venue",
            {"name": f"New {i}", "category": "gallery", "lat": 42.4247, "lon": 18.7712},
            db=database,
            client=submissions.client_key(f"192.0.2.{i}"),
        )
    at = open_members(monkeypatch, "en", folder=folder, part="overview")
    assert not at.exception
    assert "Unusual volume: 3 suggestions within one hour" in at.warning[0].value


@pytest.mark.parametrize("broken", ["parent-is-a-file", "server-down"])
def test_page_renders_and_says_so_when_the_store_is_unavailable(monkeypatch, tmp_path, broken):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    unusable = str(blocker / "members.sqlite") if broken == "parent-is-a-file" else None
    monkeypatch.setenv(DB_ENV_VAR, unusable or nobody_listening())  # PostgreSQL is down
    at = open_members(monkeypatch, "en", venue="gal-a")
    assert "Completeness" in texts(at)  # the listing (its usage counts need a personal link)
    at = open_members(monkeypatch, "en", part="update", venue="gal-a")
    at.text_input(key="upd_website").input("https://example.me/").run()
    at.button(key="upd_send").click().run()
    assert not at.exception
    assert "could not be stored" in " ".join(e.value for e in at.error)
