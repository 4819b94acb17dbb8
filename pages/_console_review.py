"""The review console's parts once signed in: the pending list with its bulk actions,
one suggestion before and after, and the history.

Not a page (``app.py``'s ``st.navigation`` lists the pages). Layout only: the list, the
before/after and every decision come from :mod:`mapping.console` (which calls the
command line's own :mod:`mapping.submissions.review`), the cards from the one map
builder (:mod:`mapping.render`). Text a member typed is shown inert: controls and
bidi characters as visible escapes (:func:`mapping.text.terminal_text`), Markdown
escaped (:func:`mapping.text.markdown_literal`), table cells as plain text. Why a
decision was refused is in the page's language (:func:`mapping.console.reasons`); only
a data-file problem's detail and the system's own errors (disk, database) stay English.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from mapping import clock, console, events, explore, i18n, render, store, submissions
from mapping.errors import DataError
from mapping.io import Dataset
from mapping.query import VenueFilter
from mapping.text import fold, markdown_literal, terminal_text
from pages._console_session import database
from pages.shared import show_map, tr

CARD_ZOOM = 16
CARD_HEIGHT = 560  # the card open inside the map, as on the members page
PREVIEW_KEY = "_console_preview"  # (what it was built from, the preview or the refusal)
RESULT_KEY = "_console_result"  # [(ok, lines)] of the last decisions, shown once
_LOG = logging.getLogger(__name__)


def inert(value: object) -> str:
    """Typed text as one line of literal Markdown: nothing in it acts."""
    return markdown_literal(terminal_text(str(value), keep_newlines=False))


def plain(value: object) -> str:
    """Typed text for a table cell (cells are not Markdown): controls shown as escapes."""
    return terminal_text(str(value), keep_newlines=False)


@dataclass(frozen=True, eq=False)
class Review:
    """One run of the signed-in console: the served data, the reviewer, the language,
    the venues' names in it (by id, looked up once per run)."""

    data: Dataset
    reviewer: str
    lang: str
    now: datetime
    names: pd.Series

    @classmethod
    def of(cls, data: Dataset, reviewer: str, lang: str, now: datetime) -> Review:
        """This run's :class:`Review`."""
        venues = data.venues.set_index("id", drop=False)
        names = i18n.localized_column(venues, "name", lang, data.city.languages)
        return cls(data, reviewer, lang, now, names)

    def venue_name(self, venue_id: str) -> str:
        """A venue's name in the page's language (its id when it is not in the data)."""
        return str(self.names.get(venue_id, venue_id))

    def about(self, row: pd.Series) -> str:
        """What a listed suggestion concerns: its venue, or the new venue's name."""
        if row["venue_id"]:
            return self.venue_name(str(row["venue_id"]))
        return tr("console.new_venue", name=row["name"])


def results() -> None:
    """What the last decisions did, once."""
    for ok, lines in st.session_state.pop(RESULT_KEY, []):
        head, *rest = lines
        (st.success if ok else st.error)("  \n".join([head, *(inert(line) for line in rest)]))


def _record(outcomes: list[console.Outcome], done: str, not_done: str) -> None:
    """Keep what each decision did for the next run to show (``done``/``not_done``: the
    catalogue keys of its first line)."""
    shown = []
    for outcome in outcomes:
        reference = submissions.reference(outcome.number)
        head = tr(done if outcome.ok else not_done, reference=reference)
        shown.append((outcome.ok, [head, *outcome.lines]))
    st.session_state[RESULT_KEY] = shown
    st.session_state.pop(PREVIEW_KEY, None)


# --------------------------------------------------------------------------- the list


def pending_part(run: Review) -> None:
    """Filters, one page of pending suggestions with a checkbox each, the bulk actions,
    then the suggestion opened."""
    kinds = {"": tr("console.any"), **{k: tr(f"console.kind_{k}") for k in submissions.KINDS}}
    ordered = sorted(run.names.items(), key=lambda pair: fold(pair[1]))
    venues = {"": tr("console.any"), **{str(v): str(n) for v, n in ordered}}
    left, middle, right = st.columns(3)
    venue = left.selectbox(
        tr("console.filter_venue"),
        list(venues),
        key="console_venue",
        format_func=venues.__getitem__,
    )
    kind = middle.selectbox(
        tr("console.filter_kind"), list(kinds), key="console_kind", format_func=kinds.__getitem__
    )
    age = right.number_input(
        tr("console.filter_age"), min_value=0, max_value=3650, step=1, key="console_age"
    )
    page = int(st.session_state.get("console_page", 1)) - 1
    try:
        listing = console.pending(
            database(run.data),
            now=run.now,
            venue_id=venue or None,
            kind=kind or None,
            min_age_days=int(age) or None,
            page=page,
        )
    except store.Error:
        _LOG.exception("pending suggestions not listed")
        st.error(tr("console.store_unavailable"))
        return
    results()
    if not listing.total:
        st.info(tr("console.none"))
        return
    st.caption(
        tr(
            "console.count",
            count=i18n.number(listing.total, run.lang),
            page=listing.page + 1,
            pages=listing.pages,
        )
    )
    if listing.pages > 1:
        if int(st.session_state.get("console_page", 1)) > listing.pages:  # filters narrowed
            st.session_state["console_page"] = listing.pages
        st.number_input(
            tr("console.page"), min_value=1, max_value=listing.pages, step=1, key="console_page"
        )
    labels: dict[int, str] = {}  # plain text, for the select box
    for _, row in listing.frame.iterrows():
        number = int(row["number"])
        fields = ", ".join(
            dict.fromkeys(submissions.field_label(f, run.lang) for f in row["fields"])
        )
        head = (submissions.reference(number), tr(f"console.kind_{row['kind']}"))
        tail = tr("console.age", days=row["age_days"])
        if row["from_venue"]:  # sent with the venue's personal link
            tail = f"{tail} · {tr('console.from_venue')}"
        labels[number] = " · ".join((*head, plain(run.about(row)), tail, fields))
        label = " · ".join((*head, inert(run.about(row)), tail, inert(fields)))  # Markdown
        st.checkbox(label, key=f"console_pick_{number}")
    picked = [n for n in labels if st.session_state.get(f"console_pick_{n}")]
    bulk_actions(run, picked)
    st.divider()
    chosen = st.selectbox(
        tr("console.open"), list(labels), key="console_open", format_func=labels.__getitem__
    )
    if chosen is not None:
        detail(run, int(chosen))


