"""UI text catalogues and per-language data fields: a language is a folder.

Catalogues
    Every ``*.toml`` file in ``mapping/locales/<lang>/`` is merged into that language's
    catalogue (files split by concern: ``ui.toml``, ``map.toml``, ``hours.toml``,
    ``events.toml``, ``dates.toml``, ``whats_on.toml``, ``locale.toml``). Keys are flat
    dotted strings; values are ``str.format`` templates. :func:`t` raises ``KeyError``
    for a missing key: ``tests/test_i18n.py`` keeps every folder complete (same keys,
    same ``{placeholders}``) and ``tests/test_docs.py`` checks that code uses every key.

Counts (plural forms)
    A text that contains a count is a *plural table* instead of a string: a TOML table
    whose keys are CLDR plural categories (``zero``, ``one``, ``two``, ``few``,
    ``many``, ``other``), e.g. in ``me``::

        [whats_on.count]
        one = "{count} događaj"      # 1, 21, 31, ...
        few = "{count} događaja"     # 2-4, 22-24, ...
        other = "{count} događaja"   # 0, 5-20, 25-30, ...

    :func:`plural` picks the form with Babel's CLDR plural rule for the language's
    locale, so no "event(s)" or "događaj(a)" is ever needed and no rule is written
    here. Each folder names its Babel locale in ``app.locale`` (``sr_Latn_ME`` for
    Montenegrin in Latin script, ``en``, ``de``): the language-to-locale mapping lives
    in the folder, so a language is still only a folder. A table holds exactly the
    categories its locale's rule can return (:func:`plural_forms`; the tests check).

Adding a language
    Add a folder ``mapping/locales/<lang>/`` with the same keys (``app.language`` is
    the word for "Language" that labels the switch, ``app.locale`` its Babel locale,
    and each plural table the forms that locale needs), add ``label_<lang>`` columns to
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
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeAlias

import numpy as np
import pandas as pd
from babel import Locale
from babel.dates import format_skeleton

LOCALES_DIR = Path(__file__).with_name("locales")
LOCALE_KEY = "app.locale"
"""The catalogue key naming the language's Babel (CLDR) locale, e.g. ``sr_Latn_ME``."""
PLURAL_CATEGORIES: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories: the keys a plural table may have (``other`` always)."""

PluralTable: TypeAlias = dict[str, str]
"""One text in each plural form its language needs: ``{"one": …, "other": …}``."""
Text: TypeAlias = str | PluralTable
"""A catalogue value: a template, or a plural table (see the module docstring)."""


@cache
def catalogue(lang: str) -> dict[str, Text]:
    """All keys of one language, merged from its TOML files (plural tables kept whole)."""
    folder = LOCALES_DIR / lang
    if not folder.is_dir():
        msg = f"no catalogue for language {lang!r}: expected folder {folder}"
        raise KeyError(msg)
    merged: dict[str, Text] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            merged.update(_flatten(tomllib.load(fh)))
    return merged


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, Text]:
    flat: dict[str, Text] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict) and _is_plural_table(value):
            flat[full] = {str(k): str(v) for k, v in value.items()}
        elif isinstance(value, dict):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = str(value)
    return flat


def _is_plural_table(table: Mapping[str, object]) -> bool:
    """A table of plural forms: only CLDR category keys, ``other`` among them."""
    return "other" in table and set(table) <= set(PLURAL_CATEGORIES)


def available_languages() -> list[str]:
    """Language codes that have a catalogue folder (listed once per process: the
    catalogues ship with the code)."""
    return list(_catalogue_folders())


@cache
def _catalogue_folders() -> tuple[str, ...]:
    return tuple(
        sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir() and any(p.glob("*.toml")))
    )


def t(key: str, lang: str, /, **values: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``values``.

    A missing key raises ``KeyError``: the completeness test keeps catalogues whole,
    so a silent fallback would only hide a bug.
    """
    template = catalogue(lang)[key]
    if not isinstance(template, str):
        msg = f"{key!r} is a plural table: use i18n.plural({key!r}, lang, count)"
        raise TypeError(msg)
    return template.format(**values) if values else template


@cache
def locale(lang: str) -> Locale:
    """The Babel locale of ``lang``, named by its catalogue's ``app.locale``."""
    return Locale.parse(t(LOCALE_KEY, lang))


def plural_forms(lang: str) -> frozenset[str]:
    """The CLDR plural categories ``lang`` uses: what each of its plural tables holds.

    ``sr_Latn_ME`` (Montenegrin): one, few, other; ``en`` and ``de``: one, other.
    """
    return frozenset(locale(lang).plural_form.tags | {"other"})


def plural(key: str, lang: str, count: int, /, **values: object) -> str:
    """The text for ``count`` of something: the form of plural table ``key`` that
    Babel's CLDR rule for ``lang``'s locale picks, formatted with ``count`` and ``values``.

    ``plural("whats_on.count", "me", 1)`` → "1 događaj …", ``2`` → "2 događaja …",
    ``5`` → "5 događaja …", ``21`` → "21 događaj …". The one plural lookup for every
    page (What's on and Explore alike). A key that is a plain string, or a table
    without the picked form, raises (``TypeError``/``KeyError``): the tests keep the
    tables complete, so a silent fallback would only hide a bug.
    """
    table = catalogue(lang)[key]
    if isinstance(table, str):
        msg = f"{key!r} is not a plural table (use i18n.t): {table!r}"
        raise TypeError(msg)
    form = locale(lang).plural_form(count)
    return table[form].format(count=count, **values)


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


def month_year(year: int, month: int, lang: str, /, *, long: bool = True) -> str:
    """A month of a year in ``lang``: "January 2027", or with ``long=False`` "Jan 2027".

    The one home of "month year" labels. The order and punctuation are the CLDR pattern
    of the language's locale (:func:`locale`), never an f-string: Montenegrin writes
    "januar 2027.", Hungarian "2027. január", Japanese "2027年1月". The month names of
    CLDR and of the catalogue (:func:`month_name`) agree for every catalogue language
    (``tests/test_i18n.py`` checks).
    """
    return format_skeleton("yMMMM" if long else "yMMM", date(year, month, 1), locale=locale(lang))


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
    return np.array(
        [v.strip() if isinstance(v, str) else str(v).strip() for v in array], dtype=object
    )


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
