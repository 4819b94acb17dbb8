"""Why a suggestion is refused, in the reader's language: one :class:`FieldProblem` per
wrong field (a catalogue key and its values), gathered in :class:`Refused`; why a
reviewer's decision cannot be carried out, :class:`ReviewError`.

Decisions:

- **A problem is a key, not a sentence.** Each reader words it: the form page in the
  member's language, the CLI (which has no language) in English.
- **Dates are values, not text.** A problem quoting an event's start or end carries a
  ``date`` or ``datetime``; a page writes it the way the member's language does
  (:func:`mapping.events.moment_label`: "Mi., 16. Dez. 2026, 19:30"), the CLI as
  ``events.csv`` does and as it was typed there (``2026-12-16T19:30``).
- **A field is named by its label** on a page ("End"), by its column on the CLI
  (``end``).
- **Data-file problems keep validate's words.** A decision refused because the data
  would have a problem names file, record and field in the reader's language
  (:meth:`mapping.errors.Problem.text`); the detail after them is
  :mod:`mapping.validate`'s, which exists in English only (as everywhere else: the
  CLI, imports, the app's "cannot be loaded" page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date, datetime
from typing import Any

from mapping import i18n
from mapping.errors import Problem
from mapping.events.text import moment_label


@dataclass(frozen=True)
class FieldProblem:
    """One refused field: the catalogue ``key`` that says what was expected, and the
    values its template takes (``count`` for a plural table)."""

    field: str
    key: str
    params: Mapping[str, Any] = default(default_factory=dict)

    def text(self, lang: str, *, iso: bool = False) -> str:
        """The message in ``lang``: :func:`message`."""
        return message(self.key, self.params, lang, iso=iso)


def message(key: str, params: Mapping[str, Any], lang: str, *, iso: bool = False) -> str:
    """Catalogue ``key`` in ``lang`` with ``params`` (a plural table when the key is one,
    by ``count``). A date (and time) param is worded the way ``lang`` writes it
    (:func:`moment_label`), or with ``iso`` as ``events.csv`` writes it: the CLI's form."""
    shown = {k: _moment_param(v, lang, iso) for k, v in params.items()}
    if isinstance(i18n.catalogue(lang)[key], dict):
        rest = {k: v for k, v in shown.items() if k != "count"}
        return i18n.plural(key, lang, int(shown["count"]), **rest)
    return i18n.t(key, lang, **shown)


def _moment_param(value: Any, lang: str, iso: bool) -> Any:
    """A date (or datetime) param in ``lang``'s words, or as ``events.csv`` writes it."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%dT%H:%M}" if iso else moment_label(value, lang)
    if isinstance(value, date):
        return value.isoformat() if iso else moment_label(value, lang)
    return value


class Refused(ValueError):  # noqa: N818  # the name the form pages catch: a refusal, not a bug
    """A suggestion refused: every wrong field, each with what was expected.

    ``str()`` is the English text, one ``field: message`` per line, dates as typed
    (ISO): the CLI's form, which has no language; a page shows :meth:`messages` (or
    ``refusal_lines``) in the member's language, dates in its words.
    """

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = list(problems)
        lines = (
            (p.field and f"{p.field}: ") + p.text(i18n.REFERENCE_LANGUAGE, iso=True)
            for p in problems
        )
        super().__init__("\n".join(lines))

    def messages(self, lang: str) -> list[str]:
        """``Label: message`` per problem in ``lang``, the field by its label, never its
        column name (no field: the message alone)."""
        problems = self.problems
        return [(p.field and f"{field_label(p.field, lang)}: ") + p.text(lang) for p in problems]


class TooMany(Refused):
    """An hourly limit (of one client, or for one venue) is reached: nothing was stored."""


class ReviewError(ValueError):
    """A suggestion cannot be applied or rejected: it does not exist, was already
    decided, or would leave the data with ``problems`` (each naming file, record, field).

    ``key`` (``submissions.review.*``) and ``params`` say why. ``str()`` is the English
    text, dates ISO, then each problem as validate prints it: the CLI's form, which has
    no language. A page shows :meth:`messages` in the reviewer's language.
    """

    def __init__(self, key: str, problems: Sequence[Problem] = (), /, **params: Any) -> None:
        self.key, self.params, self.problems = key, params, list(problems)
        head = message(key, params, i18n.REFERENCE_LANGUAGE, iso=True)
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))

    def messages(self, lang: str) -> list[str]:
        """Why, then each problem, in ``lang`` (:meth:`mapping.errors.Problem.text`)."""
        return [message(self.key, self.params, lang), *(p.text(lang) for p in self.problems)]


FIELD_LABELS: dict[str, str] = {
    "venue_id": "submissions.field.venue",
    "opening_hours": "submissions.field.opening_hours",
    "website": "submissions.field.website",
    "phone": "submissions.field.phone",
    "email": "submissions.field.email",
    "visit": "submissions.field.visit",
    "lat": "submissions.field.location",
    "lon": "submissions.field.location",
    "note": "submissions.field.note",
    "name": "submissions.field.name",
    "category": "submissions.field.category",
    "timing": "submissions.field.timing",
    "start": "submissions.field.start",
    "end": "submissions.field.end",
    "price": "submissions.field.price",
    "free": "submissions.field.free",
    "url": "submissions.field.url",
    "organiser": "submissions.field.organiser",
}
"""The catalogue key of each field's label (``title_<lang>``/``description_<lang>``:
see :func:`field_label`)."""


def field_label(name: str, lang: str) -> str:
    """A field's label in ``lang``; a per-language field names its language's code
    ("Description (EN)"), so a new town language needs no new key."""
    for prefix in ("title", "description"):
        if name.startswith(f"{prefix}_"):
            return i18n.t(
                f"submissions.field.{prefix}",
                lang,
                language=name.removeprefix(f"{prefix}_").upper(),
            )
    return i18n.t(FIELD_LABELS[name], lang) if name in FIELD_LABELS else name
