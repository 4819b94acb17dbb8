"""The town language a browser asks for: its ``Accept-Language`` header, read once.

A first visit without ``?lang=`` opens in the language the visitor's browser prefers
among the town's languages, else in the town's default (``pages.shared`` asks once per
session; the link's ``?lang=`` and any later switch win). The browser's tags are read
in their quality order (``q=0`` means "not this"), and each is matched to a town
language through the language's Babel locale (``app.locale`` in its catalogue), so no
code names a language:

- the tag and each town language's locale are completed with CLDR's likely subtags
  (``sr-ME`` → ``sr_Latn_ME``, ``de-AT`` → ``de_Latn_AT``, ``cnr`` → ``sr_Latn_ME``);
- a town language matches when the language agrees; among several, the one whose
  script and then region agree more (``sr-Latn-ME`` → Montenegrin ``me``, ``sr-Cyrl``
  → Serbian ``sr`` where a town has both);
- the first tag (best quality first, ties in the header's order) with a match decides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from mapping.i18n import locale

_TAG = re.compile(r"^[a-z]{1,8}(?:[-_][a-z\d]{1,8})*$", re.IGNORECASE)  # BCP 47
_QUALITY = re.compile(r"^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")
MAX_HEADER = 1000
"""Longer headers are cut here: a browser sends a few dozen characters."""


def accepted_tags(header: str | None) -> list[str]:
    """The header's language tags, best first (stable for equal quality), without the
    refused ones (``q=0``), the wildcard and anything malformed."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "")[:MAX_HEADER].split(",")):
        tag, *options = (p.strip() for p in part.split(";"))
        quality = 1.0
        for option in options:
            found = _QUALITY.match(option.replace(" ", ""))
            quality = float(found.group(1)) if found else 0.0
        if quality > 0 and _TAG.match(tag):
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def _maximized(tag: str) -> tuple[str, str, str] | None:
    """(language, script, territory) of a tag with CLDR's likely subtags filled in."""
    try:
        parsed = Locale.parse(tag.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    likely: Mapping[str, str] = get_global("likely_subtags")
    language, script, territory = parsed.language, parsed.script, parsed.territory
    for key in (f"{language}_{script}_{territory}", f"{language}_{territory}", language):
        if key in likely:
            full = Locale.parse(likely[key])
            script, territory = script or full.script, territory or full.territory
            break
    return language, script or "", territory or ""


def preferred_language(header: str | None, languages: Sequence[str]) -> str | None:
    """The town language ``header`` (an ``Accept-Language`` value, or a single tag such
    as the browser's ``navigator.language``) prefers, or None when none matches."""
    town = {lang: _maximized(str(locale(lang))) for lang in languages}
    for tag in accepted_tags(header):
        wanted = _maximized(tag)
        if wanted is None:
            continue
        scores = [
            ((own[1] == wanted[1]) * 2 + (own[2] == wanted[2]), -i, lang)
            for i, (lang, own) in enumerate(town.items())
            if own is not None and own[0] == wanted[0]
        ]
        if scores:
            return max(scores)[2]
    return None
