"""The For members page's event form: title, category, and *when* with date and time
pickers in the member's language (dated, weekly, or a window of months to be confirmed).

Not a page. The pickers' values become ``start``/``end`` through
:func:`mapping.submissions.event_when.when_fields`; the end-before-start rule is the
send's own (:func:`mapping.submissions.forms.event_time_problems`), shown as soon as
the dates are picked. Each timing's pickers sit in one fixed container, so switching
the timing never moves what follows.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from mapping import i18n, submissions
from mapping.events.read import YEARS
from mapping.submissions import event_when
from mapping.submissions.forms import ANNUAL_TBC, WEEKLY
from mapping.text import markdown_literal as md
from pages._members_common import MembersRun, refusal_lines
from pages._members_forms import DROP, choice_field, pending_note, send_button, text_fields
from pages.shared import tr

PREFIX = "evt"
PICKERS = (
    "start_day",
    "start_time",
    "end_day",
    "end_time",
    "first_month",
    "first_year",
    "last_month",
    "last_year",
)
"""The pickers' widget keys (``evt_<name>``): a send empties them."""
LABELS = {
    "start_day": "mform.start_day",
    "start_time": "mform.start_time",
    "end_day": "mform.end_day",
    "end_time": "mform.end_time",
    "first": "mform.first_month",
    "last": "mform.last_month",
}
"""Each picker's label in the catalogues."""
MINUTES_STEP = timedelta(minutes=15)
WINDOW_YEARS = 3  # a window to be confirmed: this year to that many ahead


def _key(name: str) -> str:
    return f"{PREFIX}_{name}"


def picked_when() -> dict[str, str]:
    """``start``/``end`` from the pickers for the chosen timing (the send calls it)."""
    state = st.session_state
    timing = str(state.get(_key("timing")) or "")
    values: dict[str, object] = {name: state.get(_key(name)) for name in PICKERS[:4]}
    if timing == ANNUAL_TBC:
        values["first_month"] = (state.get(_key("first_year")), state.get(_key("first_month")))
        values["last_month"] = (state.get(_key("last_year")), state.get(_key("last_month")))
    return event_when.when_fields(timing, values)


def _date_picker(run: MembersRun, column: st.delta_generator.DeltaGenerator, name: str) -> None:
    column.date_input(
        tr(LABELS[name]),
        value=None,
        key=_key(name),
        min_value=date(max(YEARS[0], run.today.year - 1), 1, 1),
        max_value=date(min(YEARS[1], run.today.year + 5), 12, 31),
        format=tr("mform.date_format"),
    )


def _time_picker(column: st.delta_generator.DeltaGenerator, name: str) -> None:
    column.time_input(tr(LABELS[name]), value=None, key=_key(name), step=MINUTES_STEP)


def _month_pickers(run: MembersRun, which: str) -> None:
    """Month (its name in the member's language) and year of one end of a window."""
    months = {m: i18n.month_name(m, run.lang, long=True) for m in range(1, 13)}
    years = [run.today.year + k for k in range(WINDOW_YEARS + 1)]
    c1, c2 = st.columns(2)
    c1.selectbox(
        tr(LABELS[which]),
        list(months),
        index=run.today.month - 1,
        key=_key(f"{which}_month"),
        format_func=months.__getitem__,
    )
    c2.selectbox(tr("mform.year"), years, key=_key(f"{which}_year"))


def when_pickers(run: MembersRun) -> None:
    """The pickers of the chosen timing, and what the send would refuse about them."""
    timing = st.session_state.get(_key("timing"))
    if timing == ANNUAL_TBC:
        _month_pickers(run, "first")
        _month_pickers(run, "last")
        st.caption(tr("mform.window_help"))
    elif timing == WEEKLY:
        c1, c2, c3 = st.columns(3)
        _date_picker(run, c1, "start_day")
        _time_picker(c2, "start_time")
        _time_picker(c3, "end_time")
        first = st.session_state.get(_key("start_day"))
        if isinstance(first, date):
            weekday = i18n.weekday_name(first.weekday(), run.lang, long=True)
            st.caption(tr("mform.weekly_note", weekday=weekday))
    else:
        c1, c2 = st.columns(2)
        _date_picker(run, c1, "start_day")
        _time_picker(c2, "start_time")
        c3, c4 = st.columns(2)
        _date_picker(run, c3, "end_day")
        _time_picker(c4, "end_time")
        st.caption(tr("mform.dated_help"))
    problems = event_when.when_problems(picked_when())
    if problems:
        lines = refusal_lines(submissions.Refused(problems), run.lang)
        st.error("\n\n".join(md(line) for line in lines))


def event_part(run: MembersRun, venue: str) -> None:
    """Suggest an event at the chosen venue."""
    lang = run.lang
    st.subheader(tr("mpage.event_heading", name=run.names[venue]))
    st.caption(tr("mform.event_help"))
    text_fields(run, PREFIX, [f"title_{code}" for code in run.city.languages])
    event_labels = i18n.localized_column(
        run.data.event_categories.set_index("id"), "label", lang, run.city.languages
    )
    choices = {"": tr("mpage.choose"), **{str(k): str(v) for k, v in event_labels.items()}}
    st.selectbox(
        submissions.field_label("category", lang),
        list(choices),
        key=_key("category"),
        format_func=choices.__getitem__,
    )
    timings = {v: submissions.choice_label("timing", v, lang) for v in submissions.TIMINGS}
    st.radio(
        submissions.field_label("timing", lang),
        list(timings),
        key=_key("timing"),
        horizontal=True,
        format_func=timings.__getitem__,
    )
    with st.container(key=f"{PREFIX}-when"):  # one element whatever the timing shows
        when_pickers(run)
    choice_field(run, PREFIX, "free", submissions.FREE_VALUES, empty=True)
    text_fields(run, PREFIX, ["price", "url", "organiser", "note"])
    send_button(
        run,
        submissions.EVENT,
        PREFIX,
        venue,
        when=picked_when,
        resets={
            _key("timing"): submissions.TIMINGS[0],
            **{_key(name): None for name in PICKERS[:4]},
            **{_key(name): DROP for name in PICKERS[4:]},  # drawn again only for a window
        },
    )
    pending_note(run, venue)
