"""Members' personal links (``mapping.links``): issue, check, expire, revoke, the hash-only
store, one venue's link against another's, the "from the venue" mark, the setting and the
``links`` commands — on SQLite and PostgreSQL (the ``members_db`` fixture)."""

from __future__ import annotations

import hashlib
import itertools
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest

from mapping import cli, clock, links, store, submissions
from mapping.settings import load_city
from mapping.submissions import clients, ledger
from tests.conftest import MINI

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LIMITS = ledger.Limits(per_client=100, per_venue=100, unusual=1000)


SENT = itertools.count(1)  # each stored suggestion differs: the ledger stores no twins


def stored(where: store.Location, kind: str = "update", venue: str = "gal-durkovic") -> int:
    with ledger.opened(where) as conn:
        return ledger.insert(conn, kind, venue, {"note": f"hi {next(SENT)}"}, NOW, LIMITS)


def test_a_link_opens_its_venue_and_nothing_else(members_db):
    token = links.issue(members_db, "gal-durkovic", now=NOW, days=30)
    assert len(token) >= 43
    assert links.venue_for(members_db, token, now=NOW) == "gal-durkovic"
    assert links.venue_for(members_db, token + "x", now=NOW) is None
    assert links.venue_for(members_db, "", now=NOW) is None
    assert links.venue_for(members_db, "a" * 5000, now=NOW) is None
    other = links.issue(members_db, "museum-sea", now=NOW, days=30)
    assert other != token
    assert links.venue_for(members_db, other, now=NOW) == "museum-sea"


def test_a_link_expires_after_its_days(members_db):
    token = links.issue(members_db, "gal-durkovic", now=NOW, days=2)
    end = NOW + timedelta(days=2)
    assert links.venue_for(members_db, token, now=end - timedelta(seconds=1)) == "gal-durkovic"
    assert links.venue_for(members_db, token, now=end) is None
    (link,) = links.listed(members_db)
    assert (link.created, link.expires) == (NOW, end)
    assert not link.valid(end)
    with pytest.raises(ValueError, match="at least 1 day"):
        links.issue(members_db, "gal-durkovic", now=NOW, days=0)


def test_the_suite_clock_drives_the_expiry(members_db):
    token = links.issue(members_db, "gal-durkovic", now=clock.utc_now(), days=1)
    assert links.venue_for(members_db, token, now=clock.utc_now()) == "gal-durkovic"
    later = clock.utc_now() + timedelta(days=1, seconds=1)
    assert links.venue_for(members_db, token, now=later) is None


def test_revoke_refuses_every_link_of_the_venue_only(members_db):
    first = links.issue(members_db, "gal-durkovic", now=NOW, days=30)
    second = links.issue(members_db, "gal-durkovic", now=NOW, days=30)
    other = links.issue(members_db, "museum-sea", now=NOW, days=30)
    assert links.venue_for(members_db, first, now=NOW) == "gal-durkovic"  # not replaced
    assert links.revoke(members_db, "gal-durkovic", now=NOW) == 2
    assert links.venue_for(members_db, first, now=NOW) is None
    assert links.venue_for(members_db, second, now=NOW) is None
    assert links.venue_for(members_db, other, now=NOW) == "museum-sea"
    assert links.revoke(members_db, "gal-durkovic", now=NOW) == 0
    revoked = [link for link in links.listed(members_db) if link.venue_id == "gal-durkovic"]
    assert [link.revoked for link in revoked] == [NOW, NOW]


def test_replace_revokes_the_older_links(members_db):
    old = links.issue(members_db, "gal-durkovic", now=NOW, days=30)
    new = links.issue(members_db, "gal-durkovic", now=NOW, days=30, replace=True)
    assert links.venue_for(members_db, old, now=NOW) is None
    assert links.venue_for(members_db, new, now=NOW) == "gal-durkovic"


def test_the_database_holds_only_hashes(tmp_path):
    where = tmp_path / "members.sqlite"
    token = links.issue(where, "gal-durkovic", now=NOW, days=30)
    number = stored(where)
    links.attach(where, number, token)
    files = sorted(tmp_path.glob("members.sqlite*"))  # the -wal file too
    everything = b"".join(path.read_bytes() for path in files)
    assert token.encode() not in everything
    assert hashlib.sha256(token.encode()).hexdigest().encode() in everything
    listed = links.listed(where)
    assert token not in repr(listed)


