"""A short load run: 5 protocol-level visitors for 20 s on one server, 0 errors; and the
same through the proxy to two replicas sharing PostgreSQL (``--mode replicas``).

The full run (60 visitors, figures against a baseline build) is ``bench/load_test.py``;
this one only asserts that concurrent sessions doing what visitors do (filters, start
points, cards, What's on, language) get no traceback, no error and no dropped
connection. No timing is asserted: the machine's cores are shared.
"""

from __future__ import annotations

import pytest

from bench.load_test import ROOT, measure, report
from tests.postgres import binaries
from tests.proxy import nginx_available

pytestmark = pytest.mark.load


def test_five_visitors_get_no_error():
    results = measure(ROOT, ROOT / "data", sessions=5, duration=20, think=1.0, ramp=2, seed=7)
    print("\n".join(report("load", results)))
    assert results.errors == [], results.errors
    assert results.interactions >= 20, "the visitors hardly did anything"
    assert {"filter", "open card", "What's on"} <= set(results.latencies), sorted(results.latencies)


@pytest.mark.skipif(
    not nginx_available() or binaries() is None, reason="needs Debian's nginx and postgresql"
)
def test_five_visitors_through_the_proxy_to_two_replicas_get_no_error():
    results = measure(
        ROOT, ROOT / "data", sessions=5, duration=20, think=1.0, ramp=2, seed=7, mode="replicas"
    )
    print("\n".join(report("load, two replicas", results)))
    assert results.errors == [], results.errors
    assert results.interactions >= 20, "the visitors hardly did anything"
    assert sum(results.per_replica.values()) == 5, results.per_replica
