"""The command line: exit codes, one line per problem, atomic export."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mapping.cli import main
from tests.conftest import MINI, REPO_DATA


def test_validate_ok(capsys):
    assert main(["validate", str(MINI)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: ") and out.count("\n") == 1


def test_validate_lists_each_problem(broken_folder, capsys):
    folder = broken_folder("three_problems.geojson", "venues.geojson")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("venues.geojson:museum-sea:category:") for line in out)
    assert any(line.startswith("venues.geojson:atelier-seasonal:geometry:") for line in out)
    assert any(line.startswith("venues.geojson:gal-durkovic:opening_hours:") for line in out)


def test_validate_malformed_file_no_traceback(broken_folder, capsys):
    folder = broken_folder("malformed.geojson", "venues.geojson")
    assert main(["validate", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "venues.geojson:-:-: malformed JSON" in captured.out


def test_info_counts(capsys):
    assert main(["info", str(MINI), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "4 venues, 2 listed in the cluster (members or prospective members)" in out
    jan = next(line for line in out.splitlines() if line.strip().startswith("Jan"))
    assert jan.split()[1:] == ["2", "1", "1"]  # open, closed, unknown


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_export_writes_file(tmp_path, fmt, capsys):
    out = tmp_path / f"venues.{fmt}"
    assert main(["export", str(MINI), "--format", fmt, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    if fmt == "geojson":
        doc = json.loads(text)
        assert len(doc["features"]) == 4
        assert "m01" not in doc["features"][0]["properties"]
    else:
        assert text.splitlines()[0].startswith("id,") and len(text.splitlines()) == 5
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", str(MINI), "--format", "xml", "--out", "x"])
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_unknown_folder_is_a_clean_error(tmp_path, capsys):
    assert main(["info", str(tmp_path / "nowhere")]) == 1
    assert "city.toml:-:-: file not found" in capsys.readouterr().err


def test_module_entry_point_validates_repo_data():
    result = subprocess.run(
        [sys.executable, "-m", "mapping", "validate", str(REPO_DATA)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_export_dash_is_stdout_and_writes_no_file(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(MINI), "--format", "geojson", "--out", "-"]) == 0
    out = capsysbinary.readouterr().out
    assert len(json.loads(out)["features"]) == 4  # the payload only, no "wrote …" line
    assert list(tmp_path.iterdir()) == []


def test_events_dash_is_stdout(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    assert (
        main(
            [
                "events",
                str(MINI),
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
                "--format",
                "ics",
                "--out",
                "-",
            ]
        )
        == 0
    )
    assert capsysbinary.readouterr().out.startswith(b"BEGIN:VCALENDAR")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/dev/null", "refusing to write /dev/null: it is a character device"),
        ("{tmp}/no/such/out.csv", "folder {tmp}/no/such does not exist"),
        ("{tmp}", "it is a folder"),
    ],
)
def test_export_refuses_what_is_not_a_file(tmp_path, capsys, target, message):
    target = target.format(tmp=tmp_path)
    assert main(["export", str(MINI), "--format", "csv", "--out", target]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message.format(tmp=tmp_path) in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_a_symlink_and_keeps_it(tmp_path, capsys):
    real = tmp_path / "real.csv"
    real.write_text("keep", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(real)
    assert main(["export", str(MINI), "--format", "csv", "--out", str(tmp_path / "link.csv")]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert (tmp_path / "link.csv").is_symlink() and real.read_text(encoding="utf-8") == "keep"


def test_export_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    out = tmp_path / "venues.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    assert main(["export", str(MINI), "--format", "csv", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o644


def test_ctrl_c_prints_one_line(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("mapping.cli.load_dataset", interrupted)
    assert main(["info", str(MINI)]) == 130
    captured = capsys.readouterr()
    assert captured.err == "interrupted\n" and captured.out == ""


def test_ctrl_c_in_a_real_process_prints_one_line(tmp_path):
    script = (
        "import os, signal, mapping.cli as cli\n"
        "def stop(*a, **k):\n    os.kill(os.getpid(), signal.SIGINT)\n"
        "cli.load_dataset = stop\nraise SystemExit(cli.main(['info']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_DATA.parent,
    )
    assert result.returncode == 130
    assert result.stderr == "interrupted\n"


def test_a_closed_pipe_is_not_a_traceback():
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mapping",
            "export",
            str(REPO_DATA),
            "--format",
            "geojson",
            "--out",
            "-",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as producer:
        assert producer.stdout is not None and producer.stderr is not None
        producer.stdout.read(10)
        producer.stdout.close()
        err = producer.stderr.read().decode()
    assert "Traceback" not in err


def test_validate_prints_warnings_and_still_exits_0(tmp_path, capsys):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    venues = folder / "venues.geojson"
    text = venues.read_text(encoding="utf-8")
    first_name = text.index('"name": "') + len('"name": "')
    venues.write_text(text[:first_name] + "\\u0007" + text[first_name:], encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "warning" in out and "1 warning(s)" in out


def test_events_ics_counts_what_it_wrote_and_names_unconfirmed(tmp_path, capsys):
    """Issue 24, item 10: the .ics holds confirmed dates only; the count says so."""
    out = tmp_path / "july.ics"
    args = ["events", str(MINI), "--from", "2026-07-01", "--to", "2026-07-31"]
    assert main([*args, "--format", "csv", "--out", str(tmp_path / "all.csv")]) == 0
    total = int(capsys.readouterr().out.split()[1])
    assert main([*args, "--format", "ics", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    written = out.read_bytes().count(b"BEGIN:VEVENT")
    assert f"wrote {written} occurrences" in said
    assert written < total  # summer-fest's dates are not confirmed
    assert f"note: {total - written} of {total} occurrences left out" in said
