"""Which language's text a visitor sees for a data field: the one fallback rule.

A text field of the data (``name``, ``title``, ``description``, ``label``) is looked up
by :func:`localized` (one record) or :func:`localized_column` (a whole frame), through
the languages :func:`text_order` gives: the visitor's language, then the town's
``[languages] fallback`` for it (``city.toml``; Kotor: de → en → me), then the default
language, then the others in ``city.toml`` order. Each language is its
``<field>_<lang>`` column; the plain ``<field>`` (the original: venue names, event
titles) is the default language's text, tried right after the visitor's own column
unless a fallback language comes first; a *name* (:data:`NAME_FIELDS`) always keeps its
original right after the visitor's own language. Empty strings and missing values count as
missing, so a language without translations shows the next language's text.

The town's languages carry their order (:class:`TownLanguages`, which
``CityProfile.languages`` is), so every caller passing ``city.languages`` follows the
town's fallback without another argument. :func:`text_language` and
:func:`column_language` say which language a shown text is in, so a page can say
"Text in English" (:func:`mapping.i18n.text_note`). Re-exported by :mod:`mapping.i18n`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd


class TownLanguages(tuple[str, ...]):
    """A town's languages in ``city.toml`` order, with its default language and text
    fallback (``[languages] fallback``): what :func:`text_order` reads. Equal to the plain
    tuple of codes, so it goes wherever a tuple of languages does."""

    default: str
    fallback: dict[str, tuple[str, ...]]

    def __new__(
        cls,
        codes: Sequence[str] = (),
        default: str = "",
        fallback: Mapping[str, Sequence[str]] | None = None,
    ) -> TownLanguages:
        self = super().__new__(cls, codes)
        self.default = default or (self[0] if self else "")
        self.fallback = {k: tuple(v) for k, v in (fallback or {}).items()}
        return self


def text_order(lang: str, languages: Sequence[str]) -> list[str]:
    """The languages whose text a ``lang`` visitor sees, best first: ``lang``, the town's
    fallback for it, the default language, the other town languages."""
    default = getattr(languages, "default", "") or (languages[0] if languages else lang)
    fallback: tuple[str, ...] = getattr(languages, "fallback", {}).get(lang, ())
    return list(dict.fromkeys([lang, *fallback, default, *languages]))


NAME_FIELDS = frozenset({"name"})
"""Fields whose plain value is a proper name (a venue's, a place's): its original beats
any other language's gloss ("Kino „Boka“", not "Kino "Boka" (cinema)"), so it comes right
after the visitor's own language whatever the fallback says; ``data/README.md`` asks for
``name_<lang>`` only where the name says what the place is."""


def _lookup_order(field: str, lang: str, languages: Sequence[str]) -> list[tuple[str, str]]:
    """(column, language of its text) to try, best first (see the module docstring): the
    plain field is the default language's text, tried before its ``_<lang>`` column
    unless the visitor reads the default language; a name's right after the own column."""
    order = text_order(lang, languages)
    default = getattr(languages, "default", "") or (languages[0] if languages else lang)
    columns: list[tuple[str, str]] = []
    for i, code in enumerate(order):
        own, plain = (f"{field}_{code}", code), (field, code)
        columns += ([own, plain] if i == 0 else [plain, own]) if code == default else [own]
    if field in NAME_FIELDS:
        columns.remove((field, default))
        columns.insert(1, (field, default))
    return columns


def localized_column(
    frame: pd.DataFrame, field: str, lang: str, languages: Sequence[str]
) -> pd.Series:
    """A data field in ``lang`` for every row, vectorised, with the fallback rule
    (:func:`text_order`). Empty strings and missing values count as missing."""
    return _column_and_language(frame, field, lang, languages)[0]


def column_language(
    frame: pd.DataFrame, field: str, lang: str, languages: Sequence[str]
) -> pd.Series:
    """The language of each row's :func:`localized_column` text ("" where there is none)."""
    return _column_and_language(frame, field, lang, languages)[1]


def _column_and_language(
    frame: pd.DataFrame, field: str, lang: str, languages: Sequence[str]
) -> tuple[pd.Series, pd.Series]:
    result = np.full(len(frame), "", dtype=object)
    source = np.full(len(frame), "", dtype=object)
    missing = np.ones(len(frame), dtype=bool)
    for column, code in _lookup_order(field, lang, languages):
        if column not in frame.columns or not missing.any():
            continue
        rows = np.flatnonzero(missing)  # only rows still without text look further
        found = _stripped_texts(frame[column].iloc[rows])
        result[rows] = found
        source[rows[found != ""]] = code
        missing[rows] = found == ""
    return (
        pd.Series(result, index=frame.index, dtype=object),
        pd.Series(source, index=frame.index, dtype=object),
    )


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
    """One record's field in ``lang``, with the same fallback as :func:`localized_column`."""
    return text_language(record, field, lang, languages)[0]


def text_language(
    record: Record, field: str, lang: str, languages: Sequence[str]
) -> tuple[str, str]:
    """One record's :func:`localized` text and the language it is in (("", "") if none)."""
    for key, code in _lookup_order(field, lang, languages):
        value = record.get(key, "")
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            continue
        text = str(value).strip()
        if text:
            return text, code
    return "", ""
