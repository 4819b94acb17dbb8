"""AppTest: the review console page in ME and EN — the login form alone until signed in,
a wrong password refused and the next attempt slowed, a pending update seen before and
after and applied, bulk reject, the history, hostile text inert, sessions that end."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import accounts, clock, console, events, i18n
from mapping import submissions as sub
from mapping.io import load_dataset
from mapping.store import DB_ENV_VAR
from mapping.submissions import ledger
from pages._console_session import TOKEN_KEY, wait_text
from tests.conftest import open_app_page
from tests.test_deprecations import deprecations  # noqa: F401  # a fixture: Streamlit's notices

PAGE = "pages/console_page.py"
PASSWORD = "correct horse battery staple"
VENUE = "gal-durkovic"
HOSTILE = "<script>alert(1)</script> **x** [a](javascript:alert(1)) \u202eevil\u200b"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "members.sqlite"
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    accounts.add(path, "ana", PASSWORD, now=clock.utc_now())
    return path


def open_console(monkeypatch: pytest.MonkeyPatch, folder: Path, lang: str) -> AppTest:
    return open_app_page(monkeypatch, PAGE, folder, lang)


def sign_in(at: AppTest, password: str = PASSWORD, name: str = "ana") -> AppTest:
    at.text_input(key="console_name").input(name)
    at.text_input(key="console_password").input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> list[str]:
    return [
        str(e.value)
        for e in [*at.markdown, *at.caption, *at.info, *at.success, *at.error, *at.subheader]
    ] + [c.label for c in at.checkbox]


@pytest.mark.parametrize("lang", ["me", "en"])
def test_without_a_session_only_the_login_form(monkeypatch, mini_copy, db, lang):
    data = load_dataset(mini_copy, enrich=False)
    sub.submit(data, sub.UPDATE, {"venue_id": VENUE, "phone": "+382 32 111 222"}, db=db)
    at = open_console(monkeypatch, mini_copy, lang)
    assert at.title[0].value == i18n.t("console.title", lang)
    assert [t.label for t in at.text_input] == [
        i18n.t("console.name", lang),
        i18n.t("console.password", lang),
    ]
    assert not at.checkbox and not at.dataframe  # nothing of the suggestions shows
    assert "+382" not in " ".join(shown_text(at))


@pytest.mark.parametrize("lang", ["me", "en"])
def test_a_wrong_password_is_refused_and_the_next_attempt_slowed(monkeypatch, mini_copy, db, lang):
    at = sign_in(open_console(monkeypatch, mini_copy, lang), "wrong password, long enough")
    assert [e.value for e in at.error] == [i18n.t("console.wrong", lang, wait=wait_text(1))]
    at = sign_in(at)  # the right password, but the clock has not moved: not even checked
    assert [e.value for e in at.error] == [i18n.t("console.too_soon", lang, wait=wait_text(1))]
    assert TOKEN_KEY not in at.session_state
    assert at.text_input(key="console_password").value == ""  # the form cleared


@pytest.mark.parametrize("lang", ["me", "en"])
def test_sign_in_see_before_and_after_and_apply(monkeypatch, mini_copy, db, lang):
    data = load_dataset(mini_copy, enrich=False)
    number = sub.submit(
        data, sub.UPDATE, {"venue_id": VENUE, "opening_hours": "Mo-Sa 10:00-18:00"}, db=db
    )
    at = sign_in(open_console(monkeypatch, mini_copy, lang))
    assert not at.error
    assert at.caption[0].value == i18n.t("console.signed_in_as", lang, name="ana")
    assert len(at.checkbox) == 1 and at.checkbox[0].label.startswith(f"#{number} · ")
    created = sub.get(mini_copy, number, db=db).created  # stored in UTC
    local = clock.to_minute(clock.local(created, data.city.timezone))
    received = i18n.t("console.received", lang, when=events.moment_label(local, lang))
    assert received in shown_text(at) and "UTC" not in received
    table = at.dataframe[0].value
    assert list(table.iloc[0]) == [
        sub.field_label("opening_hours", lang),
        "Mo-Sa 09:00-15:00",
        "Mo-Sa 10:00-18:00",
    ]
    at.button(key="console_apply_one").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith(i18n.t("console.applied", lang, reference=f"#{number}"))
    assert [i.value for i in at.info] == [i18n.t("console.none", lang)]
    assert sub.get(mini_copy, number, db=db).status == ledger.APPLIED
    venues = load_dataset(mini_copy, enrich=False).venues.set_index("id")
    assert venues.loc[VENUE, "opening_hours"] == "Mo-Sa 10:00-18:00"
    at.segmented_control(key="console_part").set_value("history").run()
    trail = at.dataframe[0].value
    assert list(trail.iloc[0])[1:5] == [
        f"#{number}",
        i18n.t("console.decision_applied", lang),
        "ana",
        VENUE,
    ]


def test_a_correction_is_applied_and_recorded(monkeypatch, mini_copy, db):
    data = load_dataset(mini_copy, enrich=False)
    number = sub.submit(
        data, sub.UPDATE, {"venue_id": VENUE, "opening_hours": "Mo-Sa 10:00-18:00"}, db=db
    )
    at = sign_in(open_console(monkeypatch, mini_copy, "en"))
    at.text_input(key=f"console_fix_{number}_opening_hours").input("nonsense hours").run()
    assert at.error and at.error[0].value.startswith(i18n.t("console.refused", "en"))
    assert at.button(key="console_apply_one").disabled
    at.text_input(key=f"console_fix_{number}_opening_hours").input("Mo-Fr 11:00-19:00").run()
    assert list(at.dataframe[0].value.iloc[0])[2] == "Mo-Fr 11:00-19:00"
    at.button(key="console_apply_one").click().run()
    assert at.success, [e.value for e in at.error]
    [decision] = console.history(db)
    assert decision.corrected == {"opening_hours": ["Mo-Sa 10:00-18:00", "Mo-Fr 11:00-19:00"]}


def test_bulk_reject_needs_a_reason_and_takes_the_ticked_ones(monkeypatch, mini_copy, db):
    data = load_dataset(mini_copy, enrich=False)
    numbers = [
        sub.submit(data, sub.UPDATE, {"venue_id": VENUE, "website": f"https://{i}.me"}, db=db)
        for i in range(3)
    ]
    at = sign_in(open_console(monkeypatch, mini_copy, "en"))
    for number in numbers[:2]:
        at.checkbox(key=f"console_pick_{number}").check()
    at.run()
    at.button(key="console_reject_many").click().run()
    assert [e.value for e in at.error] == [i18n.t("console.need_reason", "en")]
    at.text_input(key="console_bulk_reason").input("spam")
    at.button(key="console_reject_many").click().run()
    assert len(at.success) == 2
    assert [sub.get(mini_copy, n, db=db).status for n in numbers] == ["rejected"] * 2 + ["pending"]
    assert [c.label.split(" · ")[0] for c in at.checkbox] == [f"#{numbers[2]}"]


def test_hostile_text_is_inert(monkeypatch, mini_copy, db):
    data = load_dataset(mini_copy, enrich=False)
    sub.submit(
        data,
        sub.UPDATE,
        {"venue_id": VENUE, "description_en": HOSTILE, "note": HOSTILE},
        db=db,
    )
    sub.submit(
        data,
        sub.VENUE,
        {"name": HOSTILE, "category": "gallery", "lat": 42.4247, "lon": 18.7712, "note": "new"},
        db=db,
    )
    at = sign_in(open_console(monkeypatch, mini_copy, "en"))
    texts = shown_text(at)
    joined = " ".join(texts)
    assert "\u202e" not in joined and "\u200b" not in joined  # shown as escapes instead
    assert "\\\\u202e" in joined  # the escape, itself escaped for Markdown
    assert "<script>" not in joined and "](javascript" not in joined
    cells = " ".join(str(v) for v in at.dataframe[0].value.to_numpy().ravel())
    assert "\u202e" not in cells and "\\u202e" in cells  # plain cells: the escape
    at.selectbox(key="console_open").select_index(1).run()
    assert not at.exception, at.exception
    assert "\u202e" not in " ".join(shown_text(at))


@pytest.mark.now("2026-12-07T10:00")  # it moves the clock to 11:00:01
def test_the_session_ends_when_it_expires_or_on_sign_out(monkeypatch, mini_copy, db):
    at = sign_in(open_console(monkeypatch, mini_copy, "en"))
    assert TOKEN_KEY in at.session_state
    at.button(key="console_sign_out").click().run()
    assert TOKEN_KEY not in at.session_state and at.text_input(key="console_password")
    at = sign_in(at)
    monkeypatch.setenv(clock.NOW_ENV, "2026-12-07T11:00:01")  # an hour and a second later
    at.run()
    assert TOKEN_KEY not in at.session_state and at.text_input(key="console_password")


def test_the_signed_in_console_uses_no_deprecated_api(
    monkeypatch,
    mini_copy,
    db,
    deprecations,  # noqa: F811  # the fixture imported above
):
    data = load_dataset(mini_copy, enrich=False)
    sub.submit(data, sub.UPDATE, {"venue_id": VENUE, "opening_hours": "Mo-Sa 10:00-18:00"}, db=db)
    at = sign_in(open_console(monkeypatch, mini_copy, "en"))
    assert at.dataframe  # the changes table (a styled frame) and both cards were drawn
    at.segmented_control(key="console_part").set_value("history").run()
    assert deprecations == []


def test_an_unusable_database_is_said_not_raised(monkeypatch, mini_copy, tmp_path):
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path))  # a folder: not a database
    at = sign_in(open_console(monkeypatch, mini_copy, "me"))
    assert [e.value for e in at.error] == [i18n.t("console.store_unavailable", "me")]
