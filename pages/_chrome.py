"""Page chrome: the phone layout (CSS), and the filters popover in the bar above a map.
A part of :mod:`pages.shared`, which offers :func:`page_style`, :func:`filters_popover`,
:func:`filters_checked`, :func:`bound_flag` and :func:`bound_text`.

The filters of Explore and What's on sit in a popover (``st.popover``) on every width,
so a phone reaches them without opening the sidebar (which keeps only the page menu);
its button says how many filters are on ("Filters · 2").
"""

from __future__ import annotations

import json

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from mapping import i18n, params
from mapping.text import css_string

FILTERS_SHOWN = "_filters_shown_"  # + popover key: the count its label showed this run
FILTERS_AGAIN = "_filters_again_"  # + popover key: a run was redone to correct that count


def bound_flag(key: str) -> bool:
    """A checkbox bound to the URL, read before it is drawn: its value in this session,
    else the link's (``true`` in any case, as Streamlit reads it)."""
    if key in st.session_state:
        return bool(st.session_state[key])
    return [v.lower() for v in st.query_params.get_all(key)[-1:]] == ["true"]


def bound_text(key: str) -> str:
    """A text input bound to the URL, read before it is drawn (see :func:`bound_flag`)."""
    if key in st.session_state:
        return str(st.session_state[key] or "")
    return next(iter(st.query_params.get_all(key)[-1:]), "")[: params.MAX_TEXT].strip()


def filters_popover(key: str, active: int, lang: str) -> DeltaGenerator:
    """The filters of a page, in a popover in the bar above its map (on every width, so a
    phone reaches them without the sidebar), labelled with how many are ``active``
    ("Filters · 2"). The count is worked out before the widgets exist (Streamlit needs
    the label first); :func:`filters_checked` compares it with the widgets' values."""
    st.session_state[FILTERS_SHOWN + key] = active
    label = (
        i18n.t("filters.button", lang, count=active) if active else i18n.t("filters.heading", lang)
    )
    return st.popover(label, key=key, icon=":material/tune:")


def filters_checked(key: str, active: int) -> None:
    """After the widgets: if the popover's label counted otherwise (a link value a widget
    refused, Back or Forward restoring other values), run the page once more, so the
    label always says how many filters are on. Never twice in a row."""
    again = st.session_state.pop(FILTERS_AGAIN + key, False)
    if st.session_state.get(FILTERS_SHOWN + key) != active and not again:
        st.session_state[FILTERS_AGAIN + key] = True
        st.rerun()


# Phones (<= 640 px wide). Explore's first screen (390 x 844) shows the map and the
# list's first entry (tests/browser/test_explore_browser.py::test_phone_first_screen):
# the header carries the language switch (its label kept for screen readers), the
# tagline and the list's hint give way, "Near me" follows the count, Explore's gaps
# shrink and its map takes the screen less what sits above and the list's heading and
# first entry below (EXPLORE_PHONE_CHROME; German's two-line heading included). 400 px
# keeps the map's height of before (444 px at 844). The map's height no longer decides
# whether a card opens: once, at 404 px, crkva-sv-luke's card never came from its link,
# because it waited on markercluster's zoomToShowLayer callback; the card now opens
# first (mapping/templates/venue_map.js, openAndShow), and
# tests/browser/test_card_sizes_browser.py opens cards at 404 px and at short phones.
EXPLORE_PHONE_CHROME = "400px"
_EXPLORE = "[data-testid=stMain]:has(.st-key-explore-bar)"
PHONE_CSS = (
    "[data-testid=stMainBlockContainer]{padding-top:3.9rem!important}"
    ".st-key-lang{position:absolute!important;top:.55rem;right:1rem;z-index:999990;"
    "width:auto!important}"
    ".st-key-lang [data-testid=stWidgetLabel]{position:absolute;width:1px;height:1px;"
    "overflow:hidden;clip-path:inset(50%);white-space:nowrap}"
    "[data-testid=stExpandSidebarButton]{width:auto!important}"
    ".block-container h1{font-size:1.6rem;padding-top:.2rem}"
    ".st-key-explore-head h1{font-size:1.3rem;padding:0 0 .2rem}"
    ".st-key-explore-head [data-testid=stCaptionContainer],.st-key-near-head"
    " [data-testid=stCaptionContainer]{display:none}"
    ".st-key-explore-bar .st-key-locate{order:1}"  # the count beside the filters button
    f"{_EXPLORE} [data-testid=stVerticalBlock],{_EXPLORE} [data-testid=stHorizontalBlock]"
    "{gap:.5rem}"
    f"{_EXPLORE} [data-testid=stColumn] h3{{font-size:1.05rem;padding:.25rem 0 .2rem}}"
    ".st-key-venue-map iframe{height:clamp(320px,calc(100dvh - 400px),760px)!important}"
    f"{_EXPLORE} .st-key-venue-map iframe{{height:max(260px,calc(100dvh - "
    f"{EXPLORE_PHONE_CHROME}))!important}}"
)


def page_style(menu_label: str, lang: str) -> None:
    """Page chrome for small screens, as CSS (:data:`PHONE_CSS`): the language switch
    sits in the header bar, Explore's title and bar are compact and its map leaves
    room for the list's first entry on the first screen; the sidebar's bare arrow
    button says what it opens (``menu_label``: the pages). Wide screens keep the
    page's fixed map height, which fits below the title.

    Streamlit cannot open its sidebar from Python, so the existing toggle gets a
    visible, translated label rather than a second control that would not work.

    Accessibility (axe-core, ``tests/browser/test_axe_browser.py``): ``<html lang>`` is
    the page's language as a BCP 47 tag of its Babel locale (``sr-Latn-ME`` for ``me``;
    Streamlit's page says ``en`` whatever it shows), and captions are a darker grey
    than Streamlit's faded text (its opacity 0.6 gives 3.8:1 on white; WCAG AA asks 4.5:1).
    """
    tag = str(i18n.locale(lang)).replace("_", "-")
    st.html(
        f"<script>document.documentElement.lang={json.dumps(tag)}</script>",
        unsafe_allow_javascript=True,
    )
    st.html(
        "<style>"
        "[data-testid=stCaptionContainer],[data-testid=stCaptionContainer] p"
        "{color:#5c5e66!important;opacity:1!important}"
        "@media (max-width:640px){"
        f"{PHONE_CSS}"
        "[data-testid=stExpandSidebarButton]::after,[data-testid=stSidebarCollapsedControl]"
        f" button::after{{content:{css_string(menu_label)};margin-left:.35rem;"
        "font-weight:600;font-size:.95rem}"
        "}</style>"
    )
