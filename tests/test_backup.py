"""``backup`` and ``restore`` of the members' database, on SQLite and PostgreSQL: a change
made after a backup is gone after its restore; a damaged or foreign file is refused with
a clear message and changes nothing; a database with data is replaced only with --force."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mapping import backup, cli, store, usage
from mapping.submissions import ledger
from tests.postgres import PgServer, nobody_listening

from .test_submissions import NOW

DAY = date(2026, 12, 5)


@pytest.fixture
def members_db(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> store.Location:
    """As conftest's, but a whole database on PostgreSQL: ``pg_dump`` dumps databases."""
    where = _empty_database(backend, tmp_path, request)
    monkeypatch.setenv(store.DB_ENV_VAR, str(where) if isinstance(where, Path) else where.url)
    return where


def _fill(where: store.Location) -> int:
    """Usage counts and one pending suggestion; its number."""
    rec = usage.UsageRecorder(where)
    rec.shown(["a", "b"], DAY)
    rec.opened("a", DAY)
    assert rec.flush() == 2
    with ledger.opened(where) as conn:
        return ledger.insert(
            conn,
            "update",
            "a",
            {"venue_id": "a", "visit": "no"},
            NOW,
            ledger.Limits(100, 100, 100),
        )


def _state(where: store.Location) -> tuple[dict[str, object], list[str]]:
    with ledger.opened(where) as conn:
        statuses = [item.status for item in ledger.listed(conn, None)]
    return usage.totals(where).to_dict("index"), statuses


def _empty_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, name: str = "members"
) -> store.Location:
    if backend == "sqlite":
        return tmp_path / name / "members.sqlite"
    server: PgServer = request.getfixturevalue("postgres_server")
    return store.Server(server.new_database())


def test_backup_change_restore_and_the_change_is_gone(mini_copy, members_db, tmp_path, capsys):
    number = _fill(members_db)
    before = _state(members_db)
    out = tmp_path / "members.backup"
    assert cli.main(["backup", str(mini_copy), "--out", str(out)]) == 0
    assert f"backed up {members_db} to {out}" in capsys.readouterr().out
    assert backup.kind_of(out.read_bytes()) == (
        store.POSTGRESQL if isinstance(members_db, store.Server) else store.SQLITE
    )

    with ledger.opened(members_db) as conn, store.transaction(conn):
        ledger.decide(conn, number, ledger.REJECTED, NOW, reason="later")
    rec = usage.UsageRecorder(members_db)
    rec.shown(["c"], DAY)
    rec.flush()
    assert _state(members_db) != before

    assert cli.main(["restore", str(out), str(mini_copy)]) == 1  # it holds data
    assert "not empty" in capsys.readouterr().err and _state(members_db) != before
    assert cli.main(["restore", str(out), str(mini_copy), "--force"]) == 0
    assert "restored" in capsys.readouterr().out
    assert _state(members_db) == before  # the change is gone
    with ledger.opened(members_db) as conn:  # and the ids go on after the restored ones
        assert (
            ledger.insert(
                conn,
                "update",
                "a",
                {"venue_id": "a", "visit": "yes"},
                NOW,
                ledger.Limits(100, 100, 100),
            )
            == number + 1
        )


def test_restore_into_an_empty_database_needs_no_force(
    mini_copy, members_db, backend, tmp_path, monkeypatch, request
):
    _fill(members_db)
    before = _state(members_db)
    out = tmp_path / "members.backup"
    backup.write_backup(members_db, out)
    fresh = _empty_database(backend, tmp_path, request, "restored")
    monkeypatch.setenv(store.DB_ENV_VAR, str(fresh) if isinstance(fresh, Path) else fresh.url)
    assert cli.main(["restore", str(out), str(mini_copy)]) == 0
    assert _state(fresh) == before


def _truncated(image: bytes) -> bytes:
    return image[: len(image) // 2]


def _scribbled(image: bytes) -> bytes:
    """Garbage where it cannot go unnoticed: a SQLite image gets it over the header of
    every page but the first (b-tree pages in use, wherever they are — the middle of the
    file may be a free page); a dump gets 512 bytes in its middle."""
    if image.startswith(b"SQLite format 3\x00"):
        size = int.from_bytes(image[16:18], "big") or 65536
        pages = bytearray(image)
        for start in range(size, len(pages), size):
            pages[start : start + 16] = b"\xff" * 16
        return bytes(pages)
    middle = len(image) // 2
    return image[:middle] + b"\xff" * 512 + image[middle + 512 :]


def _not_a_backup(image: bytes) -> bytes:
    return b"id,name\n1,not a backup\n"


DAMAGE = {"truncated": _truncated, "scribbled": _scribbled, "not-a-backup": _not_a_backup}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_backup_is_refused_and_changes_nothing(
    mini_copy, members_db, tmp_path, capsys, damage
):
    _fill(members_db)
    out = tmp_path / "members.backup"
    backup.write_backup(members_db, out)
    out.write_bytes(DAMAGE[damage](out.read_bytes()))
    rec = usage.UsageRecorder(members_db)
    rec.shown(["c"], DAY)
    rec.flush()
    after = _state(members_db)
    assert cli.main(["restore", str(out), str(mini_copy), "--force"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    if damage == "not-a-backup":
        expected = "not a backup"
    else:
        expected = "damaged" if isinstance(members_db, Path) else "pg_restore failed"
    assert expected in err
    assert _state(members_db) == after


def test_a_backup_of_the_other_back_end_is_refused(
    mini_copy, postgres_server, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "members.sqlite"
    _fill(path)
    out = tmp_path / "members.backup"
    backup.write_backup(path, out)
    monkeypatch.setenv(store.DB_ENV_VAR, postgres_server.new_database())
    assert cli.main(["restore", str(out), str(mini_copy)]) == 1
    assert "is a sqlite backup" in capsys.readouterr().err


def test_a_failed_backup_writes_no_file(mini_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(store.DB_ENV_VAR, str(tmp_path / "missing.sqlite"))
    folder = tmp_path / "backups"
    folder.mkdir()
    assert cli.main(["backup", str(mini_copy), "--out", str(folder / "members.backup")]) == 1
    assert "nothing to back up" in capsys.readouterr().err
    assert not (tmp_path / "missing.sqlite").exists()  # a backup creates no database
    monkeypatch.setenv(store.DB_ENV_VAR, nobody_listening())  # the server is down
    assert cli.main(["backup", str(mini_copy), "--out", str(folder / "members.backup")]) == 1
    assert "pg_dump failed" in capsys.readouterr().err
    assert list(folder.iterdir()) == []
    assert cli.main(["backup", str(mini_copy), "--out", str(folder)]) == 1  # a folder
    assert "Traceback" not in capsys.readouterr().err