def bulk_actions(run: Review, picked: list[int]) -> None:
    """Apply or reject the ticked suggestions, one by one, each result reported."""
    left, right = st.columns(2)
    left.button(
        tr("console.apply_selected", count=len(picked)),
        key="console_apply_many",
        disabled=not picked,
        on_click=_apply_many,
        args=(run, picked),
    )
    with right:
        st.text_input(tr("console.bulk_reason"), key="console_bulk_reason", max_chars=2000)
        st.button(
            tr("console.reject_selected", count=len(picked)),
            key="console_reject_many",
            disabled=not picked,
            on_click=_reject_many,
            args=(run, picked),
        )


def _apply_many(run: Review, picked: list[int]) -> None:
    outcomes = console.apply_many(
        run.data.folder,
        picked,
        reviewer=run.reviewer,
        lang=run.lang,
        db=database(run.data),
        now=clock.utc_now(),
    )
    _record(outcomes, "console.applied", "console.not_applied")


def _reject(run: Review, numbers: list[int], reason_key: str, *, clear: bool) -> None:
    """Reject ``numbers`` with the reason typed in ``reason_key`` (one or in bulk: the
    same path); ``clear`` empties the reason box after."""
    reason = str(st.session_state.get(reason_key) or "").strip()
    if not reason:
        st.session_state[RESULT_KEY] = [(False, [tr("console.need_reason")])]
        return
    outcomes = console.reject_many(
        run.data.folder,
        numbers,
        reason,
        reviewer=run.reviewer,
        lang=run.lang,
        db=database(run.data),
        now=clock.utc_now(),
    )
    _record(outcomes, "console.rejected", "console.not_rejected")
    if clear:
        st.session_state[reason_key] = ""


def _reject_many(run: Review, picked: list[int]) -> None:
    _reject(run, picked, "console_bulk_reason", clear=True)


# --------------------------------------------------------------------------- one suggestion


def detail(run: Review, number: int) -> None:
    """One suggestion: what it changes (highlighted), the card now and after, the
    corrections, and its two answers."""
    try:
        item = submissions.get(run.data.folder, number, db=database(run.data))
    except (submissions.ReviewError, store.Error):
        return  # decided meanwhile: the list shows it no longer
    st.subheader(
        f"{submissions.reference(number)} · {tr(f'console.kind_{item.kind}')} · "
        + inert(run.venue_name(item.venue_id) if item.venue_id else item.fields.get("name", ""))
    )
    received = clock.to_minute(clock.local(item.created, run.data.city.timezone))
    st.caption(tr("console.received", when=events.moment_label(received, run.lang)))
    if item.fields.get("note"):
        st.markdown(tr("console.note", note=inert(item.fields["note"])))
    corrections = {
        name: st.session_state[f"console_fix_{number}_{name}"]
        for name in console.editable_fields(item)
        if f"console_fix_{number}_{name}" in st.session_state
        and st.session_state[f"console_fix_{number}_{name}"] != str(item.fields[name])
    }
    built = _preview(run, number, corrections)
    if isinstance(built, console.Preview):
        changes_table(run, built)
        cards(run, built)
    else:
        st.error("  \n".join([tr("console.refused"), *(inert(line) for line in built)]))
    with st.expander(tr("console.correct"), expanded=bool(corrections)):
        st.caption(tr("console.correct_help"))
        for name in console.editable_fields(item):
            st.text_input(
                field_label(name, run.lang),
                value=str(item.fields[name]),
                key=f"console_fix_{number}_{name}",
            )
    left, right = st.columns(2)
    left.button(
        tr("console.apply"),
        key="console_apply_one",
        type="primary",
        disabled=not isinstance(built, console.Preview),
        on_click=_apply_one,
        args=(run, number, corrections),
    )
    with right:
        st.text_input(tr("console.reason"), key="console_reason", max_chars=2000)
        st.button(
            tr("console.reject"), key="console_reject_one", on_click=_reject_one, args=(run, number)
        )


