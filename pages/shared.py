"""Streamlit glue shared by the pages: cached loading, language, page chrome.

Only layout-level code lives here; everything else is in ``mapping``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypedDict

import streamlit as st

from mapping import i18n, params, render, store, usage
from mapping.errors import DataError, Problem
from mapping.io import Dataset
from mapping.serving import load_served
from mapping.settings import DATA_ENV_VAR, CityProfile, data_dir, load_city
from mapping.text import markdown_literal as md
from pages._chrome import bound_flag, bound_text, filters_checked, filters_popover, page_style
from pages._language import LANG_KEY, language_selector

# The language switch lives in pages._language, the page chrome (phone layout, the
# filters popover) in pages._chrome; the pages import both from here.
__all__ = [
    "LANG_KEY",
    "bound_flag",
    "bound_text",
    "filters_checked",
    "filters_popover",
    "language_selector",
    "page_style",
]

USAGE_SHOWN = "_usage_shown_"  # + list name: (day, venue ids) this session last counted
USAGE_OPENED = "_usage_opened"  # the selected venue id this session last saw ("" = none)
URL_SEEN = "_url_seen_"  # + key: the key's URL values as this session last read or wrote them
_LOG = logging.getLogger(__name__)
# What this script run served: (folder, dataset or None, problems). A run is one thread
# and every run starts with app.py's dataset(), which refreshes it; the texts of the run
# (dozens of tr() calls) read it instead of listing the folder again each time.
_this_run = threading.local()


def data_version(folder: Path) -> tuple[tuple[str, int, int, int], ...]:
    """Cache key part: every entry of the data folder with its modification time, size
    and change time, so an edit, a replaced file or a changed permission reloads the data.

    Never raises: a folder that cannot be listed gives a version naming the error.
    """
    try:
        entries = []
        for path in folder.iterdir():
            stat = path.stat()
            entries.append((path.name, stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns))
        return tuple(sorted(entries))
    except OSError as exc:
        return ((f"{type(exc).__name__}: {exc}", 0, 0, 0),)


@dataclass(frozen=True)
class _Loaded:
    """One attempt at loading a folder version: the dataset, or why there is none."""

    dataset: Dataset | None
    problems: tuple[Problem, ...] = ()


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, version: tuple[tuple[str, int, int, int], ...]) -> _Loaded:
    """Load one version of the folder. A failure is cached too (a broken version is
    not re-read on every rerun) and logged once for the maintainer's terminal."""
    loaded = _attempt(Path(folder))
    if loaded.problems:
        _LOG.warning(
            "data folder %s cannot be loaded:\n%s",
            folder,
            "\n".join(str(p) for p in loaded.problems),
        )
    return loaded


def _attempt(folder: Path) -> _Loaded:
    """Any exception becomes problems: a :class:`DataError` gives its own, anything
    else one line naming the exception (the traceback goes to the log, not the page)."""
    try:
        if not folder.exists():
            return _Loaded(
                None,
                (
                    Problem(
                        str(folder),
                        "-",
                        "-",
                        f"data folder not found; set {DATA_ENV_VAR} to a data folder",
                    ),
                ),
            )
        if not folder.is_dir():
            return _Loaded(
                None,
                (
                    Problem(
                        str(folder), "-", "-", f"not a folder; set {DATA_ENV_VAR} to a data folder"
                    ),
                ),
            )
        data = load_served(folder)
    except DataError as exc:
        return _Loaded(None, tuple(exc.problems))
    except Exception as exc:  # a crash while loading is a data problem too
        _LOG.exception("loading %s failed", folder)
        summary = next(iter(str(exc).splitlines()), "")[:300]
        msg = f"could not load the data: {type(exc).__name__}: {summary}"
        return _Loaded(None, (Problem(str(folder), "-", "-", msg),))
    return _Loaded(data)  # load_city already refused a language without a catalogue


@st.cache_resource(show_spinner=False)
def _last_valid() -> dict[str, Dataset]:
    """The last dataset that loaded, per folder, shared by every session of the process."""
    return {}


def _current(folder: Path) -> tuple[Dataset | None, tuple[Problem, ...]]:
    """The dataset to serve (the folder's, else its last valid one) and the problems."""
    loaded = _load(str(folder), data_version(folder))
    if loaded.dataset is not None:
        _last_valid()[str(folder)] = loaded.dataset
        served: tuple[Dataset | None, tuple[Problem, ...]] = (loaded.dataset, ())
    else:
        served = (_last_valid().get(str(folder)), loaded.problems)
    _this_run.served = (str(folder), *served)
    return served


def _served_this_run(folder: Path) -> Dataset | None:
    """The dataset this run's :func:`dataset` served (no folder listing), else the
    folder's current one."""
    memo: tuple[str, Dataset | None, tuple[Problem, ...]] | None = getattr(
        _this_run, "served", None
    )
    if memo is not None and memo[0] == str(folder):
        return memo[1]
    return _current(folder)[0]


