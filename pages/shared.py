"""Streamlit glue shared by the pages: cached loading, language, page chrome.

Only layout-level code lives here; everything else is in ``mapping``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from mapping import i18n
from mapping._errors import DataError
from mapping.io import Dataset, load_dataset
from mapping.settings import data_dir

LANG_KEY = "lang"


def data_version(folder: Path) -> tuple[tuple[str, float], ...]:
    """Cache key part: every data file's modification time, so edits reload the data."""
    return tuple(sorted((p.name, p.stat().st_mtime) for p in folder.iterdir() if p.is_file()))


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, version: tuple) -> Dataset:
    return load_dataset(folder)


def dataset() -> Dataset:
    """The data folder's dataset, loaded once per process and per file version."""
    folder = data_dir()
    try:
        return _load(str(folder), data_version(folder))
    except DataError as exc:
        st.error(i18n.t("app.data_problem", current_language(), folder=folder))
        st.code("\n".join(str(p) for p in exc.problems), language=None)
        st.stop()
        raise  # unreachable: st.stop() ends the run


def current_language() -> str:
    """The language chosen in the sidebar (bound to ``?lang=``)."""
    lang = st.session_state.get(LANG_KEY)
    return lang if lang in i18n.available_languages() else _default_language()


def _default_language() -> str:
    try:
        return _load(str(data_dir()), data_version(data_dir())).city.default_language
    except (DataError, OSError):
        return i18n.available_languages()[0]


def tr(key: str, /, **values: object) -> str:
    """UI text in the current language."""
    return i18n.t(key, current_language(), **values)


def language_selector(languages: tuple[str, ...], default: str) -> str:
    """The language switch shown on every page; its value lives in the URL (``?lang=``)."""
    ordered = [default, *[lang for lang in languages if lang != default]]
    return st.sidebar.selectbox(
        i18n.t("app.language", st.session_state.get(LANG_KEY) or default),
        ordered,
        key=LANG_KEY,
        bind="query-params",
        format_func=i18n.language_name,
    )


def local_now(tz: str) -> datetime:
    """Now in the town's time zone."""
    return datetime.now(ZoneInfo(tz))
