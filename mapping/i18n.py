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

Numbers
    :func:`number` and :func:`percent` write numbers as the language's Babel locale
    does ("2.048", "0,87" and "12 %" in ``de``; "2,048", "0.87" and "12%" in ``en``):
    tables, charts and reports never format a number shown to people with an f-string.

Adding a language
    Add a folder ``mapping/locales/<lang>/`` with the same keys (``app.language`` is
    the word for "Language" that labels the switch, ``app.locale`` its Babel locale,
    and each plural table the forms that locale needs), add ``label_<lang>`` columns to
    the data folder's ``categories.csv`` and ``event_categories.csv``, and add
    ``<lang>`` to ``languages`` in ``city.toml``. No Python changes: code never names
    a language.

A town's own languages
    A data folder may ship ``locales/<lang>/*.toml`` for a language the code does not
    (:data:`TOWN_LOCALES`). The catalogue stays keyed by language code, so :func:`t`
    needs no town argument: loading the town (:func:`mapping.settings.load_city`)
    registers its catalogues (:func:`register_town_locales`) after checking them whole
    (:func:`catalogue_problems`). No global decides which languages a town may use:
    ``load_city`` accepts a language only when it is built in or in the town's own
    folder, so a town never gains a language from another town loaded in the same
    process; two towns with different catalogues of one code: the last loaded wins.

Data fields (the fallback rule)
    A text field of the data (``name``, ``title``, ``description``, ``label``) is looked
    up by :func:`localized` (one record) or :func:`localized_column` (a whole frame), the
    ONE per-language lookup, following the town's text order (visitor's language, the
    ``[languages] fallback`` of ``city.toml``, the default language, the others): see
    :mod:`mapping.text_fallback`, re-exported here. :func:`text_note` says when a shown
    text is in another language than the page's.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import TypeAlias

import pandas as pd
from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent

from mapping.text_fallback import (
    TownLanguages,
    column_language,
    localized,
    localized_column,
    text_language,
    text_order,
)

__all__ = [
    "LOCALES_DIR",
    "LOCALE_KEY",
    "PLURAL_CATEGORIES",
    "REFERENCE_LANGUAGE",
    "TOWN_LOCALES",
    "PluralTable",
    "Text",
    "TownLanguages",
    "available_languages",
    "catalogue",
    "catalogue_problems",
    "column_language",
    "in_every_language",
    "locale",
    "localized",
    "localized_column",
    "month_name",
    "month_year",
    "noted_column",
    "number",
    "percent",
    "plural",
    "plural_forms",
    "register_town_locales",
    "t",
    "text_language",
    "text_note",
    "text_order",
    "town_languages",
    "weekday_name",
]

LOCALES_DIR = Path(__file__).with_name("locales")
LOCALE_KEY = "app.locale"
"""The catalogue key naming the language's Babel (CLDR) locale, e.g. ``sr_Latn_ME``."""
PLURAL_CATEGORIES: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories: the keys a plural table may have (``other`` always)."""

PluralTable: TypeAlias = dict[str, str]
"""One text in each plural form its language needs: ``{"one": …, "other": …}``."""
Text: TypeAlias = str | PluralTable
"""A catalogue value: a template, or a plural table (see the module docstring)."""


TOWN_LOCALES = "locales"
"""A data folder's own catalogues: ``<data>/locales/<lang>/*.toml`` (see the docstring)."""
REFERENCE_LANGUAGE = "en"
"""The built-in catalogue a town's own catalogue is checked against (same keys…)."""
_town_catalogues: dict[str, dict[str, Text]] = {}
"""Catalogues registered by :func:`register_town_locales`, by language code."""


def catalogue(lang: str) -> dict[str, Text]:
    """All keys of one language, merged from its TOML files (plural tables kept whole):
    the built-in folder ``mapping/locales/<lang>/``, else a town's registered catalogue."""
    found = _built_in(lang)
    if found is not None:
        return found
    if lang in _town_catalogues:
        return _town_catalogues[lang]
    msg = (
        f"no catalogue for language {lang!r}: expected folder {LOCALES_DIR / lang} "
        f"or {TOWN_LOCALES}/{lang}/ in the data folder"
    )
    raise KeyError(msg)


@cache
def _built_in(lang: str) -> dict[str, Text] | None:
    """The built-in catalogue of ``lang`` (``None``: none ships): one lookup per call of
    :func:`t`, so kept per language."""
    return _read_catalogue(LOCALES_DIR / lang) if lang in _catalogue_folders() else None


@cache
def _read_catalogue(folder: Path) -> dict[str, Text]:
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


def available_languages(*, built_in_only: bool = False) -> list[str]:
    """Language codes that have a catalogue: the built-in folders (listed once per
    process: they ship with the code), then (unless ``built_in_only``) the languages
    towns registered."""
    built_in = _catalogue_folders()
    if built_in_only:
        return list(built_in)
    return [*built_in, *sorted(set(_town_catalogues) - set(built_in))]


def town_languages(data_folder: Path) -> list[str]:
    """The languages a data folder ships its own catalogue for (``locales/<lang>/``)."""
    root = data_folder / TOWN_LOCALES
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.toml")))


def register_town_locales(data_folder: Path, languages: Sequence[str]) -> list[str]:
    """Make the town's own catalogues of ``languages`` available to :func:`t`, and return
    the problems found instead (nothing is registered then).

    Called by :func:`mapping.settings.load_city`, so a town's language works wherever
    the town is loaded, and touches no file of the code tree. A language with a built-in
    catalogue keeps it (a town folder may add languages, not replace them). Each catalogue
    is read and checked whole (:func:`catalogue_problems`) and kept in memory, so a
    temporary copy of the folder may be deleted afterwards. Registrations are by
    language code, per process: another town loaded later with its own catalogue of the
    same code replaces it; a town never gains a language through another town, because
    :func:`mapping.settings.load_city` accepts only languages that are built in or in its
    own folder.
    """
    found: dict[str, dict[str, Text]] = {}
    problems: list[str] = []
    for lang in languages:
        folder = data_folder / TOWN_LOCALES / lang
        if lang in _catalogue_folders() or not folder.is_dir():
            continue
        try:
            entries = _read_catalogue(folder)
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{TOWN_LOCALES}/{lang}: cannot read: {exc}")
            continue
        problems += [f"{TOWN_LOCALES}/{lang}: {p}" for p in catalogue_problems(entries)]
        found[lang] = entries
    if not problems:
        for lang, entries in found.items():
            if _town_catalogues.get(lang) != entries:
                _town_catalogues[lang] = entries
                locale.cache_clear()
    return problems


def catalogue_problems(entries: Mapping[str, Text]) -> list[str]:
    """What keeps a catalogue from being complete: against the reference language, every
    key present, none unknown, the same ``{placeholders}`` and kind (text or plural
    table), no empty text, a Babel locale in ``app.locale`` and plural tables with
    exactly its forms. ``tests/test_i18n.py`` asks the same of the built-in ones."""
    reference = catalogue(REFERENCE_LANGUAGE)
    problems = [f"missing key {k!r}" for k in reference if k not in entries]
    problems += [f"unknown key {k!r}" for k in entries if k not in reference]
    try:
        forms: frozenset[str] | None = frozenset(
            Locale.parse(str(entries.get(LOCALE_KEY, ""))).plural_form.tags | {"other"}
        )
    except (ValueError, TypeError) as exc:  # babel: unknown or malformed locale
        problems.append(f"{LOCALE_KEY}: not a Babel locale ({exc})")
        forms = None
    for key, value in entries.items():
        if key not in reference:
            continue
        ref = reference[key]
        texts = {"": value} if isinstance(value, str) else dict(value)
        if isinstance(value, str) != isinstance(ref, str):
            kind = "text" if isinstance(ref, str) else "a plural table"
            problems.append(f"{key}: expected {kind}")
            continue
        wanted = {frozenset(_PLACEHOLDER.findall(t)) for t in _texts(ref)}
        if {frozenset(_PLACEHOLDER.findall(t)) for t in texts.values()} != wanted:
            problems.append(f"{key}: expected the placeholders of {REFERENCE_LANGUAGE!r}")
        if any(not t.strip() for t in texts.values()):
            problems.append(f"{key}: empty text")
        if forms is not None and not isinstance(value, str) and set(value) != forms:
            problems.append(f"{key}: expected the plural forms {sorted(forms)}")
    return problems


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _texts(value: Text) -> list[str]:
    return [value] if isinstance(value, str) else list(value.values())


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


def number(value: float, lang: str, /, *, digits: int = 0) -> str:
    """``value`` with exactly ``digits`` decimals, as ``lang``'s CLDR locale writes it:
    "2.048" and "0,87" in ``me``/``de``, "2,048" and "0.87" in ``en``.

    The one home of numbers shown to people (tables, charts, the report): never an
    f-string, which writes English everywhere. NaN (an unknown value) is an empty text;
    a value that rounds to zero is "0", never "-0".
    """
    if math.isnan(value):
        return ""
    shown = round(float(value), digits) + 0.0  # + 0.0: -0.0 becomes 0.0
    own = locale(lang)
    return format_decimal(
        shown, format=_decimals(own.decimal_formats[None].pattern, digits), locale=own
    )


def percent(share: float, lang: str, /, *, digits: int = 0) -> str:
    """A share (0.12) as a percentage with ``digits`` decimals, in the CLDR pattern of
    ``lang``'s locale: "12 %" in ``de`` (a no-break space), "12%" in ``en`` and ``me``.
    NaN is an empty text, like :func:`number`."""
    if math.isnan(share):
        return ""
    shown = share if round(share * 100, digits) else 0.0
    own = locale(lang)
    return format_percent(
        shown, format=_decimals(own.percent_formats[None].pattern, digits), locale=own
    )


def _decimals(pattern: str, digits: int) -> str:
    """A CLDR number pattern with exactly ``digits`` decimals: "#,##0.###" → "#,##0.00"."""
    return _FRACTION.sub("0" + ("." + "0" * digits if digits else ""), pattern, count=1)


_FRACTION = re.compile(r"0(?:\.[0#]+)?")


def text_note(source: str, lang: str) -> str:
    """The note for record text in language ``source`` on a ``lang`` page: "" when they
    agree (or there is no text), else "Text in English" in ``lang``."""
    if source in ("", lang):
        return ""
    key = f"record.text_in.{source}"
    return t(key if key in catalogue(lang) else "record.text_other", lang)


def noted_column(frame: pd.DataFrame, field: str, lang: str, languages: Sequence[str]) -> pd.Series:
    """:func:`localized_column` with :func:`text_note` after each text that is in another
    language than ``lang``: "An atelier … (Text auf Englisch)" on a German page for a
    record without German text. Plain text: the caller escapes it."""
    texts = localized_column(frame, field, lang, languages)
    notes = column_language(frame, field, lang, languages).map(lambda code: text_note(code, lang))
    shown = (texts != "") & (notes != "")
    return texts.where(~shown, texts + " (" + notes + ")")