WARM_MODULES = ("folium", "mapping.explore", "mapping.whats_on", "mapping.render")


def warm_up() -> None:
    """Import the pages' libraries and load the data folder into the process cache.

    The launcher (``scripts/serve.py``) calls this before the server listens, so the
    first visitor after a start waits no longer than later ones (importing
    geopandas, folium and the rest, reading the data, and the first season summaries
    of the landing map (:func:`mapping.explore.warm_default_view`) take seconds on a
    small machine). A folder that cannot be loaded is cached as such, as on a visit.

    It must not import a module that declares a Streamlit component (streamlit_folium,
    ``mapping.components``): ``declare_component`` registers only inside a script run,
    and a module imported here is not imported again, so its frontend would never be
    served (``tests/test_launcher.py`` checks).
    """
    import importlib

    for module in WARM_MODULES:
        importlib.import_module(module)
    data, _ = _current(data_dir())
    if data is not None:
        from mapping import clock, explore

        explore.warm_default_view(data, clock.now(data.city.timezone))


def dataset(*, notify: bool = False) -> Dataset:
    """The data folder's dataset, loaded once per process and per file version.

    Data that changes under a running app is picked up at the next rerun if it loads.
    If it does not, the last dataset that loaded keeps being served, and (with
    ``notify``: the entry point asks, so the notice shows once per page) a collapsed
    notice names the problems for the maintainer. With no valid dataset at all, the
    visitor sees a short message in their language and the maintainer the problems
    (file, record, field); the run stops there. Nothing here shows a traceback.
    """
    folder = data_dir()
    data, problems = _current(folder)
    if data is not None:
        if problems and notify:
            with st.expander(tr("data.stale"), icon=":material/warning:"):
                _problem_list(folder, problems)
        return data
    st.error(tr("data.unavailable"))
    with st.expander(tr("data.details")):
        _problem_list(folder, problems)
    st.stop()
    raise AssertionError  # unreachable: st.stop() ends the run


def _problem_list(folder: Path, problems: tuple[Problem, ...]) -> None:
    st.markdown(md(tr("app.data_problem", folder=folder)))
    st.code("\n".join(str(p) for p in problems), language=None)


def current_language() -> str:
    """The language chosen in the sidebar (bound to ``?lang=``); before the sidebar
    exists (the data could not be loaded), the link's ``?lang=``."""
    languages, default = _town_languages()
    chosen = st.session_state.get(LANG_KEY)
    if chosen in languages:
        return str(chosen)
    return params.language(st.query_params.get_all(LANG_KEY), languages, default).value


def _town_languages() -> tuple[tuple[str, ...], str]:
    """The town's languages that have a catalogue, and the default, from the dataset
    served, else from ``city.toml`` even when other files are broken (the error is then
    shown in the town's language), else every catalogue."""
    available = tuple(i18n.available_languages())
    data = _served_this_run(data_dir())
    try:
        city = data.city if data is not None else load_city(data_dir() / "city.toml")
    except Exception:  # any broken city.toml: fall back to every catalogue
        return available, available[0]
    languages = tuple(lang for lang in city.languages if lang in available) or available
    default = city.default_language if city.default_language in languages else languages[0]
    return languages, default


def tr(key: str, /, **values: object) -> str:
    """UI text in the current language."""
    return i18n.t(key, current_language(), **values)


def url_choice(
    key: str, options: list[str], default: str | list[str], *, multi: bool = False
) -> bool:
    """Prepare a choice widget's state so the URL holds option *ids*, not labels.

    ``bind="query-params"`` writes a selectbox's formatted label to the URL, which would
    tie a shared link to one language ("Galerije" vs "Galleries"); this keeps ids
    (``?cat=gallery&cat=museum``). Call before the widget, create the widget with this
    ``key`` and no default, and call :func:`sync_url` after it.

    The URL is read on the key's first run in the session and whenever it differs from
    what this session last read or wrote there (:data:`URL_SEEN`): a link followed
    within the session (What's on's "at <venue>", the page menu), Back or Forward. Then
    the link wins over the remembered value; otherwise the session's value (the widget's,
    newer than the URL until :func:`sync_url` writes it) stays.

    The URL is read through :func:`mapping.params.choice` / :func:`~mapping.params.choices`:
    unknown ids fall back to the default. Returns True when the link held an id that
    was not used (the page may say so, see :func:`link_notice`).
    """
    allowed = set(options)
    from_url = st.query_params.get_all(key)
    if key not in st.session_state or from_url != st.session_state.get(URL_SEEN + key):
        parsed: params.Parsed[str] | params.Parsed[list[str]] = (
            params.choices(from_url, allowed, default)
            if multi
            else params.choice(from_url, allowed, str(default))
        )
        st.session_state[key] = parsed.value
        st.session_state[URL_SEEN + key] = from_url
        return parsed.refused
    if multi:
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    elif st.session_state[key] not in allowed:
        st.session_state[key] = default
    return False


