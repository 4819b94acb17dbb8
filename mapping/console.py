"""The coordinator's review console, as plain values: the pending list, a suggestion's
before and after, and decisions single or in bulk.

Every decision goes through :func:`mapping.submissions.review.apply_recorded` and
:func:`mapping.submissions.review.reject` — the functions ``python -m mapping
submissions apply|reject`` calls — so the console validates, writes atomically and
logs the audit trail (:mod:`mapping.submissions.audit`) exactly as the command line
does; nothing reaches the map without a reviewer's decision. The "after" card is built
from the bytes :func:`mapping.submissions.review.merged` would write (the one
in-memory rebuild), loaded from a temporary copy of the folder by the one loader.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from mapping import events as ev
from mapping import explore, links, render, store
from mapping.errors import DataError
from mapping.i18n import t
from mapping.io import Dataset, load_dataset
from mapping.settings import data_dir
from mapping.submissions import audit, forms, ledger, review
from mapping.submissions.forms import EVENT, UPDATE
from mapping.submissions.ledger import PENDING, Submission
from mapping.submissions.refusals import Refused, ReviewError

PER_PAGE = 25
"""Suggestions per page of the list."""
LIST_COLUMNS = (
    "number",
    "kind",
    "venue_id",
    "name",
    "received",
    "age_days",
    "fields",
    "from_venue",
)
"""The listing's columns: ``fields`` is the tuple of field names the suggestion fills
(``venue_id`` and ``note`` left out), ``name`` a new venue's proposed name,
``from_venue`` whether it was sent with the venue's personal link (:mod:`mapping.links`)."""
_HIDDEN = frozenset({"venue_id", "note"})


@dataclass(frozen=True)
class Listing:
    """One page of pending suggestions, oldest first, and how many match in all."""

    frame: pd.DataFrame
    total: int
    page: int
    pages: int


