"""The members' charts: unknown months never drawn as zero, tooltips as sentences."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from mapping import i18n
from mapping import member_charts as mc


def reach_fixture() -> pd.DataFrame:
    states = [None] * 3 + [True] * 6 + [False] * 3
    hours = [math.nan] * 3 + [35.0] * 6 + [0.0] * 3
    return pd.DataFrame(
        {
            "month": range(1, 13),
            "state": pd.Series(states, dtype=object),
            "hours": hours,
            "category_median": [math.nan] * 2 + [20.0] * 10,
            "category_known": [0] * 2 + [3] * 10,
        }
    )


@pytest.mark.parametrize("lang", ["en", "me", "de", "sr"])
def test_reach_unknown_months_have_no_bar_and_say_unknown(lang):
    frame = mc.reach_frame(reach_fixture(), lang)
    unknown = frame[frame["unknown"]]
    assert len(unknown) == 3
    assert unknown["hours"].isna().all()  # never a zero bar
    assert frame.loc[9:, "hours"].tolist() == [0.0, 0.0, 0.0]  # closed months are zero
    assert all("{" not in tip and "value" not in tip for tip in frame["tooltip"])


def test_reach_tooltips_are_sentences():
    frame = mc.reach_frame(reach_fixture(), "en")
    assert frame.loc[0, "tooltip"] == (
        "January: hours unknown; category median unknown (no venue of the category has known hours)"
    )
    assert frame.loc[3, "tooltip"] == (
        "April: 35 h a week; category median 20 h a week (over 3 venues with known hours)"
    )
    assert frame.loc[11, "tooltip"].startswith("December: closed;")


def test_reach_spec_has_no_english_in_montenegrin():
    spec = str(mc.reach_spec("me"))
    assert "Open hours" not in spec and "Sati otvorenosti sedmično" in spec


def test_usage_frame_fills_twelve_months_ending_today():
    monthly = pd.DataFrame(
        {"month": ["2026-11", "2026-03", "2025-01"], "impressions": [40, 7, 99], "opens": [3, 1, 9]}
    )
    frame = mc.usage_frame(monthly, date(2026, 11, 28), "en")
    assert len(frame) == 24  # 12 months × (shown, opened)
    shown = frame[frame["order"] == 0]
    assert shown["count"].tolist() == [0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 40]  # Dec 2025 … Nov 2026
    assert shown["label"].iloc[0] == "Dec 2025" and shown["label"].iloc[1] == "Jan 2026"
    assert shown["tooltip"].iloc[-1] == "November 2026: shown 40 times, card opened 3 times"


def test_usage_frame_without_records_is_all_zero():
    empty = pd.DataFrame(columns=["month", "impressions", "opens"])
    frame = mc.usage_frame(empty, date(2026, 1, 5), "me")
    assert frame["count"].sum() == 0
    assert "prikazano 0 puta" in frame["tooltip"].iloc[0]


def test_usage_labels_name_the_year_as_the_language_writes_it():
    """The month-and-year labels come from i18n.month_year: Montenegrin writes the
    year with a full stop ("dec 2025."), and a year that starts mid-chart is named."""
    frame = mc.usage_frame(
        pd.DataFrame(columns=["month", "impressions", "opens"]), date(2026, 11, 28), "me"
    )
    labels = frame[frame["order"] == 0]["label"].tolist()
    assert labels[0] == i18n.month_year(2025, 12, "me", long=False) == "dec 2025."
    assert labels[1] == "jan 2026." and labels[2] == i18n.month_name(2, "me")
    assert frame["tooltip"].iloc[-1].startswith(i18n.month_year(2026, 11, "me"))


def test_usage_frame_runs_across_the_year_end():
    frame = mc.usage_frame(
        pd.DataFrame(columns=["month", "impressions", "opens"]), date(2027, 1, 3), "en"
    )
    labels = frame[frame["order"] == 0]["label"].tolist()
    assert len(labels) == 12
    assert labels[0] == "Feb 2026" and labels[-2:] == ["Dec", "Jan 2027"]
