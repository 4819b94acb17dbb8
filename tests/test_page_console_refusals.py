"""AppTest: why the review console could not apply a suggestion, in the coordinator's
language (ME and EN) — one decided meanwhile, one gone from the database, one that would
leave the data with a problem (file, record and field named in that language; the
problem's detail stays validate's English)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import i18n
from mapping import submissions as sub
from mapping.events import moment_label
from mapping.io import load_dataset
from mapping.submissions import ledger
from tests.test_page_console import VENUE, db, open_console, sign_in

__all__ = ["db"]  # the fixture, used by name

LANGS = ["me", "en"]


def said(at: AppTest) -> list[str]:
    """The error boxes, without the Markdown escapes."""
    return [e.value.replace("\\", "") for e in at.error]


def opened(monkeypatch: pytest.MonkeyPatch, folder: Path, lang: str, number: int) -> AppTest:
    at = sign_in(open_console(monkeypatch, folder, lang))
    at.selectbox(key="console_open").select(number).run()
    assert not at.error, said(at)
    return at


def suggest(folder: Path, db: Path, **fields: object) -> int:
    data = load_dataset(folder, enrich=False)
    return sub.submit(data, sub.UPDATE, {"venue_id": VENUE, **fields}, db=db)


@pytest.mark.parametrize("lang", LANGS)
def test_applying_one_decided_meanwhile_says_when_in_the_page_language(
    monkeypatch, mini_copy, db, lang
):
    number = suggest(mini_copy, db, phone="+382 32 111 222")
    at = opened(monkeypatch, mini_copy, lang, number)
    rejected = sub.reject(mini_copy, number, "a duplicate", db=db)  # another reviewer
    at.button(key="console_apply_one").click().run()
    assert not at.exception, at.exception
    assert rejected.decided is not None
    day = moment_label(rejected.decided.date(), lang)
    reason = i18n.t("submissions.review.already_rejected", lang, reference=f"#{number}", when=day)
    assert said(at) == [
        f"{i18n.t('console.not_applied', lang, reference=f'#{number}')}  \n{reason}"
    ]
    assert rejected.decided.date().isoformat() not in said(at)[0]  # the day in words


@pytest.mark.parametrize("lang", LANGS)
def test_applying_one_gone_from_the_database_says_so(monkeypatch, mini_copy, db, lang):
    number = suggest(mini_copy, db, phone="+382 32 111 222")
    at = opened(monkeypatch, mini_copy, lang, number)
    with sqlite3.connect(db) as conn:  # a database restored from an older backup
        conn.execute("DELETE FROM submissions WHERE id = ?", (number,))
    at.button(key="console_apply_one").click().run()
    assert not at.exception, at.exception
    [shown] = said(at)
    assert shown.endswith(i18n.t("submissions.review.not_found", lang, reference=f"#{number}"))


@pytest.mark.parametrize(
    ("lang", "reason", "where"),
    [
        (
            "me",
            "bi imao 1 problem; ništa nije promijenjeno",
            "venues.geojson, zapis gal-durkovic, polje geometry: point is",
        ),
        (
            "en",
            "would have 1 problem; nothing was changed",
            "venues.geojson, record gal-durkovic, field geometry: point is",
        ),
    ],
)
def test_applying_one_that_breaks_the_data_names_the_problem(
    monkeypatch, mini_copy, db, lang, reason, where
):
    path = mini_copy / "venues.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["cited_coordinates"] = [18.7712, 42.425]
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    before = path.read_bytes()
    number = suggest(mini_copy, db, lat=42.4300, lon=18.7800)  # 900 m from the cited point
    at = sign_in(open_console(monkeypatch, mini_copy, lang))
    at.checkbox(key=f"console_pick_{number}").check().run()
    at.button(key="console_apply_many").click().run()
    assert not at.exception, at.exception
    [shown] = said(at)
    head, why, problem = shown.split("  \n")
    assert head == i18n.t("console.not_applied", lang, reference=f"#{number}")
    assert reason in why and problem.startswith(where)
    assert "venues.geojson:gal-durkovic:geometry:" not in shown  # not the CLI's frame
    assert path.read_bytes() == before
    assert sub.get(mini_copy, number, db=db).status == ledger.PENDING


def test_the_cli_keeps_the_english_text_and_iso_dates(mini_copy, db):
    number = suggest(mini_copy, db, phone="+382 32 111 222")
    decided = sub.reject(mini_copy, number, "a duplicate", db=db).decided
    assert decided is not None
    with pytest.raises(sub.ReviewError) as caught:
        sub.apply(mini_copy, number, db=db)
    assert str(caught.value) == (
        f"#{number} was already rejected on {decided.date().isoformat()}; nothing to do"
    )
    assert caught.value.messages("me")[0].startswith(f"#{number} je već odbijen ")