def _preview(run: Review, number: int, corrections: dict[str, str]) -> console.Preview | list[str]:
    """The preview, built once per suggestion, corrections and data version (a rerun
    for a checkbox must not copy and load the folder again)."""
    key = (number, tuple(sorted(corrections.items())), id(run.data))
    cached = st.session_state.get(PREVIEW_KEY)
    if cached is not None and cached[0] == key:
        found: console.Preview | list[str] = cached[1]
        return found
    try:
        found = console.preview(
            run.data.folder, number, corrections, db=database(run.data), year=run.now.year
        )
    except (submissions.Refused, submissions.ReviewError, DataError) as exc:
        found = console.reasons(exc, run.lang)
    except (OSError, store.Error) as exc:  # the system's own words: no catalogue has them
        found = str(exc).splitlines()
    st.session_state[PREVIEW_KEY] = (key, found)
    return found


def field_label(name: str, lang: str) -> str:
    """A field's label; the two halves of a location named."""
    label = submissions.field_label(name, lang)
    return f"{label} ({name})" if name in ("lat", "lon") else label


def changes_table(run: Review, built: console.Preview) -> None:
    """Field, value now, value suggested; the changed ones highlighted."""
    st.markdown(f"**{tr('console.changes')}**")
    rows = built.rows
    shown = pd.DataFrame(
        {
            tr("console.col_field"): [field_label(f, run.lang) for f in rows["field"]],
            tr("console.col_now"): [plain(v) for v in rows["now"]],
            tr("console.col_suggested"): [plain(v) for v in rows["suggested"]],
        }
    )
    changed = list(rows["changed"])
    styled = shown.style.apply(
        lambda column: [
            "background-color: #fff3b0; font-weight: 600" if c else "" for c in changed
        ],
        subset=[tr("console.col_suggested")],
    )
    st.dataframe(styled, hide_index=True, width="stretch")


def cards(run: Review, built: console.Preview) -> None:
    """The venue's card now and after applying, side by side, from the one map builder."""
    before, after = st.columns(2)
    minute = clock.to_minute(clock.now(run.data.city.timezone))
    venue = built.venue_id
    with before:
        st.markdown(f"**{tr('console.before')}**")
        if venue in set(run.data.venues["id"]):
            payload = explore.map_payload(
                run.data, VenueFilter(ids=(venue,)), run.lang, minute, minute
            )
            show_map(
                render.with_view(payload, None, venue),
                run.data.city,
                key="console-card-before",
                height=CARD_HEIGHT,
                container="console-card-before",
                zoom=CARD_ZOOM,
            )
        else:
            st.info(tr("console.no_before"))
    with after:
        st.markdown(f"**{tr('console.after')}**")
        show_map(
            console.card(built, run.data, run.lang, minute),
            run.data.city,
            key="console-card-after",
            height=CARD_HEIGHT,
            container="console-card-after",
            zoom=CARD_ZOOM,
        )


def _apply_one(run: Review, number: int, corrections: dict[str, str]) -> None:
    outcome = console.apply_one(
        run.data.folder,
        number,
        reviewer=run.reviewer,
        lang=run.lang,
        corrections=corrections,
        db=database(run.data),
        now=clock.utc_now(),
    )
    _record([outcome], "console.applied", "console.not_applied")


def _reject_one(run: Review, number: int) -> None:
    _reject(run, [number], "console_reason", clear=False)
    st.session_state["console_reason"] = ""


# --------------------------------------------------------------------------- history


def history_part(run: Review) -> None:
    """The audit trail, newest first: who decided what, when, on which file bytes."""
    try:
        decisions = console.history(database(run.data))
    except store.Error:
        _LOG.exception("audit trail not read")
        st.error(tr("console.store_unavailable"))
        return
    if not decisions:
        st.info(tr("console.hist_none"))
        return
    frame = pd.DataFrame(
        {
            tr("console.hist_when"): [f"{d.at:%Y-%m-%d %H:%M:%S}" for d in decisions],
            tr("console.hist_number"): [submissions.reference(d.submission) for d in decisions],
            tr("console.hist_decision"): [tr(f"console.decision_{d.decision}") for d in decisions],
            tr("console.hist_reviewer"): [plain(d.reviewer) for d in decisions],
            tr("console.hist_record"): [plain(d.record) for d in decisions],
            tr("console.hist_corrected"): [
                plain(", ".join(f"{k}: {v[0]} → {v[1]}" for k, v in d.corrected.items()))
                for d in decisions
            ],
            tr("console.hist_reason"): [plain(d.reason) for d in decisions],
            tr("console.hist_file"): [
                f"{d.file} {d.before_sha256[:12]} → {d.after_sha256[:12]}" if d.file else ""
                for d in decisions
            ],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
