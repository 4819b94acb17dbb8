"""The opening-hours field of the members' forms: a week editor beside the value's box.

One call, :func:`hours_field`, lays out (always in this order, always the same number of
elements, so a map further down the form keeps its place and is never remounted):

1. the week editor (an expander: a tab per season, per day "closed", opening and closing
   times, a second opening; "same as Monday"; the off-season months; public holidays),
   whose button writes the grid's value into the box;
2. the box with the value itself (the truth: the editor only writes into it);
3. four fixed slots: what is wrong (a sentence, never parser tokens); "Did you mean …?";
   the "Use this" button that puts the proposal in the box; the value in plain words.

The model is :mod:`mapping.hours_week`, the proposal :mod:`mapping.hours_tolerant`.
"""

from __future__ import annotations

from datetime import time
from typing import Literal

import streamlit as st

from mapping import clock, hours, hours_tolerant, hours_week, i18n, submissions
from mapping.hours_week import Week
from mapping.settings import CityProfile
from mapping.text import markdown_literal as md

_DEFAULT = Week(days=(((9 * 60, 17 * 60),),) * 5 + (hours_week.CLOSED,) * 2)
_MAIN, _OFF = 0, 1
# A grid row's time inputs: (column, label key, widget key suffix).
_TIMES = (
    (2, "hours_edit.opens", "o1"),
    (3, "hours_edit.closes", "c1"),
    (5, "hours_edit.opens_again", "o2"),
    (6, "hours_edit.closes_again", "c2"),
)


def _k(key: str, grid: int, day: int, what: str) -> str:
    return f"{key}__w{grid}_{day}_{what}"