def link_notice(refused: list[str]) -> None:
    """Say that settings of this link could not be used (``refused``: their labels)."""
    if refused:
        st.info(tr("params.ignored", names=", ".join(refused)), icon=":material/link_off:")


def sync_url(key: str, default: str | list[str]) -> None:
    """Mirror a widget's value into the URL; the default leaves the URL clean."""
    value = st.session_state.get(key)
    set_url(key, None if value == default else value)
    st.session_state[URL_SEEN + key] = st.query_params.get_all(key)


def set_url(key: str, value: str | list[str] | None) -> None:
    """Set (``None``: remove) one URL parameter, only if that changes the URL.

    Streamlit sends the browser a new query string on every write, changed or not, and
    its frontend applies it to the path the address bar shows at that moment: on a
    page switch (a link to another page) that can still be the previous page's path,
    which adds a history entry the visitor never visited (Back then lands on the old
    page with the new page's parameters). An unchanged URL is therefore never written.
    """
    values = [] if value is None else [value] if isinstance(value, str) else list(value)
    if st.query_params.get_all(key) == values:
        return
    if values:
        st.query_params[key] = values
    else:
        st.query_params.pop(key, None)


class MapClick(TypedDict):
    """Where a visitor clicked the map, as streamlit-folium reports it."""

    lat: float
    lng: float


class MapOutput(TypedDict, total=False):
    """What :func:`show_map` hands back: the ``returned_objects`` the page asked for."""

    last_clicked: MapClick | None


def asset_base() -> str:
    """Where the vendored Leaflet and Font Awesome are served: ``render.ASSET_BASE``
    under ``server.baseUrlPath``, so a town served under ``/kotor/`` (deploy/) loads
    them from ``/kotor/app/static/vendor``."""
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{prefix}{render.ASSET_BASE}" if prefix else render.ASSET_BASE


def show_map(
    payload: render.MapPayload,
    city: CityProfile,
    *,
    key: str,
    height: int,
    returned_objects: list[str] | None = None,
    container: str = "venue-map",
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> MapOutput | None:
    """The town's map, mounted once per page, drawing ``payload``; streamlit-folium's output.

    The base map (:func:`mapping.render.base_map`) is the same text on every run, so
    streamlit-folium keeps its component mounted; the payload travels as a dynamic
    feature group and the map's runtime redraws only what changed. No ``center``: the
    runtime brings the selected venue and a new start point into view itself.
    ``container`` keys the map's box: the page style sizes ``venue-map`` (the page's
    main map) to the phone's screen; a page with several maps names the others.
    ``center``/``zoom`` start a map elsewhere than the town's default view (a map about
    one venue); they are part of the base map's text, so keep them fixed per map.
    """
    with st.container(key=container):  # the page style sizes the map by this key
        from streamlit_folium import st_folium  # here, not at the top: see warm_up

        out: MapOutput | None = st_folium(  # streamlit-folium's result is untyped
            render.base_map(city, center=center, zoom=zoom, asset_base=asset_base()),
            key=key,
            height=height,
            use_container_width=True,
            returned_objects=returned_objects or [],
            feature_group_to_add=render.venue_layers(payload),
        )
        return out


def usage_recorder(data: Dataset) -> usage.UsageRecorder:
    """The process-wide usage recorder of this town's database (``mapping.store``)."""
    return usage.recorder(store.database_path(data.city, data.folder))


def count_shown(data: Dataset, list_name: str, venue_ids: Iterable[str], day: date) -> None:
    """Count the venues of a result list on screen as shown, once per change.

    Streamlit reruns the page on every interaction, so the session remembers the ids it
    last counted for ``list_name`` (and the day): a rerun that shows the same list counts
    nothing, a list grown by "show more" counts only the new entries
    (:func:`mapping.usage.to_count`). Memory only; the recorder writes in the background.
    """
    ids = tuple(venue_ids)
    key = USAGE_SHOWN + list_name
    remembered = st.session_state.get(key)
    previous = remembered[1] if remembered and remembered[0] == day else ()
    st.session_state[key] = (day, ids)
    new = usage.to_count(previous, ids)
    if new:
        usage_recorder(data).shown(new, day)


def count_opened(data: Dataset, venue_id: str | None, day: date) -> None:
    """Count a card open when the selected venue changes to a new one (a list pick, a
    marker click, a ``?venue=`` link); a rerun with the same selection counts nothing,
    and closing then reopening a card counts again."""
    previous = st.session_state.get(USAGE_OPENED, "")
    st.session_state[USAGE_OPENED] = venue_id or ""
    if venue_id and venue_id != previous:
        usage_recorder(data).opened(venue_id, day)
