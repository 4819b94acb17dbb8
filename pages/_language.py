"""The language switch of every page, and how a session's language is first chosen:
a link's ``?lang=`` (any letter case), else the browser's languages, else the town's
default. A part of :mod:`pages.shared`, which offers :func:`language_selector`.
"""

from __future__ import annotations

import streamlit as st

from mapping import i18n, params
from mapping.accept_language import preferred_language

LANG_KEY = "lang"
LANG_URL_FIX = "_lang_url_fix"  # a language taken from ?lang=en, set again on the next run
LANG_ASKED = "_lang_browser_asked"  # the browser's languages were read (once per session)


def language_selector(languages: tuple[str, ...], default: str) -> str:
    """The language switch shown on every page; its value lives in the URL (``?lang=``).

    Its label is the word "Language" in every town language ("Jezik · Language"): a
    label that changed with the language would make Streamlit see a new widget and drop
    its state.
    """
    ordered = [default, *[lang for lang in languages if lang != default]]
    label = i18n.in_every_language("app.language", ordered)
    preset = _language_from_link(ordered) or _language_from_browser(ordered, default)
    chosen = st.segmented_control(
        label,
        ordered,
        default=None if preset else default,  # a preset state and a default: Streamlit warns
        key=LANG_KEY,
        bind="query-params",
        format_func=params.language_in_url,
        required=True,
    )
    return chosen or default


def _language_from_link(languages: list[str]) -> bool:
    """Set the switch to the link's ``?lang=`` when it names a language in another case
    than the switch binds (``en``, ``En`` for ``EN``): Streamlit's binding knows only
    ``EN``, would drop the others and open the page in the town's language.

    Returns True when it set the switch: from the link, or on the next run once more,
    since Streamlit writes a value set in code to the URL (``?lang=EN``) only once the
    switch exists.
    """
    pending = st.session_state.pop(LANG_URL_FIX, None)
    if pending in languages and st.session_state.get(LANG_KEY) == pending:  # not switched
        st.session_state[LANG_KEY] = pending
        return True
    raw = st.query_params.get_all(LANG_KEY)
    if not raw or raw[-1] in {params.language_in_url(lang) for lang in languages}:
        return False
    found = params.language(raw, languages, "")
    if found.refused or found.value == st.session_state.get(LANG_KEY):
        return False
    st.session_state[LANG_KEY] = st.session_state[LANG_URL_FIX] = found.value
    return True


def _language_from_browser(languages: list[str], default: str) -> bool:
    """On a session's first run without a usable ``?lang=``, set the switch to the town
    language the browser prefers (its ``Accept-Language`` header, else its
    ``navigator.language``; :func:`mapping.accept_language.preferred_language`).

    Asked once per session, so a later switch (or a link's ``?lang=``) wins. Like a
    link's language it is set again on the next run (:data:`LANG_URL_FIX`), and the
    switch then writes it to the URL. Returns True when it set the switch.
    """
    if st.session_state.get(LANG_ASKED):
        return False
    st.session_state[LANG_ASKED] = True
    from_link = params.language(st.query_params.get_all(LANG_KEY), languages, "")
    if from_link.value or LANG_KEY in st.session_state:
        return False
    header = st.context.headers.get("Accept-Language") or st.context.locale
    found = preferred_language(header, languages)
    if found is None or found == default:
        return False
    st.session_state[LANG_KEY] = st.session_state[LANG_URL_FIX] = found
    return True
