"""The usage store (``mapping.usage``): batched counts, concurrency, a broken store, the
pages' counting, and the monthly and total readers — each on SQLite and on PostgreSQL
(the ``members_db`` fixture)."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mapping import store, usage, whats_on
from mapping.store import DB_ENV_VAR
from tests.conftest import MINI, REPO_DATA, open_app_page, run_unprivileged
from tests.postgres import PgServer, nobody_listening
from tests.test_page_explore import make_app, near_data
from tests.test_page_whats_on import pick_range

DAY = date(2026, 12, 5)
ROOT = REPO_DATA.parent


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "mapping.usage" and r.levelno == logging.WARNING
    ]


def rows_of(where: store.Location, sql: str) -> list[tuple[object, ...]]:
    conn = store.connect(where)
    try:
        return [tuple(row) for row in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def has_usage_table(where: store.Location) -> bool:
    """Whether anything was written (a SQLite file, a table on the server)."""
    if isinstance(where, Path):
        return where.exists()
    conn = store.connect(where)
    try:
        return "usage" in conn.tables()
    finally:
        conn.close()


def as_argument(where: store.Location) -> str:
    return str(where) if isinstance(where, Path) else where.url


def stored_total(path: store.Location) -> tuple[int, int]:
    frame = usage.totals(path)
    return int(frame["impressions"].sum()), int(frame["opens"].sum())


def run_threads(count: int, work: Callable[[int], None]) -> None:
    """Start ``count`` threads on ``work(i)`` together and wait for all of them."""
    barrier = threading.Barrier(count)

    def target(i: int) -> None:
        barrier.wait()
        work(i)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def wait_until(condition: Callable[[], bool], seconds: float = 10) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (a background thread acts)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        threading.Event().wait(0.05)
    return condition()


# --------------------------------------------------------------------------- writing


def test_counts_are_added_per_venue_and_day(members_db):
    path = members_db
    rec = usage.UsageRecorder(path)
    rec.shown(["a", "b", "a"], DAY)
    rec.opened("a", DAY)
    rec.shown(["a"], date(2026, 12, 6))
    assert rec.pending() == 3
    assert rec.flush() == 3
    assert rec.flush() == 0  # nothing waiting
    rec.shown(["a"], DAY)
    rec.flush()
    rows = rows_of(path, "SELECT * FROM usage ORDER BY venue_id, day")
    assert rows == [("a", "2026-12-05", 3, 1), ("a", "2026-12-06", 1, 0), ("b", "2026-12-05", 1, 0)]


def test_nothing_personal_is_stored(members_db):
    path = members_db
    rec = usage.UsageRecorder(path)
    rec.shown(["a"], DAY)
    rec.flush()
    conn = store.connect(path)
    try:
        tables = conn.tables()
        columns = [c[0] for c in conn.execute("SELECT * FROM usage LIMIT 0").description]
    finally:
        conn.close()
    assert tables == ["usage"]
    assert columns == ["venue_id", "day", "impressions", "opens"]


def test_recording_does_no_io(members_db):
    path = members_db
    rec = usage.UsageRecorder(path)
    rec.shown([f"v{i}" for i in range(30)], DAY)
    rec.opened("v1", DAY)
    assert not has_usage_table(path)  # until a flush
    rec.flush()
    assert has_usage_table(path)


def test_one_recorder_per_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert usage.recorder("u.sqlite") is usage.recorder(tmp_path / "u.sqlite")
    assert usage.recorder("u.sqlite") is not usage.recorder("v.sqlite")
    url = "postgresql://kcm@127.0.0.1:1/kotor"
    assert usage.recorder(url) is usage.recorder(store.Server(url))


def test_eight_threads_through_one_recorder_lose_nothing(members_db):
    path = members_db
    rec = usage.recorder(path)
    ids = [f"venue-{i}" for i in range(10)]

    def work(i: int) -> None:
        for n in range(1_000):
            rec.shown([ids[(i + n) % len(ids)]], DAY)
            if n % 250 == 0:
                rec.opened(ids[i], DAY)

    run_threads(8, work)
    rec.flush()
    assert stored_total(path) == (8_000, 32)


def test_several_recorders_on_one_file_lose_nothing(members_db):
    path = members_db

    def work(i: int) -> None:
        own = usage.UsageRecorder(path)  # its own counter and connections
        for n in range(500):
            own.shown(["shared", f"own-{i}"], DAY)
            if n % 25 == 0:
                own.flush()  # many small transactions racing for the write lock
        own.flush()

    run_threads(4, work)
    frame = usage.totals(path)
    assert frame.loc["shared", "impressions"] == 2_000
    assert [frame.loc[f"own-{i}", "impressions"] for i in range(4)] == [500] * 4


def test_processes_writing_one_file_lose_nothing(members_db):
    path = members_db
    script = (
        "import sys, datetime; from mapping import usage\n"
        "rec = usage.UsageRecorder(sys.argv[1])\n"
        "for n in range(2000):\n"
        "    rec.shown(['shared'], datetime.date(2026, 12, 5))\n"
        "    if n % 100 == 0: rec.flush()\n"
    )  # the rest at exit (atexit)
    procs = [
        subprocess.Popen([sys.executable, "-c", script, as_argument(path)], cwd=ROOT)
        for _ in range(2)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert stored_total(path) == (4_000, 0)


def test_background_thread_flushes(members_db, monkeypatch):
    monkeypatch.setattr(usage, "FLUSH_INTERVAL_S", 0.05)
    path = members_db
    rec = usage.UsageRecorder(path)
    rec.shown(["a"], DAY)
    assert wait_until(lambda: rec.pending() == 0 and stored_total(path) == (1, 0))


def test_a_large_batch_wakes_the_flusher_early(members_db, monkeypatch):
    monkeypatch.setattr(usage, "FLUSH_INTERVAL_S", 600)
    monkeypatch.setattr(usage, "BATCH_LIMIT", 50)
    path = members_db
    rec = usage.UsageRecorder(path)
    rec.shown([f"v{i}" for i in range(49)], DAY)
    threading.Event().wait(0.3)
    assert rec.pending() == 49 and not has_usage_table(path)  # below the limit: waits
    rec.shown(["v49"], DAY)
    assert wait_until(lambda: rec.pending() == 0 and stored_total(path) == (50, 0))


# --------------------------------------------------------------------------- a broken store


def _parent_is_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain-file").write_text("not a folder")
    return tmp_path / "plain-file" / "usage.sqlite"


def _corrupt_file(tmp_path: Path) -> Path:
    path = tmp_path / "usage.sqlite"
    path.write_bytes(b"this is not an SQLite database\n" * 200)
    return path


def _read_only(tmp_path: Path) -> Path:
    """A store in a folder its user may not write (root may: see run_unprivileged)."""
    path = tmp_path / "ro" / "usage.sqlite"
    rec = usage.UsageRecorder(path)
    rec.shown(["x"], DAY)
    assert rec.flush() == 1  # writable until now: what fails next is the modes
    for extra in path.parent.iterdir():
        extra.chmod(0o444)
    path.parent.chmod(0o555)
    return path


BROKEN = {
    "parent-is-a-file": _parent_is_a_file,
    "corrupt-file": _corrupt_file,
    "read-only": _read_only,
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_broken_store_never_raises_and_warns_once(open_tmp, caplog, kind):
    def check() -> None:
        path = BROKEN[kind](open_tmp)
        rec = usage.UsageRecorder(path)
        with caplog.at_level(logging.WARNING, logger="mapping.usage"):
            for _ in range(3):
                rec.shown(["a", "b"], DAY)
                rec.opened("a", DAY)
                assert rec.flush() == 0
        assert len(warnings_of(caplog)) == 1
        assert str(path) in warnings_of(caplog)[0]
        assert rec.pending() == 0
        assert rec.dropped == 2 * 3  # the first two flushes' 3 counts each, after one retry

    if kind == "read-only":  # as root, in a child that is not root: modes bind it
        run_unprivileged(check, open_tmp)
    else:
        check()


def _server_down(server: PgServer) -> store.Server:
    return store.Server(nobody_listening())


def _no_such_database(server: PgServer) -> store.Server:
    return store.Server(server.url("no_such_database"))


def _unknown_role(server: PgServer) -> store.Server:
    return store.Server(server.url().replace("kcm@", "stranger@"))


BROKEN_SERVER = {
    "server-down": _server_down,
    "no-such-database": _no_such_database,
    "unknown-role": _unknown_role,
}


@pytest.mark.parametrize("kind", list(BROKEN_SERVER))
def test_broken_server_never_raises_and_warns_once(postgres_server, caplog, kind):
    where = BROKEN_SERVER[kind](postgres_server)
    rec = usage.UsageRecorder(where)
    with caplog.at_level(logging.WARNING, logger="mapping.usage"):
        for _ in range(3):
            rec.shown(["a", "b"], DAY)
            rec.opened("a", DAY)
            assert rec.flush() == 0
    assert len(warnings_of(caplog)) == 1
    assert str(where) in warnings_of(caplog)[0]
    assert rec.dropped == 2 * 3
    assert usage.totals(where).empty and usage.monthly(where, "a").empty


def test_locked_database_keeps_one_batch_for_a_retry(members_db, caplog, monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.05)
    path = members_db
    rec = usage.UsageRecorder(path)
    rec.shown(["a"], DAY)
    rec.flush()
    holder = store.connect(path)
    held = store.transaction(holder)
    held.__enter__()  # another writer holds the write lock past the timeout
    with caplog.at_level(logging.WARNING, logger="mapping.usage"):
        rec.shown(["a"], DAY)
        assert rec.flush() == 0
        rec.shown(["a"], DAY)
        assert rec.flush() == 0  # the first batch has had its retry: dropped
        held.__exit__(None, None, None)
        holder.close()
        rec.shown(["a"], DAY)
        assert rec.flush() == 1  # the second batch's retry with the third
    start, end = warnings_of(caplog)
    assert "usage store outage:" in start and str(path) in start
    assert "outage over" in end and "1 counts (impressions + opens) were lost" in end
    assert rec.dropped == 1
    assert stored_total(path) == (3, 0)


def test_each_outage_is_logged_at_its_start_and_end(tmp_path, caplog, monkeypatch):
    """Issue 25: not only the first outage of a process is told."""
    path = tmp_path / "usage.sqlite"
    rec = usage.UsageRecorder(path)
    connect = store.connect

    def unavailable(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with caplog.at_level(logging.WARNING, logger="mapping.usage"):
        for outage in range(2):
            monkeypatch.setattr(store, "connect", unavailable)
            for _ in range(3):
                rec.shown(["a", "b"], DAY)
                assert rec.flush() == 0
            monkeypatch.setattr(store, "connect", connect)
            rec.opened("a", DAY)
            assert rec.flush() == 2  # the last batch's retry and the new count
            assert len(warnings_of(caplog)) == 2 * (outage + 1)
    messages = warnings_of(caplog)
    assert all(m.startswith("usage store outage") for m in messages)
    ends = [m for m in messages if "outage over" in m]
    assert len(ends) == 2
    assert all("4 counts (impressions + opens) were lost" in m for m in ends)  # 2 batches of 2
    assert rec.dropped == 8
    assert stored_total(path) == (4, 2)


# --------------------------------------------------------------------------- reading


def test_monthly_and_totals_aggregate_days(members_db):
    path = members_db
    rec = usage.UsageRecorder(path)
    for day, count in (
        (date(2026, 11, 30), 2),
        (date(2026, 12, 1), 3),
        (date(2026, 12, 31), 1),
        (date(2027, 1, 1), 4),
    ):
        for _ in range(count):
            rec.shown(["a", "b"], day)
    rec.opened("a", date(2026, 12, 1))
    rec.opened("a", date(2026, 12, 31))
    rec.opened("b", date(2027, 1, 2))
    rec.flush()
    expected = pd.DataFrame(
        {"month": ["2026-11", "2026-12", "2027-01"], "impressions": [2, 4, 4], "opens": [0, 2, 0]}
    )
    pd.testing.assert_frame_equal(usage.monthly(path, "a"), expected)
    assert usage.monthly(path, "b")["opens"].tolist() == [0, 0, 1]
    assert usage.monthly(path, "nobody").empty
    everything = usage.totals(path)
    assert everything.to_dict("index") == {
        "a": {"impressions": 10, "opens": 2},
        "b": {"impressions": 10, "opens": 1},
    }
    since = usage.totals(path, since=date(2026, 12, 31))
    assert since.to_dict("index") == {
        "a": {"impressions": 5, "opens": 1},
        "b": {"impressions": 5, "opens": 1},
    }
    assert list(since.columns) == ["impressions", "opens"] and since.index.name == "venue_id"


def test_reading_a_missing_database_is_empty_and_creates_nothing(tmp_path):
    path = tmp_path / "nothing-here" / "usage.sqlite"
    month = usage.monthly(path, "a")
    total = usage.totals(path)
    assert month.empty and list(month.columns) == ["month", "impressions", "opens"]
    assert total.empty and list(total.columns) == ["impressions", "opens"]
    assert not path.exists() and not path.parent.exists()


def test_reading_a_server_database_without_the_table_is_empty(postgres_server):
    where = store.Server(postgres_server.new_database())
    assert usage.monthly(where, "a").empty
    assert usage.totals(where, since=DAY).empty
    assert not has_usage_table(where)  # a reader creates nothing


@pytest.mark.parametrize("kind", ["parent-is-a-file", "corrupt-file", "no-table"])
def test_reading_an_unreadable_database_is_empty(tmp_path, kind):
    if kind == "no-table":
        path = tmp_path / "usage.sqlite"
        store.connect(path).close()  # a database without the usage table
    else:
        path = BROKEN[kind](tmp_path)
    assert usage.monthly(path, "a").empty
    assert usage.totals(path, since=DAY).empty


@pytest.mark.parametrize(
    ("previous", "current", "counted"),
    [
        ((), ("a", "b"), ("a", "b")),  # first list
        (("a", "b"), ("a", "b"), ()),  # a rerun that changed nothing
        (("a", "b"), ("a", "b", "c"), ("c",)),  # "show more"
        (("a", "b"), ("b", "a"), ("b", "a")),  # another start point: a new list
        (("a", "b"), ("a",), ("a",)),  # a filter: a new list
        (("a",), (), ()),  # nothing on screen
    ],
)
def test_to_count(previous, current, counted):
    assert usage.to_count(previous, current) == counted


def test_page_venues_of_the_whats_on_list(mini):
    view = whats_on.whats_on(
        mini,
        date(2026, 12, 1),
        date(2027, 3, 31),
        categories=(),
        members_only=False,
        text="",
        lang="en",
    )
    cards = whats_on.list_page(view, 100)
    ids = whats_on.page_venues(cards)
    assert len(ids) == len(set(ids)) > 0
    assert set(ids) == set(view.occurrences["venue_id"])


# --------------------------------------------------------------------------- the pages


@pytest.fixture
def page_db(members_db: store.Location) -> store.Location:
    """The pages' database on this test's back-end (``CREATIVE_MAP_DB`` names it)."""
    return members_db


def flushed_totals(path: store.Location) -> dict[str, tuple[int, int]]:
    usage.recorder(path).flush()
    frame = usage.totals(path)
    return {v: (int(r.impressions), int(r.opens)) for v, r in frame.iterrows()}


def test_explore_counts_the_list_and_a_linked_card(monkeypatch, page_db):
    at = make_app(monkeypatch, lang="en", venue="museum-sea")
    assert not at.exception
    listed = [e["id"] for e in near_data(at)["entries"]]
    first = flushed_totals(page_db)
    assert first == {v: (1, 1 if v == "museum-sea" else 0) for v in listed}
    assert usage.monthly(page_db, "museum-sea")[["impressions", "opens"]].values.tolist() == [
        [1, 1]
    ]

    at.run()  # a rerun that changes nothing adds nothing
    assert flushed_totals(page_db) == first

    at.session_state["venue"] = "atelier-perast"  # a pick in the list or on the map
    at.run()
    assert flushed_totals(page_db)["atelier-perast"] == (1, 1)

    at.selectbox(key="start").set_value("perast-shore").run()  # a new list
    assert not at.exception
    after = flushed_totals(page_db)
    assert {v: after[v][0] for v in listed} == dict.fromkeys(listed, 2)


def test_explore_show_more_counts_only_the_added_entries(monkeypatch, page_db):
    at = make_app(monkeypatch, folder=REPO_DATA, lang="en", orgs="true")
    assert len(near_data(at)["entries"]) == 30
    assert sum(i for i, _ in flushed_totals(page_db).values()) == 30
    at.session_state["_near_shown"] = 60  # what "show more" (30 on screen) asks for
    at.run()
    counted = flushed_totals(page_db)
    assert len(counted) == 60 and {i for i, _ in counted.values()} == {1}
    at.button_group(key="lang").set_value("me").run()  # same entries, new words
    assert flushed_totals(page_db) == counted


@pytest.mark.now("2026-12-07T10:00")  # the fixture's December 2026 events lie ahead
def test_whats_on_counts_the_venues_of_the_listed_events(monkeypatch, page_db):
    at = open_app_page(
        monkeypatch, "pages/whats_on_page.py", MINI, "en", range=["2026-03-01", "2026-03-02"]
    )  # nothing on: nothing listed
    before = flushed_totals(page_db)
    at.run()
    assert flushed_totals(page_db) == before  # a rerun adds nothing
    pick_range(at, date(2026, 12, 5), date(2026, 12, 7))  # the Winter show, at the gallery
    after = flushed_totals(page_db)
    assert {
        v: (after[v][0] - before.get(v, (0, 0))[0]) for v in after if after[v] != before.get(v)
    } == {"gal-durkovic": 1}


@pytest.mark.parametrize("page", ["pages/explore_page.py", "pages/whats_on_page.py"])
@pytest.mark.parametrize("kind", ["parent-is-a-file", "corrupt-file", "server-down"])
def test_pages_work_with_a_broken_store(monkeypatch, tmp_path, caplog, page, kind):
    path: store.Location = (
        store.Server(nobody_listening()) if kind == "server-down" else BROKEN[kind](tmp_path)
    )
    monkeypatch.setenv(DB_ENV_VAR, as_argument(path))
    with caplog.at_level(logging.WARNING, logger="mapping.usage"):
        at = open_app_page(monkeypatch, page, MINI, "en", venue="museum-sea")
        at.run()
        assert not at.exception
        assert at.title
        rec = usage.recorder(path)
        assert rec.flush() == 0
        assert rec.flush() == 0
    assert len(warnings_of(caplog)) == 1