def test_suggestions_sent_with_a_link_are_from_the_venue(members_db):
    token = links.issue(members_db, "gal-durkovic", now=NOW, days=30)
    other = links.issue(members_db, "museum-sea", now=NOW, days=30)
    mine, anonymous, theirs = stored(members_db), stored(members_db), stored(members_db)
    links.attach(members_db, mine, token)
    links.attach(members_db, mine, token)  # twice: one mark
    links.attach(members_db, theirs, other)
    assert links.from_venue(members_db, [mine, anonymous, theirs, 999]) == {mine, theirs}
    assert links.from_venue(members_db, []) == set()
    assert [s.id for s in links.sent_through(members_db, "gal-durkovic")] == [mine]
    assert [s.id for s in links.sent_through(members_db, "museum-sea")] == [theirs]
    with ledger.opened(members_db) as conn, store.transaction(conn):
        ledger.decide(conn, mine, ledger.REJECTED, NOW, reason="duplicate")
    (found,) = links.sent_through(members_db, "gal-durkovic")
    assert (found.status, found.reason) == (ledger.REJECTED, "duplicate")


def test_a_link_is_a_client_of_its_own():
    token = "t" * 43
    assert clients.client_key("10.0.0.1", token) == clients.client_key("10.9.9.9", token)
    assert clients.client_key("10.0.0.1", token) != clients.client_key("10.0.0.1")
    assert clients.client_key("10.0.0.1", token).endswith(links.token_hash(token))


def test_link_days_is_a_setting(tmp_path):
    assert load_city(MINI / "city.toml").link_days == 365
    toml = tmp_path / "city.toml"
    toml.write_text(
        (MINI / "city.toml").read_text(encoding="utf-8") + "\n[members]\nlink_days = 30\n",
        encoding="utf-8",
    )
    assert load_city(toml).link_days == 30


def test_the_url_carries_the_token_as_key():
    assert links.url("https://map.example.org/", "a-b_c") == (
        "https://map.example.org/members?key=a-b_c"
    )


def test_the_commands_issue_list_and_revoke(mini_copy, members_db, capsys):
    folder = str(mini_copy)
    assert cli.main(["links", "issue", "gal-durkovic", folder, "--base-url", "https://m.ex"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://m.ex/members?key=")
    token = link.rsplit("=", 1)[1]
    assert links.venue_for(members_db, token, now=clock.utc_now()) == "gal-durkovic"
    expires = links.listed(members_db)[0].expires
    assert expires - links.listed(members_db)[0].created == timedelta(days=365)
    assert cli.main(["links", "list", folder]) == 0
    out = capsys.readouterr().out
    assert "gal-durkovic" in out and "valid" in out and token not in out
    assert cli.main(["links", "revoke", "gal-durkovic", folder]) == 0
    assert links.venue_for(members_db, token, now=clock.utc_now()) is None
    assert cli.main(["links", "issue", "no-such-venue", folder]) == 1
    assert "no-such-venue" in capsys.readouterr().err
    assert cli.main(["links", "issue", "gal-durkovic", folder, "--days", "3"]) == 0
    assert capsys.readouterr().out.startswith("/members?key=")


def test_the_commands_write_the_csv_and_the_sheets(mini_copy, members_db, tmp_path, capsys):
    out = tmp_path / "links.csv"
    args = ["gal-durkovic", "museum-sea", "--data", str(mini_copy), "--base-url", "https://m.ex"]
    assert cli.main(["links", "csv", *args, "-o", str(out), "--lang", "en"]) == 0
    lines = out.read_bytes().decode("utf-8").splitlines()
    assert lines[0] == "venue,e-mail,link,missing,id"
    assert len(lines) == 3 and "https://m.ex/members?key=" in lines[1]
    sheets = tmp_path / "sheets.html"
    assert cli.main(["links", "sheets", *args, "-o", str(sheets)]) == 0
    html = sheets.read_text(encoding="utf-8")
    assert html.count('<section class="sheet"') == 2 and html.count("<svg") == 2
    assert len(links.listed(members_db)) == 4
    assert (
        cli.main(
            [
                "links",
                "csv",
                "nope",
                "--data",
                str(mini_copy),
                "--base-url",
                "x",
                "-o",
                str(tmp_path / "x.csv"),
            ]
        )
        == 1
    )
    assert not (tmp_path / "x.csv").exists()


def test_a_submission_through_the_package_is_not_marked_by_itself(members_db, mini):
    number = submissions.submit(
        mini, "update", {"venue_id": "gal-durkovic", "phone": "+382 32 123 456"}, db=members_db
    )
    assert links.from_venue(members_db, [number]) == set()


def test_no_token_in_the_table(members_db):
    token = links.issue(members_db, "gal-durkovic", now=NOW, days=30)
    with closing(store.connect(members_db)) as conn:
        rows = conn.execute("SELECT * FROM links").fetchall()
    assert token not in repr(rows) and links.token_hash(token) in repr(rows)


def test_an_unknown_language_issues_nothing(mini_copy, members_db, tmp_path, capsys):
    out = tmp_path / "links.csv"
    args = ["links", "csv", "gal-durkovic", "--data", str(mini_copy), "--base-url", "x"]
    assert cli.main([*args, "-o", str(out), "--lang", "xx"]) == 1
    assert "--lang 'xx' is not one of the town's languages (me, en)" in capsys.readouterr().err
    assert links.listed(members_db) == [] and not out.exists()