def _clock(value: int) -> time:
    return time((value // 60) % 24, value % 60)


def seeded_key(key: str) -> str:
    """The Session State key that remembers which value the grid was filled from: a form
    that forgets it after a send gets the grid filled afresh (the form empties)."""
    return f"{key}__seeded"


def _seed(key: str, current: str) -> bool:
    """Fill the editor's widgets from ``current`` once (per value): ``False`` when the grid
    cannot hold ``current`` (the box stays the truth)."""
    marker = seeded_key(key)
    read = hours_week.from_value(current) if current.strip() else None
    if st.session_state.get(marker) == current:
        return read is not None or not current.strip()
    st.session_state[marker] = current
    week = read or _DEFAULT
    for grid, days in ((_MAIN, week.days), (_OFF, week.off_days)):
        for day, spans in enumerate(days):
            first = spans[0] if spans else (9 * 60, 17 * 60)
            second = spans[1] if len(spans) > 1 else (17 * 60, 22 * 60)
            st.session_state[_k(key, grid, day, "closed")] = not spans
            st.session_state[_k(key, grid, day, "two")] = len(spans) > 1
            for what, value in zip(("o1", "c1", "o2", "c2"), first + second, strict=True):
                st.session_state[_k(key, grid, day, what)] = _clock(value)
    st.session_state[f"{key}__season"] = week.season is not None
    start, end = week.season or (4, 10)
    st.session_state[f"{key}__from"], st.session_state[f"{key}__to"] = start, end
    st.session_state[f"{key}__ph"] = week.holidays
    return read is not None or not current.strip()


def _minutes(start: time, end: time) -> tuple[int, int]:
    """A span from two clock times; an end not after the start is after midnight."""
    a, b = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return a, b if b > a else b + 24 * 60


def _grid(key: str, grid: int) -> tuple[hours_week.DayHours, ...]:
    days = []
    for day in range(7):
        state = st.session_state
        if state[_k(key, grid, day, "closed")]:
            days.append(hours_week.CLOSED)
            continue
        spans = [_minutes(state[_k(key, grid, day, "o1")], state[_k(key, grid, day, "c1")])]
        if state[_k(key, grid, day, "two")]:
            spans.append(_minutes(state[_k(key, grid, day, "o2")], state[_k(key, grid, day, "c2")]))
        days.append(tuple(spans))
    return tuple(days)


def _week(key: str) -> Week:
    state = st.session_state
    season = (int(state[f"{key}__from"]), int(state[f"{key}__to"]))
    return Week(
        days=_grid(key, _MAIN),
        season=season if state[f"{key}__season"] and season[0] != season[1] else None,
        off_days=_grid(key, _OFF),
        holidays=str(state[f"{key}__ph"]),
    )


def _write(key: str) -> None:
    """The "write" button: the grid's value into the box (before the box is drawn)."""
    st.session_state[key] = hours_week.to_value(_week(key))


def _same_as_monday(key: str, grid: int) -> None:
    for day in range(1, 7):
        for what in ("closed", "two", "o1", "c1", "o2", "c2"):
            st.session_state[_k(key, grid, day, what)] = st.session_state[_k(key, grid, 0, what)]


def _take(key: str, proposal: str) -> None:
    """The "Use this" button: the proposal into the box (before the box is drawn)."""
    st.session_state[key] = proposal


def _day_rows(key: str, grid: int, lang: str) -> None:
    """Seven rows of the same widgets, whatever is ticked: a closed day's times and an
    unticked second opening are kept but not written (never disabled: a greyed label
    fails the contrast check). The column heads are shown once, on Monday's row."""
    t = i18n.t
    for day in range(7):
        cols = st.columns([1.3, 1, 1.2, 1.2, 1, 1.2, 1.2], vertical_alignment="bottom")
        shown: Literal["visible", "collapsed"] = "visible" if day == 0 else "collapsed"
        cols[0].markdown(f"**{md(i18n.weekday_name(day, lang, long=True))}**")
        cols[1].checkbox(t("hours_edit.closed", lang), key=_k(key, grid, day, "closed"))
        cols[4].checkbox(t("hours_edit.second", lang), key=_k(key, grid, day, "two"))
        for column, label, what in _TIMES:
            cols[column].time_input(
                t(label, lang), key=_k(key, grid, day, what), step=900, label_visibility=shown
            )
    st.button(
        t("hours_edit.same_as_monday", lang),
        key=f"{key}__same{grid}",
        on_click=_same_as_monday,
        args=(key, grid),
    )


def _editor(key: str, lang: str, fits: bool) -> None:
    t = i18n.t
    with st.expander(t("hours_edit.title", lang)):
        st.caption(t("hours_edit.help", lang))
        note = st.empty()
        if not fits:
            note.warning(t("hours_edit.not_in_grid", lang))
        months = list(range(1, 13))
        c1, c2, c3 = st.columns([2, 1, 1])
        c1.toggle(t("hours_edit.off_season", lang), key=f"{key}__season")
        month = lambda m: i18n.month_name(m, lang, long=True)  # noqa: E731  # a label only
        c2.selectbox(
            t("hours_edit.season_from", lang),
            months,
            key=f"{key}__from",
            format_func=month,
        )
        c3.selectbox(
            t("hours_edit.season_to", lang),
            months,
            key=f"{key}__to",
            format_func=month,
        )
        first, last = int(st.session_state[f"{key}__from"]), int(st.session_state[f"{key}__to"])
        span = f"{i18n.month_name(first, lang)}–{i18n.month_name(last, lang)}"
        rest = (
            f"{i18n.month_name(last % 12 + 1, lang)}–{i18n.month_name((first - 2) % 12 + 1, lang)}"
        )
        main, off = st.tabs(
            [
                t("hours_edit.main_week", lang, months=span),
                t("hours_edit.off_week", lang, months=rest),
            ]
        )
        with main:
            _day_rows(key, _MAIN, lang)
        with off:
            _day_rows(key, _OFF, lang)
        st.selectbox(
            t("hours_edit.holidays", lang),
            list(hours_week.HOLIDAY_CHOICES),
            key=f"{key}__ph",
            format_func=lambda c: t(f"hours_edit.holiday.{c}", lang),
        )
        st.button(t("hours_edit.write", lang), key=f"{key}__write", on_click=_write, args=(key,))


def hours_field(
    key: str, current: str, lang: str, city: CityProfile, *, max_chars: int = 255
) -> str:
    """The week editor and the box for the ``opening_hours`` value under session ``key``;
    ``current`` is the venue's value now ("" for a new venue), read into the editor when
    its grid can hold it. Returns the box's value (stripped) for the form to send."""
    fits = _seed(key, current)
    _editor(key, lang, fits)
    value = st.text_input(
        i18n.t("mpage.hours", lang),
        key=key,
        placeholder=hours.EXAMPLE,
        help=i18n.t("mpage.hours_help", lang),
        max_chars=max_chars,
    )
    problem_slot, proposal_slot, use_slot, reading_slot = (st.empty() for _ in range(4))
    text = (value or "").strip()
    if not text:
        return ""
    year = clock.now(city.timezone).year
    problem, lines = submissions.describe_hours(text, lang, city, year=year)
    if problem is None:
        reading_slot.success(md(i18n.t("hours_fix.reads", lang, hours="; ".join(lines))))
        return text
    problem_slot.error(md(problem.text(lang)))
    proposal = hours_tolerant.propose(text)
    if proposal is None:
        return text
    shown = proposal.replace("`", "'")
    proposal_slot.markdown(i18n.t("hours_fix.did_you_mean", lang, proposal=shown))
    use_slot.button(
        i18n.t("hours_fix.use", lang), key=f"{key}__use", on_click=_take, args=(key, proposal)
    )
    _, read = submissions.describe_hours(proposal, lang, city, year=year)
    reading_slot.info(md(i18n.t("hours_fix.reads", lang, hours="; ".join(read))))
    return text
