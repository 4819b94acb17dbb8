"""Kotor Creative Map — the Streamlit entry point: page chrome, language, navigation."""

from __future__ import annotations

import streamlit as st

from mapping import i18n
from pages.shared import dataset, language_selector, page_style

st.set_page_config(layout="wide")

data = dataset(notify=True)
lang = language_selector(data.city.languages, data.city.default_language)
st.set_page_config(page_title=i18n.t("app.title", lang, city=data.city.name))
page_style(i18n.t("nav.menu", lang), lang)

pages = [
    st.Page(
        "pages/explore_page.py", title=i18n.t("nav.explore", lang), url_path="explore", default=True
    ),
    st.Page("pages/whats_on_page.py", title=i18n.t("nav.whats_on", lang), url_path="whats-on"),
    st.Page("pages/planning_page.py", title=i18n.t("nav.planning", lang), url_path="planning"),
    st.Page("pages/members_page.py", title=i18n.t("nav.members", lang), url_path="members"),
    st.Page("pages/console_page.py", title=i18n.t("nav.review", lang), url_path="review"),
]
st.navigation(pages).run()
