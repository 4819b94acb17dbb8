"""The value rules in mapping.schema, shared by validation, the map and the queries."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from mapping import clock
from mapping.schema import (
    WHEELCHAIR_ACCESSIBLE,
    WHEELCHAIR_VALUES,
    is_email,
    is_hex_colour,
    is_icon_name,
    is_web_url,
    rule_mask,
)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://kotor.me/", True),
        ("http://localhost:8501/explore", True),
        ("HTTPS://Example.ORG/a?b=c#d", True),
        ("javascript:alert(1)", False),
        ("ftp://kotor.me/", False),
        ("https://kotor", False),  # no dot in the host
        ("https://kotor.me/a b", False),
        ('https://kotor.me/"onmouseover=x', False),
        ("https://kotor.me/<script>", False),
        ("https://[::1", False),  # urlsplit raises
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_web_url(value: object, ok: bool) -> None:
    assert is_web_url(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("#117733", True),
        ("#173", True),
        ("#11773", False),
        ("117733", False),
        ("#GGGGGG", False),
        ("", False),
        (None, False),
    ],
)
def test_hex_colour(value: object, ok: bool) -> None:
    assert is_hex_colour(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("masks-theater", True),
        ("music", True),
        ("Music", False),
        ("a--b", False),
        ('x" onload="y', False),
        ("", False),
    ],
)
def test_icon_name(value: object, ok: bool) -> None:
    assert is_icon_name(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("info@kotor.me", True),
        ("a.b+c@mail.example.org", True),
        ("info@kotor", False),
        ("<x>@kotor.me", False),
        ("mailto:info@kotor.me", False),
        ("", False),
    ],
)
def test_email(value: object, ok: bool) -> None:
    assert is_email(value) is ok


def test_rule_mask_evaluates_each_distinct_value_once() -> None:
    seen: list[object] = []

    def rule(value: object) -> bool:
        seen.append(value)
        return value == "yes"

    values = pd.Series(["yes", "no", "yes", None, "no"])
    assert rule_mask(values, rule).tolist() == [True, False, True, False, False]
    assert sorted(map(str, seen)) == ["", "no", "yes"]
    assert rule_mask(pd.Series([], dtype=object), rule).dtype == np.bool_


def test_wheelchair_filter_values_are_a_subset_of_the_known_values() -> None:
    assert set(WHEELCHAIR_ACCESSIBLE) < set(WHEELCHAIR_VALUES)
    assert "no" not in WHEELCHAIR_ACCESSIBLE


def test_clock_reads_naive_times_as_town_time_and_converts_aware_ones() -> None:
    naive = datetime(2026, 7, 1, 12, 0)
    assert clock.local(naive, "Europe/Podgorica").utcoffset().total_seconds() == 7200
    utc_noon = datetime(2026, 1, 15, 12, 0, tzinfo=ZoneInfo("UTC"))
    assert clock.local(utc_noon, "Europe/Podgorica").hour == 13  # CET in January
    assert clock.to_minute(datetime(2026, 1, 1, 9, 30, 59, 999)) == datetime(2026, 1, 1, 9, 30)
    assert clock.now("Europe/Podgorica").tzinfo is not None


def test_in_cluster_reads_members_and_prospective_members_only() -> None:
    from mapping.schema import in_cluster

    status = pd.Series(["prospective", " Member ", "", None, "yes"])
    assert in_cluster(status).tolist() == [True, True, False, False, False]
