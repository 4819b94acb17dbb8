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
    result = subprocess.run([sys.executable, "-m", "mapping", "validate", str(REPO_DATA)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
