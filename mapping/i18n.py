"""UI text catalogues: one folder per language under ``mapping/locales/<lang>/``.

Every ``*.toml`` file in a language folder is merged into that language's catalogue
(files split by concern: ``ui.toml``, ``hours.toml``, ``events.toml``…). Keys are flat
dotted strings; values are ``str.format`` templates. Adding a language means adding a
folder with the same keys; ``tests/test_i18n.py`` fails when a key is missing.

Each folder's ``meta.toml`` holds ``"language.name"`` (the language's own name).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

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


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
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


def month_name(month: int, lang: str, /, *, long: bool = False) -> str:
    """The name of ``month`` (1-12) in ``lang``: "Jan" or, with ``long``, "January".

    The one home of month names: cards, season summaries, charts, event labels and the
    command line all ask here, so a language's catalogue names each month once.
    """
    return t(f"date.month{'_long' if long else ''}.{int(month)}", lang)


def weekday_name(weekday: int, lang: str, /, *, long: bool = False) -> str:
    """The name of ``weekday`` (0 = Monday … 6 = Sunday, as ``date.weekday()``) in ``lang``."""
    return t(f"date.weekday{'_long' if long else ''}.{int(weekday)}", lang)


def localized_column(frame, field: str, lang: str, languages: tuple[str, ...] | list[str]):
    """A data field in ``lang`` for every row, vectorised, with fallback.

    Order: ``<field>_<lang>``, then ``<field>`` (the original), then the other
    languages' ``<field>_<other>``. Empty strings count as missing.
    """
    order = [f"{field}_{lang}", field, *(f"{field}_{other}" for other in languages)]
    result = pd.Series("", index=frame.index, dtype=object)
    for column in order:
        if column in frame.columns:
            values = frame[column].fillna("").astype(str)
            result = result.where(result != "", values)
    return result


def localized(record: Mapping, field: str, lang: str, languages: Sequence[str]) -> str:
    """One record's field in ``lang``, with the same fallback as :func:`localized_column`:
    ``field_<lang>``, then ``field`` (the original), then ``field_<other>``; else ""."""
    keys = [f"{field}_{lang}", field, *(f"{field}_{o}" for o in languages if o != lang)]
    for key in keys:
        value = record.get(key, "")
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            continue
        text = str(value).strip()
        if text:
            return text
    return ""
