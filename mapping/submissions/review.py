"""Storing a suggestion, and the reviewer's two answers: apply it to the data, or reject it.

The web form only ever calls :func:`submit`; :func:`apply` and :func:`reject` are for the
reviewer's command line (``python -m mapping submissions …``) and console (:mod:`mapping.console`).

How :func:`apply` keeps the data safe:

1. the suggestion must be pending, and its fields are checked again
   (:func:`mapping.submissions.forms.check`);
2. the one file it changes (``venues.geojson`` or ``events.csv``) is rebuilt in memory
   from its current bytes: only the record concerned changes, every other record keeps
   its properties, their order and the file's layout (JSON indent, CSV line endings);
3. the whole resulting folder is validated on a temporary copy, exactly as ``import``
   does (:func:`mapping.checked_write.new_problems`): an error the folder did not
   already have refuses the change and names file, record and field;
4. then, in one short write transaction (:func:`mapping.store.transaction`;
   the validation runs outside it, so the web form's inserts never wait for it): the
   suggestion must still be pending (another reviewer may have been quicker) and
   :func:`mapping.checked_write.replace_file` writes the file atomically only if it
   still holds the bytes the change was built from (else: refused, run ``apply`` again
   — no change is lost); the suggestion is marked applied. A failure anywhere leaves
   the data files as they were and the suggestion pending.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from mapping import checked_write, cited, store
from mapping.files import data_csv_appended, data_csv_bytes
from mapping.i18n import t
from mapping.io import Dataset, load_dataset
from mapping.schema import (
    PRECISION_APPROXIMATE,
    RECURRENCE_ANNUAL,
    RECURRENCE_WEEKLY,
)
from mapping.settings import data_dir, load_city
from mapping.submissions import audit, forms, history, ledger
from mapping.submissions.forms import ANNUAL_TBC, EVENT, UPDATE, VENUE, WEEKLY
from mapping.submissions.ledger import APPLIED, PENDING, REJECTED, Submission
from mapping.submissions.refusals import ReviewError
from mapping.text import slug, unique

VENUES_FILE, EVENTS_FILE = "venues.geojson", "events.csv"
APPLIED_FIELDS = ("opening_hours", "website", "phone", "email", "visit")
"""Venue fields a suggestion writes as typed (and every ``description_<lang>``)."""

SUBMITTED_PRECISION = PRECISION_APPROXIMATE
"""A member's map click is good to about 100 m: ``location_precision`` of a moved or new
venue (``exact`` is kept for coordinates a source gives)."""

WEEK = timedelta(days=7)  # how far back unusual() looks

COORDINATE_DECIMALS = 6
"""Decimals kept of a clicked point (about 0.1 m): more would claim a false precision."""


def source_text(day: str) -> str:
    """The citation an applied suggestion adds to ``source``."""
    return f"submitted by the venue, {day}, reviewed"


# --------------------------------------------------------------------------- the form


def submit(
    data: Dataset,
    kind: str,
    fields: Mapping[str, object],
    *,
    db: store.Where | None = None,
    now: datetime | None = None,
    client: str = "",
) -> int:
    """Check and store a suggestion as pending; returns its number (show it ``#12``).

    ``client``: the sender's :func:`~mapping.submissions.clients.client_key` (empty: the
    local client). Raises :class:`~mapping.submissions.refusals.Refused` naming every wrong
    field, or :class:`~mapping.submissions.refusals.TooMany` past the hourly limits per
    client or venue (``[members]``), or
    :class:`~mapping.submissions.ledger.AlreadyPending` with the number of the same
    suggestion already waiting; either way nothing is stored.
    """
    clean = forms.check(data, kind, fields)
    venue_id = str(clean["venue_id"]).strip() if "venue_id" in clean else None
    with ledger.opened(store.database_path(data.city, data.folder, db)) as conn:
        limits = ledger.Limits.of(data.city)
        return ledger.insert(conn, kind, venue_id, clean, now or ledger.utc_now(), limits, client)


def unusual(
    folder: str | Path | None, *, db: store.Where | None = None, now: datetime | None = None
) -> list[ledger.Burst]:
    """The hours of the last 7 days with ``[members] unusual_per_hour`` suggestions or
    more (:func:`mapping.submissions.ledger.unusual`), for the coordinator."""
    city = load_city(data_dir(folder) / "city.toml")
    with ledger.opened(store.database_of(folder, db)) as conn:
        return ledger.unusual(conn, city.unusual_per_hour, (now or ledger.utc_now()) - WEEK)


def thanks(number: int, lang: str) -> str:
    """What the member reads once the suggestion is stored: its number, and what happens
    next."""
    return t("submissions.received", lang, reference=ledger.reference(number))


# --------------------------------------------------------------------------- the reviewer


def listed(
    folder: str | Path | None, status: str | None = PENDING, *, db: store.Where | None = None
) -> list[Submission]:
    """Suggestions with ``status`` (``None``: all), oldest first."""
    with ledger.opened(store.database_of(folder, db)) as conn:
        return ledger.listed(conn, status)


def get(folder: str | Path | None, number: int, *, db: store.Where | None = None) -> Submission:
    """Suggestion ``number``; :class:`ReviewError` when there is none."""
    with ledger.opened(store.database_of(folder, db)) as conn:
        return _existing(conn, number)


def apply(
    folder: str | Path | None,
    number: int,
    *,
    db: store.Where | None = None,
    now: datetime | None = None,
    reviewer: str | None = None,
) -> Submission:
    """:func:`apply_recorded`, without what the git history recorded."""
    return apply_recorded(folder, number, db=db, now=now, reviewer=reviewer)[0]


def apply_recorded(
    folder: str | Path | None,
    number: int,
    *,
    db: store.Where | None = None,
    now: datetime | None = None,
    reviewer: str | None = None,
    corrections: Mapping[str, object] | None = None,
) -> tuple[Submission, str]:
    """Merge pending suggestion ``number`` into the data folder (see the module docstring);
    the suggestion, and what the folder's git history recorded (:func:`mapping.submissions.
    history.applied`; ``reviewer``, default the OS user, is the author). ``corrections``
    (field → value; blank drops the field) replace what the member typed, checked alike;
    the decision is logged (:mod:`mapping.submissions.audit`) in the write's transaction.

    Raises :class:`ReviewError` (not pending, unknown, or the merged data would not
    validate), :class:`~mapping.submissions.refusals.Refused` (a field fails its check
    now), :class:`mapping.errors.DataError` (the folder cannot be read), :class:`OSError`
    (the file cannot be written) or :class:`ValueError` (a malformed ``reviewer``); then
    nothing has changed.
    """
    who = history.reviewer(reviewer)  # a malformed name is refused before any change
    root = data_dir(folder)
    data = load_dataset(root, enrich=False)
    with audit.opened(store.database_path(data.city, root, db)) as conn:
        item = _pending(conn, number)
        clean = forms.check(data, item.kind, {**item.fields, **(corrections or {})})
        change = merged(root, data, item, clean)
        problems = checked_write.new_problems(root, {change.file: change.after})
        if problems:
            raise ReviewError(
                "submissions.review.would_break",
                problems,
                reference=item.reference,
                file=change.file,
                count=len(problems),
            )
        with store.transaction(conn):  # short: the form's inserts wait for it
            _pending(conn, number)  # another reviewer may have been quicker
            try:
                checked_write.replace_file(
                    root, change.file, change.after, built_from=change.before
                )
            except checked_write.ChangedMeanwhileError:
                raise ReviewError(
                    "submissions.review.changed_meanwhile",
                    reference=item.reference,
                    file=change.file,
                ) from None
            moment = now or ledger.utc_now()
            ledger.decide(conn, number, APPLIED, moment, record=change.record)
            audit.applied(conn, item, who, moment, **change._asdict(), corrections=corrections)
            recorded = history.applied(root, change.file, item, change.record, who)  # locked
        return _existing(conn, number), recorded


def reject(
    folder: str | Path | None,
    number: int,
    reason: str,
    *,
    db: store.Where | None = None,
    now: datetime | None = None,
    reviewer: str | None = None,
) -> Submission:
    """Mark pending suggestion ``number`` rejected, keeping it with ``reason`` (and
    ``reviewer``, default the OS user, in the audit trail)."""
    if not reason.strip():
        raise ReviewError("submissions.review.need_reason")
    who, moment = history.reviewer(reviewer), now or ledger.utc_now()
    with audit.opened(store.database_of(folder, db)) as conn:
        with store.transaction(conn):
            item = _pending(conn, number)
            ledger.decide(conn, number, REJECTED, moment, reason=reason)
            audit.rejected(conn, item, who, moment, reason)
        return _existing(conn, number)


def _existing(conn: store.Connection, number: int) -> Submission:
    item = ledger.get(conn, number)
    if item is None:
        raise ReviewError("submissions.review.not_found", reference=ledger.reference(number))
    return item


def _pending(conn: store.Connection, number: int) -> Submission:
    item = _existing(conn, number)
    if item.status != PENDING:
        raise already_decided(item)
    return item


def already_decided(item: Submission) -> ReviewError:
    """The refusal of a suggestion no longer pending: when it was applied or rejected
    (a date, worded in the reader's language)."""
    return ReviewError(
        f"submissions.review.already_{item.status}",
        reference=item.reference,
        when=item.decided.date() if item.decided else "?",
    )


# --------------------------------------------------------------------------- merging


class Change(NamedTuple):
    """One file's bytes before and after a suggestion, and the record it writes."""

    file: str
    before: bytes
    after: bytes
    record: str


def merged(root: Path, data: Dataset, item: Submission, clean: Mapping[str, Any]) -> Change:
    """The change that applies ``item`` (already checked: ``clean``) to the folder."""
    day = item.created.date().isoformat()
    if item.kind == EVENT:
        raw = (root / EVENTS_FILE).read_bytes()
        after, record = _with_event(raw, data, clean, day)
        return Change(EVENTS_FILE, raw, after, record)
    raw = (root / VENUES_FILE).read_bytes()
    doc = json.loads(raw)
    if item.kind == UPDATE:
        record = _update_venue(doc, clean, day)
    elif item.kind == VENUE:
        record = _new_venue(doc, clean, day)
    else:
        raise ReviewError(
            "submissions.review.unknown_kind", reference=item.reference, kind=repr(item.kind)
        )
    return Change(VENUES_FILE, raw, dump_like(doc, raw), record)


def dump_like(doc: Any, original: bytes) -> bytes:
    """``doc`` as JSON in the layout of ``original`` (its indent, its escaping, its final
    newline), so an unchanged document gives back the same bytes."""
    found = re.search(rb"\n( +)\S", original)
    indent = len(found.group(1)) if found else 2
    ascii_only = original.isascii() and b"\\u" in original
    text = json.dumps(doc, indent=indent, ensure_ascii=ascii_only)
    return (text + ("\n" if original.endswith(b"\n") else "")).encode("utf-8")


def _features(doc: Any) -> list[dict[str, Any]]:
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ReviewError("submissions.review.not_collection", file=VENUES_FILE)
    return features


def _update_venue(doc: Any, clean: Mapping[str, Any], day: str) -> str:
    """Write the suggested fields into the venue's properties (order kept, new ones last)."""
    venue_id = str(clean["venue_id"]).strip()
    feature = next(
        (
            f
            for f in _features(doc)
            if isinstance(f, dict)
            and isinstance(f.get("properties"), dict)
            and f["properties"].get("id") == venue_id
        ),
        None,
    )
    if feature is None:
        raise ReviewError("submissions.review.venue_gone", venue=repr(venue_id), file=VENUES_FILE)
    props = feature["properties"]
    cited.convert_properties(props)  # the record written has the new cited form
    for name, value in clean.items():
        if name in APPLIED_FIELDS or name.startswith("description_"):
            props[name] = value
    if "lat" in clean:
        _move(feature, clean)
    if "opening_hours" in clean:
        _cite_hours(props, day)
    old = props.get("source")
    props["source"] = (
        f"{old}; {source_text(day)}" if isinstance(old, str) and old.strip() else source_text(day)
    )
    props["checked"] = day
    return venue_id


def _cite_hours(props: dict[str, Any], day: str) -> None:
    """New hours get their own citation where the record keeps one (``hours_source``);
    the old one stays in ``source`` so no citation is lost."""
    if "hours_source" not in props and "hours_checked" not in props:
        return
    old = props.get("hours_source")
    source = props.get("source")
    if isinstance(old, str) and old.strip() and isinstance(source, str) and old not in source:
        props["source"] = f"{source}; {old}" if source.strip() else old
    props["hours_source"] = source_text(day)
    props["hours_checked"] = day


def _move(feature: dict[str, Any], clean: Mapping[str, Any]) -> None:
    point = [
        round(float(clean["lon"]), COORDINATE_DECIMALS),
        round(float(clean["lat"]), COORDINATE_DECIMALS),
    ]
    geometry = feature.get("geometry")
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        geometry["coordinates"] = point
    else:
        feature["geometry"] = {"type": "Point", "coordinates": point}
    feature["properties"]["location_precision"] = SUBMITTED_PRECISION


def _new_venue(doc: Any, clean: Mapping[str, Any], day: str) -> str:
    """Append the new venue, its properties in the order the first venue uses."""
    features = _features(doc)
    ids = {
        f["properties"].get("id")
        for f in features
        if isinstance(f, dict) and isinstance(f.get("properties"), dict)
    }
    venue_id = unique_id(clean["name"], ids, "venue")
    props: dict[str, Any] = {
        "id": venue_id,
        "name": clean["name"],
        "category": str(clean["category"]).strip(),
        "source": source_text(day),
        "location_precision": SUBMITTED_PRECISION,
    }
    props.update(
        {k: v for k, v in clean.items() if k in APPLIED_FIELDS or k.startswith("description_")}
    )
    props["checked"] = day
    first = features[0].get("properties", {}) if features and isinstance(features[0], dict) else {}
    order = [k for k, v in first.items() if k in props or isinstance(v, str)]
    ordered = {k: props.get(k, "") for k in order}
    ordered.update({k: v for k, v in props.items() if k not in ordered})
    feature: dict[str, Any] = {"type": "Feature", "properties": ordered, "geometry": None}
    _move(feature, clean)
    features.append(feature)
    return venue_id


def unique_id(text: object, taken: set[Any], default: str) -> str:
    """A slug of ``text`` in the ids' alphabet (``[a-z0-9-]``), made unique with ``-2``…"""
    return unique(slug(text, default, ascii_only=True), taken)


def _with_event(raw: bytes, data: Dataset, clean: Mapping[str, Any], day: str) -> tuple[bytes, str]:
    """``events.csv`` (``raw``) with one row appended (the file's bytes kept before it),
    and the new id; a column the row needs and the file lacks is added, rewriting the
    rows with empty cells. Either way in the file's layout (:mod:`mapping.files`)."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    if not rows:
        raise ReviewError("submissions.review.no_header", file=EVENTS_FILE)
    header = [c.strip() for c in rows[0]]
    where = header.index("id") if "id" in header else 0
    taken = {row[where].strip() for row in rows[1:] if len(row) > where}
    row = _event_row(clean, data.city.languages, header, day)
    row["id"] = unique_id(row["title"], taken, "event")
    added = [c for c, v in row.items() if v and c not in header]
    if not added:
        return data_csv_appended(raw, [row.get(c, "") for c in header]), row["id"]
    names = [*header, *added]
    records = [[*r, *[""] * len(added)] for r in rows[1:] if r]
    records.append([row.get(c, "") for c in names])
    return data_csv_bytes([*rows[0], *added], records, like=raw), row["id"]


def _event_row(
    clean: Mapping[str, Any], languages: Sequence[str], header: Sequence[str], day: str
) -> dict[str, str]:
    """The ``events.csv`` cells of a suggested event (values as typed)."""
    titles = {lang: clean[f"title_{lang}"] for lang in languages if f"title_{lang}" in clean}
    original = next(iter(titles))  # the first of the town's languages the member wrote in
    row = {"id": "", "title": titles[original]}
    for lang, title in titles.items():
        if lang != original or f"title_{lang}" in header:
            row[f"title_{lang}"] = title
    timing = str(clean["timing"]).strip()
    free = str(clean.get("free", "")).strip()
    row.update(
        {
            "category": clean["category"],
            "venue_id": clean["venue_id"],
            "start": clean["start"],
            "end": clean.get("end", ""),
            "dates_confirmed": "false" if timing == ANNUAL_TBC else "true",
            "recurrence": {ANNUAL_TBC: RECURRENCE_ANNUAL, WEEKLY: RECURRENCE_WEEKLY}.get(
                timing, ""
            ),
            "price": clean.get("price", ""),
            "free": {"yes": "true", "no": "false"}.get(free, ""),
            "url": clean.get("url", ""),
            "organiser": clean.get("organiser", ""),
            "source": source_text(day),
        }
    )
    return row
