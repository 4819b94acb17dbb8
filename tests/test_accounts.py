"""Coordinator accounts: Argon2id hashes, logins slowed per account and per client on
the suite's clock, sessions that expire and end, nothing in clear in the database."""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from mapping import accounts, clock, store
from mapping.cli import main as cli
from mapping.settings import load_city

PASSWORD = "correct horse battery staple"
CLIENT = "ip:192.0.2.1"


@pytest.fixture
def now() -> datetime:
    return clock.utc_now()


@pytest.fixture
def db(members_db: store.Location, now: datetime) -> store.Location:
    accounts.add(members_db, "ana", PASSWORD, now=now)
    return members_db


def sign_in(db: store.Location, now: datetime, password: str = PASSWORD, **kw: str):
    kw.setdefault("client", CLIENT)
    return accounts.sign_in(db, kw.pop("name", "ana"), password, now=now, **kw)


def test_passwords_are_stored_as_argon2id_hashes(db, now):
    with accounts.opened(db) as conn:
        stored = conn.execute("SELECT hash FROM accounts WHERE name = 'ana'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    session = sign_in(db, now)
    assert isinstance(session, accounts.Session) and session.name == "ana"


@pytest.mark.parametrize(
    ("name", "password", "says"),
    [
        ("ana", "short", "at least 12"),
        ("", PASSWORD, "account name"),
        ("<ana>", PASSWORD, "account name"),
        ("a\nb", PASSWORD, "account name"),
    ],
)
def test_bad_names_and_short_passwords_are_refused(tmp_path, now, name, password, says):
    with pytest.raises(accounts.AccountError, match=says):
        accounts.add(tmp_path / "m.sqlite", name, password, now=now)


def test_an_account_is_added_once(db, now):
    with pytest.raises(accounts.AccountError, match="exists already"):
        accounts.add(db, "ana", PASSWORD, now=now)


def test_failed_logins_wait_longer_each_time_up_to_15_minutes(db, now):
    moment = now
    waits = []
    for _ in range(12):
        refused = sign_in(db, moment, "wrong password")
        assert isinstance(refused, accounts.Refusal) and not refused.too_soon
        waits.append(refused.wait_s)
        early = sign_in(db, moment + timedelta(seconds=refused.wait_s - 1))
        assert early == accounts.Refusal(too_soon=True, wait_s=1)  # not even checked
        moment += timedelta(seconds=refused.wait_s)
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert isinstance(sign_in(db, moment), accounts.Session)  # the right one, once due
    assert isinstance(sign_in(db, moment), accounts.Session)  # and the count is cleared


def test_a_refused_attempt_does_not_count_and_says_how_long_to_wait(db, now):
    sign_in(db, now, "wrong password")
    sign_in(db, now, "wrong password")  # too soon: refused unchecked, not counted
    assert sign_in(db, now) == accounts.Refusal(too_soon=True, wait_s=1)
    assert isinstance(sign_in(db, now + timedelta(seconds=1)), accounts.Session)


def test_an_attempt_during_a_check_waits(db, now, monkeypatch):
    """A second attempt sent while the first one's password is being verified (Argon2
    takes a while) is refused unchecked: the first counted before it verified."""
    verify = accounts._verified
    during: list[object] = []

    def slow(hashed: str, password: str) -> bool:
        if not during:
            during.append(sign_in(db, now, client="ip:198.51.100.9"))
        return verify(hashed, password)

    monkeypatch.setattr(accounts, "_verified", slow)
    assert isinstance(sign_in(db, now), accounts.Session)
    assert during == [accounts.Refusal(too_soon=True, wait_s=1)]


def test_slowed_per_account_from_every_client(db, now):
    sign_in(db, now, "wrong password", client="ip:192.0.2.1")
    assert sign_in(db, now, client="ip:198.51.100.7").too_soon  # type: ignore[union-attr]


def test_slowed_per_client_for_every_name(db, now):
    sign_in(db, now, "wrong password", name="somebody")
    assert sign_in(db, now).too_soon  # type: ignore[union-attr]  # ana, same client
    assert isinstance(sign_in(db, now, client="ip:198.51.100.7"), accounts.Session)


def test_an_unknown_name_and_a_wrong_password_read_alike(db, now):
    unknown = sign_in(db, now, PASSWORD, name="nobody", client="ip:203.0.113.1")
    wrong = sign_in(db, now, "wrong password", client="ip:203.0.113.2")
    assert unknown == wrong == accounts.Refusal(too_soon=False, wait_s=1)


def test_sessions_expire_after_the_towns_minutes_and_end_on_sign_out(db, now):
    session = sign_in(db, now, session_minutes=30)  # type: ignore[arg-type]
    assert isinstance(session, accounts.Session)
    assert session.expires == (now + timedelta(minutes=30)).replace(microsecond=0)
    assert accounts.session_name(db, session.token, now=now) == "ana"
    just_before = session.expires - timedelta(seconds=1)
    assert accounts.session_name(db, session.token, now=just_before) == "ana"
    assert accounts.session_name(db, session.token, now=session.expires) is None
    other = sign_in(db, now)
    assert isinstance(other, accounts.Session)
    accounts.sign_out(db, other.token)
    assert accounts.session_name(db, other.token, now=now) is None
    assert accounts.session_name(db, "made-up token", now=now) is None


def test_removing_an_account_ends_its_sessions(db, now):
    session = sign_in(db, now)
    assert isinstance(session, accounts.Session)
    accounts.remove(db, "ana")
    assert accounts.session_name(db, session.token, now=now) is None
    assert accounts.names(db) == []
    with pytest.raises(accounts.AccountError, match="no account"):
        accounts.remove(db, "ana")


def test_the_session_setting_defaults_to_an_hour(tmp_path):
    city = load_city(Path(__file__).parent / "fixtures" / "mini" / "city.toml")
    assert city.console_session_minutes == 60 == accounts.DEFAULT_SESSION_MINUTES
    toml = (Path(__file__).parent / "fixtures" / "mini" / "city.toml").read_text("utf-8")
    (tmp_path / "city.toml").write_text(toml + "\n[console]\nsession_minutes = 15\n", "utf-8")
    assert load_city(tmp_path / "city.toml").console_session_minutes == 15


def test_no_password_or_token_in_clear_in_the_database_or_the_log(tmp_path, now, caplog):
    path = tmp_path / "members.sqlite"
    caplog.set_level(logging.DEBUG)
    accounts.add(path, "ana", PASSWORD, now=now)
    sign_in(path, now, "wrong password but long")
    session = sign_in(path, now + timedelta(seconds=1))
    assert isinstance(session, accounts.Session)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # the file, its -wal
    secrets = (PASSWORD, "wrong password but long", session.token, CLIENT)
    for secret in secrets:
        assert secret.encode() not in stored, secret
        assert secret not in caplog.text
    assert accounts.token_hash(session.token).encode() in stored  # what is kept instead


def test_the_command_line_adds_lists_and_removes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(store.DB_ENV_VAR, str(tmp_path / "m.sqlite"))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli(["accounts", "add", "Ana Marić", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli(["accounts", "add", "bob", "--password-stdin"]) == 1
    assert cli(["accounts", "list"]) == 0
    out = capsys.readouterr()
    assert f"Ana Marić  created {clock.utc_now():%Y-%m-%d}" in out.out
    assert "at least 12 characters" in out.err and "1 account(s)" in out.out
    assert PASSWORD not in out.out + out.err
    assert cli(["accounts", "remove", "Ana Marić"]) == 0
    assert cli(["accounts", "remove", "Ana Marić"]) == 1
    assert isinstance(
        accounts.sign_in(
            tmp_path / "m.sqlite", "Ana Marić", PASSWORD, client=CLIENT, now=clock.utc_now()
        ),
        accounts.Refusal,
    )
