"""UI text catalogues and per-language data fields: a language is a folder.

Catalogues
    Every ``*.toml`` file in ``mapping/locales/<lang>/`` is merged into that language's
    catalogue (files split by concern: ``ui.toml``, ``map.toml``, ``hours.toml``,
    ``events.toml``, ``dates.toml``). Keys are flat dotted strings; values are
    ``str.format`` templates. :func:`t` raises ``KeyError`` for a missing key:
    ``tests/test_i18n.py`` keeps every folder complete (same keys, same
    ``{placeholders}``) and ``tests/test_docs.py`` checks that code uses every key.

Adding a language
    Add a folder ``mapping/locales/<lang>/`` with the same keys (``app.language`` is
    the word for "Language" that labels the switch), add ``label_<lang>`` columns to
    the data folder's ``categories.csv`` and ``event_categories.csv``, and add
    ``<lang>`` to ``languages`` in ``city.toml``. No Python changes: code never names
    a language.

Data fields (the fallback rule)
    A text field of the data (``name``, ``title``, ``description``, ``label``) is looked
    up by :func:`localized` (one record) or :func:`localized_column` (a whole frame),
    the ONE per-language lookup, in this order:

    1. ``<field>_<lang>``, the translation into the visitor's language;
    2. ``<field>``, the original text (venue names, event titles);
    3. ``<field>_<other>`` for the town's other languages, in ``city.toml`` order.

    Empty strings and missing values count as missing, so a language without
    translations (German descriptions, say) shows the original or another language.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

LOCALES_DIR = Path(__file__).with_name("locales")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All keys of one language, merged from its TOML files."""
    folder = LOCALES_DIR / lang
    if not folder.is_dir():
        msg = f"no catalogue for language {lang!r}: expected folder {folder}"
        raise KeyError(msg)
    merged: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            merged.update(_flatten(tomllib.load(fh)))
    return merged


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = str(value)
    return flat


def available_languages() -> list[str]:
    """Language codes that have a catalogue folder."""
    return sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir() and any(p.glob("*.toml")))


def t(key: str, lang: str, /, **values: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``values``.

    A missing key raises ``KeyError``: the completeness test keeps catalogues whole,
    so a silent fallback would only hide a bug.
    """
    template = catalogue(lang)[key]
    return template.format(**values) if values else template


def in_every_language(key: str, languages: Sequence[str], /, sep: str = " · ") -> str:
    """``key``'s text in each of ``languages``, joined: "Jezik · Language · Sprache".

    For labels that must not change with the language (Streamlit keys a widget's
    state by its label, so the language switch keeps one label in every language).
    Equal texts are shown once.
    """
    return sep.join(dict.fromkeys(t(key, lang) for lang in languages))


def month_name(month: int, lang: str, /, *, long: bool = False) -> str:
    """The name of ``month`` (1-12) in ``lang``: "Jan" or, with ``long``, "January".

    The one home of month names: cards, season summaries, charts, event labels and the
    command line all ask here, so a language's catalogue names each month once.
    """
    return t(f"date.month{'_long' if long else ''}.{int(month)}", lang)


def weekday_name(weekday: int, lang: str, /, *, long: bool = False) -> str:
    """The name of ``weekday`` (0 = Monday … 6 = Sunday, as ``date.weekday()``) in ``lang``."""
    return t(f"date.weekday{'_long' if long else ''}.{int(weekday)}", lang)


def _lookup_order(field: str, lang: str, languages: Sequence[str]) -> list[str]:
    """Column names to try, best first (see the module docstring)."""
    return [f"{field}_{lang}", field, *(f"{field}_{o}" for o in languages if o != lang)]


def localized_column(
    frame: pd.DataFrame, field: str, lang: str, languages: Sequence[str]
) -> pd.Series:
    """A data field in ``lang`` for every row, vectorised, with the fallback rule.

    Order: ``<field>_<lang>``, then ``<field>`` (the original), then the other
    languages' ``<field>_<other>``. Empty strings and missing values count as missing.
    """
    result = np.full(len(frame), "", dtype=object)
    missing = np.ones(len(frame), dtype=bool)
    for column in _lookup_order(field, lang, languages):
        if column not in frame.columns or not missing.any():
            continue
        rows = np.flatnonzero(missing)  # only rows still without text look further
        found = _stripped_texts(frame[column].iloc[rows])
        result[rows] = found
        missing[rows] = found == ""
    return pd.Series(result, index=frame.index, dtype=object)


def _stripped_texts(values: pd.Series) -> np.ndarray:
    """The column as stripped Python strings, "" for missing (object array, no Arrow)."""
    array = values.to_numpy(dtype=object, na_value="")
    return np.array([v.strip() if isinstance(v, str) else str(v).strip() for v in array],
                    dtype=object)


class Record(Protocol):
    """A row with ``.get(key, default)``: a ``dict``, or a ``pandas.Series`` row."""

    def get(self, key: str, default: Any, /) -> Any: ...


def localized(record: Record, field: str, lang: str, languages: Sequence[str]) -> str:
    """One record's field in ``lang``, with the same fallback as :func:`localized_column`:
    ``field_<lang>``, then ``field`` (the original), then ``field_<other>``; else ""."""
    for key in _lookup_order(field, lang, languages):
        value = record.get(key, "")
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            continue
        text = str(value).strip()
        if text:
            return text
    return ""
