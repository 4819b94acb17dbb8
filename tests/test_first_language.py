"""The language of a first visit (issue 21 item 5): the browser's ``Accept-Language``
among the town's languages, quality values honoured; the link's ``?lang=`` wins in any
letter case; asked once per session, so a later switch wins.

AppTest cannot send headers (``st.context.headers`` is empty there) but can set the
browser's ``navigator.language`` (``st.context.locale``), the page's second source; the
header itself is checked on the pure function here and in Chromium by
``tests/browser/test_first_language_browser.py``.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mapping.accept_language import accepted_tags, preferred_language
from tests.conftest import REPO_DATA

KOTOR = ("me", "en", "de")
APP = str(REPO_DATA.parent / "app.py")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("de-AT", "de"),
        ("sr-Latn-ME", "me"),
        ("sr-ME,en;q=0.5", "me"),
        ("cnr", "me"),
        ("en-US,en;q=0.9", "en"),
        ("EN-gb", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.1", "en"),  # French first, but the town has none
        ("en;q=0.5,de;q=0.7", "de"),  # quality, not order
        ("de;q=0,en", "en"),  # q=0: not German
        ("fr-FR,fr;q=0.9", None),
        ("*", None),
        ("", None),
        (None, None),
        ("x-klingon,de", "de"),
        ("de;q=banana,en", "en"),  # a malformed quality counts as refused
    ],
)
def test_the_browser_language_among_the_towns(header, expected):
    assert preferred_language(header, KOTOR) == expected


def test_serbian_cyrillic_goes_to_serbian_where_a_town_has_both():
    assert preferred_language("sr-Cyrl-RS", ("me", "en", "sr")) == "sr"
    assert preferred_language("sr-Latn-ME", ("me", "en", "sr")) == "me"
    assert preferred_language("sr-Cyrl-RS", KOTOR) == "me"  # the nearest the town has


def test_tags_keep_the_header_order_for_equal_quality():
    assert accepted_tags("en, de;q=1, me;q=0.9, fr;q=0") == ["en", "de", "me"]
    assert accepted_tags("a" * 5000) == []  # too long for a tag: nothing


def open_app(monkeypatch, browser_locale: str | None, **params: str) -> AppTest:
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(REPO_DATA))
    at = AppTest.from_file(APP, default_timeout=60)
    at.context["locale"] = browser_locale
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def switch_value(at: AppTest) -> str:
    return str(at.get("button_group")[0].value)


@pytest.mark.parametrize(
    ("browser", "expected"), [("de-DE", "de"), ("de-AT", "de"), ("en-US", "en"), ("fr", "me")]
)
def test_a_first_visit_opens_in_the_browser_language(monkeypatch, browser, expected):
    at = open_app(monkeypatch, browser)
    assert at.session_state["lang"] == expected
    at.run()  # the next run keeps it, and the switch shows it
    assert at.session_state["lang"] == expected
    assert switch_value(at) == expected


@pytest.mark.parametrize("link", ["en", "EN", "En", "me"])
def test_the_link_language_wins_in_any_case(monkeypatch, link):
    at = open_app(monkeypatch, "de-DE", lang=link)
    at.run()
    assert at.session_state["lang"] == link.lower()


def test_a_later_switch_wins_over_the_browser(monkeypatch):
    at = open_app(monkeypatch, "de-DE")
    at.run()
    at.get("button_group")[0].set_value("en").run()
    assert at.session_state["lang"] == "en"
    at.run()
    at.switch_page("pages/whats_on_page.py").run()
    assert not at.exception
    assert at.session_state["lang"] == "en"
    assert at.title[0].value == "What's on"