def pending(
    where: store.Where,
    *,
    now: datetime,
    venue_id: str | None = None,
    kind: str | None = None,
    min_age_days: int | None = None,
    page: int = 0,
    per_page: int | None = PER_PAGE,
) -> Listing:
    """Page ``page`` (from 0) of the pending suggestions: only ``venue_id``'s, of
    ``kind``, or received at least ``min_age_days`` days before ``now`` when given;
    ``per_page=None`` lists them all (the benchmark's case)."""
    before = None if not min_age_days else now - timedelta(days=min_age_days)
    limit = per_page
    with ledger.opened(where) as conn:
        items, total = ledger.page(
            conn,
            PENDING,
            venue_id=venue_id,
            kind=kind,
            received_by=before,
            limit=limit,
            offset=0 if limit is None else max(page, 0) * limit,
        )
    pages = 1 if not limit else max(1, -(-total // limit))
    if limit and page >= pages > 1:  # past the last page (the filters narrowed): the last
        return pending(
            where,
            now=now,
            venue_id=venue_id,
            kind=kind,
            min_age_days=min_age_days,
            page=pages - 1,
            per_page=per_page,
        )
    marked = links.from_venue(where, [i.id for i in items])
    return Listing(_frame(items, now, marked), total, max(page, 0), pages)


def _frame(items: Sequence[Submission], now: datetime, marked: set[int]) -> pd.DataFrame:
    """The listing's frame, built column by column (no per-row frame work)."""
    return pd.DataFrame(
        {
            "number": [i.id for i in items],
            "kind": [i.kind for i in items],
            "venue_id": [i.venue_id for i in items],
            "name": [str(i.fields.get("name", "")) for i in items],
            "received": [i.created for i in items],
            "age_days": [(now - i.created).days for i in items],
            "fields": [tuple(k for k in i.fields if k not in _HIDDEN) for i in items],
            "from_venue": [i.id in marked for i in items],
        },
        columns=list(LIST_COLUMNS),
    )


# --------------------------------------------------------------------------- before/after


@dataclass(frozen=True)
class Preview:
    """A pending suggestion as it would be applied: the fields it would write (after the
    reviewer's corrections, checked), each with its value now, and the dataset with
    the change made (for the "after" card; ``record`` is the venue it shows)."""

    item: Submission
    rows: pd.DataFrame  # field, now, suggested, changed
    after: Dataset
    record: str
    venue_id: str


def preview(
    folder: str | Path | None,
    number: int,
    corrections: Mapping[str, object] | None = None,
    *,
    db: store.Where | None = None,
    year: int | None = None,
) -> Preview:
    """:class:`Preview` of pending suggestion ``number`` with ``corrections``.

    Raises :class:`~mapping.submissions.refusals.Refused` (a field, corrected or not,
    fails its check), :class:`~mapping.submissions.refusals.ReviewError` (not pending,
    unknown, or not applicable) or :class:`~mapping.errors.DataError`.
    """
    root = data_dir(folder)
    data = load_dataset(root, enrich=False)
    item = review.get(root, number, db=db)
    if item.status != PENDING:
        raise review.already_decided(item)
    clean = forms.check(data, item.kind, {**item.fields, **(corrections or {})})
    change = review.merged(root, data, item, clean)
    after = _loaded_with(root, {change.file: change.after}, year)
    venue_id = change.record if item.kind != EVENT else str(clean.get("venue_id", ""))
    return Preview(item, _rows(data, item, clean), after, change.record, venue_id)


def _loaded_with(root: Path, replacements: Mapping[str, bytes], year: int | None) -> Dataset:
    """The folder as the one loader reads it with ``replacements`` written (on a copy)."""
    with tempfile.TemporaryDirectory(prefix="kcm-preview-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(root, copy, symlinks=False)
        for name, payload in replacements.items():
            (copy / name).write_bytes(payload)
        loaded = load_dataset(copy, year=year)
    return replace(loaded, folder=root)


def _rows(data: Dataset, item: Submission, clean: Mapping[str, Any]) -> pd.DataFrame:
    """(field, value now, value suggested, changed) per field the suggestion writes."""
    current: dict[str, Any] = {}
    if item.kind == UPDATE:
        found = data.venues[data.venues["id"] == str(clean.get("venue_id", ""))]
        if len(found):
            row = found.iloc[0]
            current = {k: row.get(k, "") for k in clean if k not in ("lat", "lon")}
            if row.geometry is not None:
                current.update(lat=round(row.geometry.y, 6), lon=round(row.geometry.x, 6))
    names = [k for k in clean if k not in _HIDDEN]
    now = [_text(current.get(k, "")) for k in names]
    suggested = [_text(clean[k]) for k in names]
    return pd.DataFrame(
        {
            "field": names,
            "now": now,
            "suggested": suggested,
            "changed": [a != b for a, b in zip(now, suggested, strict=True)],
        }
    )


def card(built: Preview, served: Dataset, lang: str, now: datetime) -> render.MapPayload:
    """The "after" card: the venue's record in ``built.after`` drawn by the one map
    builder as Explore draws it (its next events, the landmarks), opened.

    Built directly, not through Explore's remembered answers: a preview's dataset is
    used once, and remembering it would keep it alive.
    """
    venues = built.after.venues
    shown = venues[venues["id"] == built.venue_id]
    city = served.city
    after = built.after
    occ = ev.upcoming(
        after.events, {built.venue_id}, now, city.timezone, explore.UPCOMING_PER_VENUE
    )
    lines = ev.card_lines(occ, lang, city.languages)
    options = render.MapOptions(
        now=now,
        when=now,
        extra_lines=lines,
        landmarks=render.landmark_points(served.places, lang, city.languages),
        extra_title=t("explore.upcoming", lang) if lines else "",
    )
    payload = render.build_payload(shown, served.categories, city, lang, options)
    return render.with_view(payload, None, built.venue_id)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def editable_fields(item: Submission) -> list[str]:
    """The fields a reviewer may correct before applying: those the member filled
    (``venue_id`` stays: a correction cannot move a suggestion to another venue)."""
    return [k for k in item.fields if k != "venue_id"]


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Outcome:
    """What became of one decision: ``ok``, and the lines that say why not (or what the
    data folder's history recorded)."""

    number: int
    ok: bool
    lines: tuple[str, ...]


def reasons(refusal: Refused | ReviewError | DataError, lang: str) -> list[str]:
    """Why a suggestion cannot be previewed or applied, in ``lang``: each wrong field
    by its label, the review's reason, each data-file problem framed by file, record
    and field (:meth:`mapping.errors.Problem.text`)."""
    if isinstance(refusal, DataError):
        return [p.text(lang) for p in refusal.problems]
    return refusal.messages(lang)


def apply_one(
    folder: str | Path | None,
    number: int,
    *,
    reviewer: str,
    lang: str,
    corrections: Mapping[str, object] | None = None,
    db: store.Where | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Apply suggestion ``number`` (with ``corrections``) as ``reviewer``; a refusal is
    an :class:`Outcome` with its reasons (field problems in ``lang``), never raised."""
    try:
        _, recorded = review.apply_recorded(
            folder, number, db=db, now=now, reviewer=reviewer, corrections=corrections
        )
    except (Refused, ReviewError, DataError) as exc:
        return Outcome(number, False, tuple(reasons(exc, lang)))
    except (OSError, ValueError, store.Error) as exc:
        return Outcome(number, False, tuple(str(exc).splitlines()))
    return Outcome(number, True, (recorded,) if recorded else ())


def reject_one(
    folder: str | Path | None,
    number: int,
    reason: str,
    *,
    reviewer: str,
    lang: str,
    db: store.Where | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Reject suggestion ``number`` with ``reason`` as ``reviewer``; never raises for a
    refusal (no reason, already decided: its reasons in ``lang``)."""
    try:
        review.reject(folder, number, reason, db=db, now=now, reviewer=reviewer)
    except ReviewError as exc:
        return Outcome(number, False, tuple(exc.messages(lang)))
    except (ValueError, store.Error) as exc:
        return Outcome(number, False, tuple(str(exc).splitlines()))
    return Outcome(number, True, ())


def apply_many(
    folder: str | Path | None,
    numbers: Iterable[int],
    *,
    reviewer: str,
    lang: str,
    db: store.Where | None = None,
    now: datetime | None = None,
) -> list[Outcome]:
    """Apply each suggestion in turn, oldest first: each validated and written on its
    own, so one refused does not stop the others."""
    return [
        apply_one(folder, n, reviewer=reviewer, lang=lang, db=db, now=now)
        for n in sorted(set(numbers))
    ]


def reject_many(
    folder: str | Path | None,
    numbers: Iterable[int],
    reason: str,
    *,
    reviewer: str,
    lang: str,
    db: store.Where | None = None,
    now: datetime | None = None,
) -> list[Outcome]:
    """Reject each suggestion with the one ``reason``."""
    return [
        reject_one(folder, n, reason, reviewer=reviewer, lang=lang, db=db, now=now)
        for n in sorted(set(numbers))
    ]


def history(where: store.Where, submission: int | None = None) -> list[audit.Decision]:
    """The audit trail, newest first (only ``submission``'s decisions when given)."""
    with audit.opened(where) as conn:
        return audit.decisions(conn, submission)
