"""Applied suggestions recorded in the data folder's git history (one commit per apply,
the reviewer as author), and two applies at once losing nothing on either back-end."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mapping import cli, store
from mapping import submissions as sub
from mapping.io import load_dataset
from mapping.submissions import history, review


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def repo(mini_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The test data folder as a git repository with one commit, and no git identity
    configured anywhere (as on a fresh server): only what the test sets."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    _git(mini_copy, "init", "--quiet")
    _git(mini_copy, "add", ".")
    _git(
        mini_copy,
        "-c",
        "user.name=Setup",
        "-c",
        "user.email=setup@example.org",
        "commit",
        "-qm",
        "data",
    )
    return mini_copy


@pytest.fixture
def db_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite members' database (the git history does not depend on the back-end)."""
    path = tmp_path / "members.sqlite"
    monkeypatch.setenv(store.DB_ENV_VAR, str(path))
    return path


def _update(repo: Path, db: store.Location, visit: str, venue: str = "museum-sea") -> int:
    data = load_dataset(repo, enrich=False)
    return sub.submit(data, sub.UPDATE, {"venue_id": venue, "visit": visit}, db=db)


def test_each_apply_is_a_commit_with_the_reviewer_as_author(repo, db_sqlite, capsys):
    (repo / "notes.txt").write_text("staged, not part of any apply\n")
    _git(repo, "add", "notes.txt")
    number = _update(repo, db_sqlite, "no")
    reviewer = "Ana Perović <ana@example.org>"
    assert cli.main(["submissions", "apply", str(number), str(repo), "--reviewer", reviewer]) == 0
    out = capsys.readouterr().out
    head = _git(repo, "rev-parse", "--short", "HEAD")
    assert f"data folder history: committed {head}" in out
    assert _git(repo, "log", "-1", "--format=%an <%ae>") == reviewer
    assert _git(repo, "log", "-1", "--format=%s") == (
        f"Apply suggestion #{number}: update museum-sea"
    )
    assert "reviewed by Ana Perović" in _git(repo, "log", "-1", "--format=%b")
    assert _git(repo, "show", "--name-only", "--format=", "HEAD") == "venues.geojson"
    assert _git(repo, "diff", "--cached", "--name-only") == "notes.txt"  # still staged
    assert _git(repo, "status", "--porcelain", "venues.geojson") == ""


def test_the_default_reviewer_is_the_os_user(repo, db_sqlite):
    number = _update(repo, db_sqlite, "yes")
    item, recorded = review.apply_recorded(repo, number, db=db_sqlite)
    assert item.status == "applied" and recorded.startswith("committed ")
    assert _git(repo, "log", "-1", "--format=%an|%cn") == (
        f"{history.default_reviewer()}|{history.default_reviewer()}"
    )  # no identity configured: the reviewer commits too


def test_a_folder_outside_git_records_nothing(mini_copy, db_sqlite, capsys):
    number = _update(mini_copy, db_sqlite, "no")
    assert cli.main(["submissions", "apply", str(number), str(mini_copy)]) == 0
    assert "history" not in capsys.readouterr().out
    assert not (mini_copy / ".git").exists()


def test_a_malformed_reviewer_is_refused_before_anything_changes(repo, db_sqlite, capsys):
    number = _update(repo, db_sqlite, "no")
    with pytest.raises(SystemExit) as usage:
        cli.main(["submissions", "apply", str(number), str(repo), "--reviewer", "<x>"])
    assert usage.value.code == 2
    with pytest.raises(ValueError, match="reviewer"):
        sub.apply(repo, number, db=db_sqlite, reviewer="Ana\nCommitter: someone")
    assert sub.get(repo, number, db=db_sqlite).status == "pending"
    assert _git(repo, "rev-list", "--count", "HEAD") == "1"


def test_two_applies_at_once_lose_no_update(repo, members_db):
    """Two reviewers apply two suggestions on one file at the same moment: each change
    lands (a refused one says "run apply again" and does), and each is its own commit."""
    numbers = [_update(repo, members_db, "no"), _update(repo, members_db, "yes", "gal-durkovic")]

    refusals: list[str] = []

    def apply(number: int) -> str:
        for _ in range(5):
            try:
                return review.apply_recorded(repo, number, db=members_db, reviewer="R")[1]
            except sub.ReviewError as exc:
                refusals.append(str(exc))
        return "gave up"

    with ThreadPoolExecutor(max_workers=2) as pool:
        recorded = list(pool.map(apply, numbers))
    assert all(r.startswith("committed ") for r in recorded)
    assert all("run apply again" in r for r in refusals)
    venues = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads((repo / "venues.geojson").read_text(encoding="utf-8"))["features"]
    }
    assert (venues["museum-sea"]["visit"], venues["gal-durkovic"]["visit"]) == ("no", "yes")
    assert _git(repo, "rev-list", "--count", "HEAD") == "3"
    assert [i.status for i in sub.listed(repo, None, db=members_db)] == ["applied", "applied"]
