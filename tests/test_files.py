"""mapping.files.atomic_write: the target keeps its mode, only regular files are replaced,
folders are not created, and temp files never outlive their writer; a data folder's CSV
keeps its layout when rewritten."""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mapping.files import (
    TEMP_SUFFIX,
    UnsafeTargetError,
    atomic_write,
    csv_rows_bytes,
    data_csv_appended,
    data_csv_bytes,
    remove_stale_temps,
)


def _write(target: Path, data: bytes = b"new") -> None:
    with atomic_write(target) as fh:
        fh.write(data)


def test_replaces_content_and_leaves_nothing_else(tmp_path: Path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    _write(target)
    assert target.read_bytes() == b"new"
    assert list(tmp_path.iterdir()) == [target]


def test_failure_leaves_target_and_no_temp(tmp_path: Path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def write_then_fail() -> None:
        with atomic_write(target) as fh:
            fh.write(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_then_fail()
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_existing_file_keeps_its_mode(tmp_path: Path, mode: int):
    target = tmp_path / "out.geojson"
    target.write_bytes(b"old")
    target.chmod(mode)
    _write(target)
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_new_file_gets_the_umask_mode(tmp_path: Path):
    old = os.umask(0o022)
    try:
        _write(tmp_path / "new.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


def test_text_mode_writes_utf8_without_newline_translation(tmp_path: Path):
    target = tmp_path / "out.txt"
    with atomic_write(target, "w") as fh:
        fh.write("Đurković\r\n")
    assert target.read_bytes() == "Đurković\r\n".encode()


def test_refuses_a_symlink_and_leaves_it_and_its_file(tmp_path: Path):
    real = tmp_path / "real.csv"
    real.write_bytes(b"keep")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with pytest.raises(UnsafeTargetError, match=r"link\.csv: it is a symbolic link, not a regular"):
        _write(link)
    assert link.is_symlink() and real.read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


def test_refuses_a_fifo(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTargetError, match=r"named pipe \(FIFO\)"):
        _write(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_refuses_a_device():
    with pytest.raises(UnsafeTargetError, match="/dev/null: it is a character device"):
        _write(Path("/dev/null"))
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_refuses_a_folder_and_a_socket(tmp_path: Path):
    with pytest.raises(UnsafeTargetError, match="it is a folder"):
        _write(tmp_path)
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(UnsafeTargetError, match="it is a socket"):
            _write(path)


def test_refuses_a_missing_folder(tmp_path: Path):
    target = tmp_path / "no" / "such" / "out.csv"
    with pytest.raises(UnsafeTargetError, match=r"folder .*such does not exist"):
        _write(target)
    assert not (tmp_path / "no").exists()


def test_refuses_a_file_used_as_a_folder(tmp_path: Path):
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(UnsafeTargetError, match="is not a folder"):
        _write(tmp_path / "file" / "out.csv")


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


def test_stale_temps_of_dead_writers_are_removed_at_the_next_write(tmp_path: Path):
    target = tmp_path / "venues.csv"
    stale = tmp_path / f".venues.csv.{_dead_pid()}.0badf00d{TEMP_SUFFIX}"
    stale.write_bytes(b"x" * 1000)
    alive = tmp_path / f".venues.csv.1.0badf00d{TEMP_SUFFIX}"  # pid 1 is always running
    alive.write_bytes(b"x")
    other = tmp_path / f".other.csv.{_dead_pid()}.0badf00d{TEMP_SUFFIX}"  # another target
    other.write_bytes(b"x")
    _write(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [alive.name, other.name, target.name]
    )
    assert remove_stale_temps(tmp_path / "other.csv") == [other]


_KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from mapping.files import atomic_write
    with atomic_write(sys.argv[1]) as fh:
        fh.write(b"half" * 1000)
        fh.flush()
        os.kill(os.getpid(), signal.SIGKILL)
""")


def test_a_sigkilled_write_leaves_the_target_and_its_temp_goes_next_time(tmp_path: Path):
    target = tmp_path / "venues.geojson"
    target.write_bytes(b"old")
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(target)],
        check=False,
        cwd=Path(__file__).parents[1],
    )
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"old"
    temps = [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    assert len(temps) == 1 and temps[0].name.startswith(".venues.geojson.")
    _write(target)
    assert list(tmp_path.iterdir()) == [target]


_TERMINATED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from mapping.cli import _sigterm_as_exit
    from mapping.files import atomic_write
    with _sigterm_as_exit(), atomic_write(sys.argv[1]) as fh:
        fh.write(b"half")
        os.kill(os.getpid(), signal.SIGTERM)
""")


def test_sigterm_in_the_cli_removes_the_temp(tmp_path: Path):
    target = tmp_path / "venues.geojson"
    target.write_bytes(b"old")
    proc = subprocess.run(
        [sys.executable, "-c", _TERMINATED_WRITER, str(target)],
        check=False,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[1],
    )
    assert proc.returncode == 128 + signal.SIGTERM
    assert proc.stderr == "terminated\n"
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_a_data_csv_keeps_its_line_ends_and_byte_order_mark():
    rows = [["a,b", 'say "hi"', "bare\rcr", "line\nfeed"], ["x", None, "", "y"]]
    lf = data_csv_bytes(["h1", "h2", "h3", "h4"], rows, like=b"h1\nold\n")
    assert lf.startswith(b"h1,h2,h3,h4\n") and b"\r\n" not in lf
    assert b'"bare\rcr"' in lf  # a bare CR is quoted under LF too: it stays in its field
    crlf_bom = b"\xef\xbb\xbfh1\r\nold\r\n"
    again = data_csv_bytes(["h1", "h2", "h3", "h4"], rows, like=crlf_bom)
    assert again.startswith(b"\xef\xbb\xbfh1,h2,h3,h4\r\n") and again.endswith(b"x,,,y\r\n")
    assert data_csv_bytes(["h"], [], like=None) == b"h\n"  # a new file: LF, no mark
    parsed = list(csv.reader(io.StringIO(lf.decode("utf-8"), newline="")))
    assert parsed[1:] == [rows[0], ["x", "", "", "y"]]


def test_an_appended_record_keeps_every_byte_before_it():
    original = b"\xef\xbb\xbfid,title\r\none,First"  # no final line end
    after = data_csv_appended(original, ["two", "Second, with a comma"])
    assert after == original + b'\r\ntwo,"Second, with a comma"\r\n'
    assert data_csv_appended(b"id\nx\n", ["y"]) == b"id\nx\ny\n"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1 555", "'+1 555"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Galerija = umjetnost", "Galerija = umjetnost"),
        ("'quoted", "'quoted"),
        ("", ""),
        (-3, "-3"),
        (2.5, "2.5"),
        (None, ""),
    ],
)
def test_export_csv_neutralises_formula_cells_and_keeps_numbers(cell: object, shown: str):
    data = csv_rows_bytes(["h"], [[cell]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows == [["h"], [shown]]
    raw = csv_rows_bytes(["h"], [[cell]], raw=True)
    assert list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))[1] == [
        "" if cell is None else str(cell)
    ]


def test_data_folder_csv_is_never_neutralised():
    """events.csv in a data folder is data: a title starting with '-' stays as it is."""
    data = data_csv_bytes(["id", "title"], [["a", "-dash"]], like=None)
    assert data == b"id,title\na,-dash\n"
