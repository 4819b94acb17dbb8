"""The review console's sign-in, for every page: who is signed in in this browser session.

Not a page (``app.py``'s ``st.navigation`` lists the pages). The session token lives
only in ``st.session_state`` (server memory, per browser tab), never in the URL or a
cookie; the database keeps its SHA-256 (:mod:`mapping.accounts`). Another page asks
:func:`signed_in` to show a coordinator more (e.g. usage counts).
"""

from __future__ import annotations

import logging

import streamlit as st

from mapping import accounts, clock, store
from mapping.io import Dataset
from pages._members_forms import client
from pages.shared import dataset, tr

TOKEN_KEY = "_console_token"
"""Where this browser session keeps its console session's token."""
_LOG = logging.getLogger(__name__)


def database(data: Dataset) -> store.Location:
    """The members' database the accounts and suggestions live in."""
    return store.database_path(data.city, data.folder)


def signed_in() -> str | None:
    """The coordinator's name while this browser session holds a valid console session
    (signed in, not expired, the account not removed); else ``None``."""
    token = st.session_state.get(TOKEN_KEY)
    if not isinstance(token, str) or not token:
        return None
    try:
        name = accounts.session_name(database(dataset()), token, now=clock.utc_now())
    except store.Error:
        _LOG.exception("console session not checked")
        return None
    if name is None:
        del st.session_state[TOKEN_KEY]  # expired or ended elsewhere: ask again
    return name


def wait_text(seconds: int) -> str:
    """A wait as people read it: ``40 s``, ``4 min``."""
    return f"{seconds} s" if seconds < 60 else f"{-(-seconds // 60)} min"


def sign_in_form(data: Dataset) -> None:
    """The login form; a refusal says how long to wait (the form clears either way)."""
    with st.form("console-sign-in", clear_on_submit=True):
        st.text_input(tr("console.name"), key="console_name", max_chars=60)
        st.text_input(
            tr("console.password"),
            key="console_password",
            type="password",
            max_chars=accounts.MAX_PASSWORD,
        )
        st.form_submit_button(tr("console.sign_in"), on_click=_submitted, args=(data,))
    message = st.session_state.pop("_console_refused", None)
    if message:
        st.error(message)


def _submitted(data: Dataset) -> None:
    """Check the form's name and password (a callback: the form clears after it)."""
    name = str(st.session_state.get("console_name") or "").strip()
    password = str(st.session_state.get("console_password") or "")
    st.session_state["console_password"] = ""  # not kept in the session past this check
    try:
        found = accounts.sign_in(
            database(data),
            name,
            password,
            client=client(),
            now=clock.utc_now(),
            session_minutes=data.city.console_session_minutes,
        )
    except store.Error:
        _LOG.exception("console sign-in not checked")
        st.session_state["_console_refused"] = tr("console.store_unavailable")
        return
    if isinstance(found, accounts.Session):
        st.session_state[TOKEN_KEY] = found.token
        return
    key = "console.too_soon" if found.too_soon else "console.wrong"
    st.session_state["_console_refused"] = tr(key, wait=wait_text(found.wait_s))


def sign_out(data: Dataset) -> None:
    """End this browser session's console session (a button's callback)."""
    token = st.session_state.pop(TOKEN_KEY, None)
    if isinstance(token, str) and token:
        try:
            accounts.sign_out(database(data), token)
        except store.Error:
            _LOG.exception("console session not ended in the database")
