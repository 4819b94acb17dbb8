"""The coordinator's review console: pending suggestions, before and after, decisions.

Behind a login (:mod:`mapping.accounts`; accounts are made with ``python -m mapping
accounts add NAME``). Without a console session this page shows the login form only.
Layout only: the parts are laid out by ``_console_review`` (pending, history) and
``_console_links`` (personal links, outreach, the overview with usage counts), the
sign-in by ``_console_session``; every decision goes through :mod:`mapping.console`, which calls
the command line's own review functions.
"""

from __future__ import annotations

import streamlit as st

from mapping import clock
from pages._console_links import GOTO_KEY, links_part
from pages._console_review import Review, history_part, pending_part
from pages._console_session import sign_in_form, sign_out, signed_in
from pages.shared import current_language, dataset, tr

PARTS = ["pending", "history", "links"]

data = dataset()
st.title(tr("console.title"))
name = signed_in()
if name is None:
    st.caption(tr("console.intro"))
    sign_in_form(data)
else:
    top, button = st.columns([4, 1])
    top.caption(tr("console.signed_in_as", name=name))
    button.button(tr("console.sign_out"), key="console_sign_out", on_click=sign_out, args=(data,))
    goto = st.session_state.pop(GOTO_KEY, None)  # handed over by Planning or the overview
    if goto in PARTS:
        st.session_state["console_part"] = goto
    # Labels looked up now: AppTest calls a format_func outside the run.
    part_labels = {p: tr(f"console.part_{p}") for p in PARTS}
    part = st.segmented_control(
        tr("console.part"),
        PARTS,
        key="console_part",
        default="pending",
        required=True,
        format_func=part_labels.__getitem__,
    )
    run = Review.of(data, name, current_language(), clock.utc_now())
    if part == "history":
        history_part(run)
    elif part == "links":
        links_part(run)
    else:
        pending_part(run)
