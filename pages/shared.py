"""Streamlit glue shared by the pages: cached loading, language, page chrome.

Only layout-level code lives here; everything else is in ``mapping``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from mapping import i18n, render
from mapping._errors import DataError
from mapping.io import Dataset, load_dataset
from mapping.settings import CityProfile, data_dir, load_city
from mapping.text import css_string

LANG_KEY = "lang"
_this_run = threading.local()  # the town loaded by this script run (a run is one thread)


def data_version(folder: Path) -> tuple[tuple[str, float], ...]:
    """Cache key part: every data file's modification time, so edits reload the data.

    Within a script run, the version :func:`dataset` loaded (the folder is listed once a
    run, and the page's caches are keyed on the data it actually got).
    """
    loaded = getattr(_this_run, "version", None)
    if loaded is not None and loaded[0] == str(folder):
        return loaded[1]
    return tuple(sorted((p.name, p.stat().st_mtime) for p in folder.iterdir() if p.is_file()))


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, version: tuple) -> Dataset:
    return load_dataset(folder)


def dataset() -> Dataset:
    """The data folder's dataset, loaded once per process and per file version."""
    folder = data_dir()
    _this_run.city = _this_run.version = None
    version = data_version(folder)
    try:
        data = _load(str(folder), version)
    except DataError as exc:
        st.error(i18n.t("app.data_problem", current_language(), folder=folder))
        st.code("\n".join(str(p) for p in exc.problems), language=None)
        st.stop()
        raise  # unreachable: st.stop() ends the run
    _this_run.city, _this_run.version = data.city, (str(folder), version)
    return data


def current_language() -> str:
    """The language chosen in the sidebar (bound to ``?lang=``)."""
    lang = st.session_state.get(LANG_KEY)
    languages, default = _town_languages()
    return lang if lang in languages else default


def _town_languages() -> tuple[tuple[str, ...], str]:
    """The town's languages and default, from ``city.toml`` even when other files are
    broken (the error is then shown in the town's language); else every catalogue.

    Read from the dataset this run loaded when there is one: :func:`tr` asks on every
    text, and listing the data folder each time was a quarter of a loaded server's time.
    """
    city = getattr(_this_run, "city", None)
    if city is not None:
        return city.languages, city.default_language
    try:
        city = _load(str(data_dir()), data_version(data_dir())).city
    except (DataError, OSError):
        try:
            city = load_city(data_dir() / "city.toml")
        except (DataError, OSError):
            available = tuple(i18n.available_languages())
            return available, available[0]
    return city.languages, city.default_language


def tr(key: str, /, **values: object) -> str:
    """UI text in the current language."""
    return i18n.t(key, current_language(), **values)


def language_selector(languages: tuple[str, ...], default: str) -> str:
    """The language switch shown on every page; its value lives in the URL (``?lang=``).

    Its label is the word "Language" in every town language ("Jezik · Language"): a
    label that changed with the language would make Streamlit see a new widget and drop
    its state.
    """
    ordered = [default, *[lang for lang in languages if lang != default]]
    label = i18n.in_every_language("app.language", ordered)
    chosen = st.sidebar.segmented_control(
        label, ordered, default=default, key=LANG_KEY, bind="query-params",
        format_func=str.upper, required=True,
    )
    return chosen or default


def url_choice(key: str, options: list[str], default: str | list[str], *,
               multi: bool = False) -> None:
    """Prepare a choice widget's state so the URL holds option *ids*, not labels.

    ``bind="query-params"`` writes a selectbox's formatted label to the URL, which would
    tie a shared link to one language ("Galerije" vs "Galleries"); this keeps ids
    (``?cat=gallery&cat=museum``). Call before the widget, create the widget with this
    ``key`` and no default, and call :func:`sync_url` after it.
    """
    allowed = set(options)
    if key not in st.session_state:
        from_url = st.query_params.get_all(key)
        if multi:
            picked = [v for v in from_url if v in allowed]
            st.session_state[key] = picked if from_url else list(default)
        else:
            st.session_state[key] = from_url[0] if from_url and from_url[0] in allowed else default
    elif multi:
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    elif st.session_state[key] not in allowed:
        st.session_state[key] = default


def sync_url(key: str, default: str | list[str]) -> None:
    """Mirror a widget's value into the URL; the default leaves the URL clean."""
    value = st.session_state.get(key)
    if value == default or value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value


def page_style(filters_label: str) -> None:
    """Page chrome for small screens, as CSS: the map takes the height the screen
    allows, and the sidebar's bare arrow button says what it opens (``filters_label``).
    Wide screens keep the page's fixed map height, which fits below the title.

    Streamlit cannot open its sidebar from Python, so the existing toggle gets a
    visible, translated label rather than a second control that would not work.
    """
    st.html(
        "<style>"
        "@media (max-width:640px){"
        ".st-key-venue-map iframe{height:clamp(320px,calc(100dvh - 190px),760px)!important}"
        "[data-testid=stExpandSidebarButton]::after,[data-testid=stSidebarCollapsedControl]"
        f" button::after{{content:{css_string(filters_label)};margin-left:.35rem;"
        "font-weight:600;font-size:.95rem}"
        "[data-testid=stExpandSidebarButton]{width:auto!important}"
        ".block-container h1{font-size:1.6rem;padding-top:.2rem}"
        "}</style>"
    )


def show_map(payload: render.MapPayload, city: CityProfile, *, key: str, height: int,
             returned_objects: list[str] | None = None) -> dict | None:
    """The town's map, mounted once per page, drawing ``payload``; streamlit-folium's output.

    The base map (:func:`mapping.render.base_map`) is the same text on every run, so
    streamlit-folium keeps its component mounted; the payload travels as a dynamic
    feature group and the map's runtime redraws only what changed. No ``center``: the
    runtime brings the selected venue and a new start point into view itself.
    """
    with st.container(key="venue-map"):  # the page style sizes the map by this key
        return st_folium(render.base_map(city), key=key, height=height,
                         use_container_width=True, returned_objects=returned_objects or [],
                         feature_group_to_add=render.venue_layers(payload))
