"""The command line end to end: exit codes, formats, stdin, selection, thresholds, config.

Only rule SCR101 (`eval-used`, high severity, medium confidence) is relied on, always selected
explicitly, so rules added later never change these expectations.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scrutiny import __version__
from scrutiny.cli import main

EVAL = "x = input()\neval(x)\n"  # line 2: SCR101
CLEAN = "x = 1\nprint(x)\n"
BROKEN = "def f(:\n    pass\n"


def cli(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def subprocess_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrutiny", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def as_json(result: Result) -> dict[str, Any]:
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


# --- exit codes -----------------------------------------------------------------------------


def test_clean_file_exits_0(tmp_path: Path) -> None:
    result = cli("review", write(tmp_path / "a.py", CLEAN), "--select", "SCR101")
    assert result.exit_code == 0, result.output
    assert "No security defects are detected" in result.stdout


def test_finding_exits_1_and_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.py", EVAL)
    result = cli("review", path, "--select", "SCR101", "--format", "json")
    assert result.exit_code == 1, result.output
    assert [(f["line"], f["rule"]) for f in as_json(result)["findings"]] == [(2, "SCR101")]


@pytest.mark.parametrize("other", [CLEAN, EVAL], ids=["clean", "finding"])
def test_some_files_not_reviewable_exits_1(tmp_path: Path, other: str) -> None:
    good = write(tmp_path / "good.py", other)
    bad = write(tmp_path / "bad.py", BROKEN)
    result = cli("review", good, bad, "--select", "SCR101", "--format", "json")
    assert result.exit_code == 1, result.output
    report = as_json(result)
    assert report["stats"]["files"] == 1
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [(bad, "syntax")]


def test_nothing_reviewable_exits_2(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.py", BROKEN)
    result = cli("review", bad, "--select", "SCR101", "--format", "json")
    assert result.exit_code == 2, result.output
    report = as_json(result)
    assert report["stats"]["files"] == 0
    assert report["clean"] is False
    assert [(e["path"], e["kind"], e["line"]) for e in report["errors"]] == [(bad, "syntax", 1)]


def test_nothing_reviewable_text_does_not_claim_clean(tmp_path: Path) -> None:
    result = cli("review", write(tmp_path / "bad.py", BROKEN), "--select", "SCR101")
    assert result.exit_code == 2, result.output
    assert "No security defects are detected" not in result.stdout


def test_empty_directory_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = cli("review", str(tmp_path / "empty"), "--select", "SCR101")
    assert result.exit_code == 2, result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = cli("review", str(tmp_path / "nope.py"), "--select", "SCR101", "--format", "json")
    assert result.exit_code == 2, result.output
    assert [e["kind"] for e in as_json(result)["errors"]] == ["unreadable"]


@pytest.mark.parametrize(
    "args",
    [
        ["--min-severity", "huge"],
        ["--min-confidence", "sure"],
        ["--format", "xml"],
        ["--jobs", "-1"],
        ["--max-file-bytes", "0"],
        ["--tests", "sometimes"],
    ],
    ids=lambda a: a[0],
)
def test_bad_option_value_is_usage_error(tmp_path: Path, args: list[str]) -> None:
    result = cli("review", write(tmp_path / "a.py", EVAL), "--select", "SCR101", *args)
    assert result.exit_code == 2, result.output
    assert args[0] in result.output


def test_no_paths_is_usage_error() -> None:
    assert cli("review").exit_code == 2


def test_unknown_select_exits_2(tmp_path: Path) -> None:
    result = cli("review", write(tmp_path / "a.py", EVAL), "--select", "XYZ")
    assert result.exit_code == 2
    assert "XYZ" in result.output


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_selector_is_a_usage_error_not_an_internal_error(tmp_path: Path, option: str) -> None:
    args = ["review", write(tmp_path / "a.py", EVAL), "--select", "SCR101", option, "XYZ"]
    result = cli(*args)
    assert result.exit_code == 2
    assert "internal error" not in result.output
    assert "Traceback" not in result.output


# --- formats and output -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_every_format_reports_the_finding(tmp_path: Path, fmt: str) -> None:
    result = cli("review", write(tmp_path / "a.py", EVAL), "--select", "SCR101", "--format", fmt)
    assert result.exit_code == 1, result.output
    assert "SCR101" in result.stdout
    if fmt == "json":
        assert as_json(result)["findings"][0]["rule"] == "SCR101"
    elif fmt == "sarif":
        sarif = as_json(result)
        assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["SCR101"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_file_is_written_and_nothing_printed(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out" / "report.txt"
    out.parent.mkdir()
    path = write(tmp_path / "a.py", EVAL)
    result = cli("review", path, "--select", "SCR101", "--format", fmt, "--output", str(out))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "SCR101" in text
    if fmt == "json":
        assert json.loads(text)["findings"][0]["line"] == 2


def test_same_input_gives_identical_json(tmp_path: Path) -> None:
    path = write(tmp_path / "a.py", EVAL)
    first = cli("review", path, "--select", "SCR101", "--format", "json")
    second = cli("review", path, "--select", "SCR101", "--format", "json")
    assert first.stdout == second.stdout


# --- standard input ---------------------------------------------------------------------------


def test_stdin_with_filename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(
        "review", "-", "--stdin-filename", "app.py", "--select", "SCR101", "--format", "json", stdin=EVAL
    )
    assert result.exit_code == 1, result.output
    assert [(f["path"], f["line"]) for f in as_json(result)["findings"]] == [("app.py", 2)]


def test_stdin_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("review", "-", "--stdin-filename", "app.py", "--select", "SCR101", stdin=CLEAN)
    assert result.exit_code == 0, result.output


STDIN_ARGS = ("--stdin-filename", "app.py", "--select", "SCR101", "--format", "json")


def test_stdin_as_real_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrutiny", "review", "-", *STDIN_ARGS],
        cwd=tmp_path,
        input=EVAL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert [f["path"] for f in json.loads(proc.stdout)["findings"]] == ["app.py"]


@pytest.mark.parametrize("order", ["dash-first", "dash-last"])
def test_stdin_with_other_paths_is_usage_error(tmp_path: Path, order: str) -> None:
    path = write(tmp_path / "a.py", CLEAN)
    paths = ["-", path] if order == "dash-first" else [path, "-"]
    result = cli("review", *paths, "--select", "SCR101", stdin=EVAL)
    assert result.exit_code == 2
    assert "standard input" in result.output


# --- selection and thresholds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "SCR101"], 1),
        (["--select", "eval-used"], 1),
        (["--select", "SCR1"], 1),  # a prefix
        (["--select", "SCR101,eval-used"], 1),  # comma separated
        (["--select", "SCR101", "--select", "eval-used"], 1),  # repeated
        (["--select", "SCR101", "--ignore", "SCR101"], 0),
        (["--select", "SCR101", "--ignore", "eval-used"], 0),
        (["--select", "SCR101", "--ignore", " SCR101 ,"], 0),  # blanks and empty items dropped
    ],
)
def test_select_and_ignore(tmp_path: Path, args: list[str], expected: int) -> None:
    path = write(tmp_path / "a.py", EVAL)
    result = cli("review", path, "--format", "json", *args)
    assert result.exit_code == expected, result.output
    if expected == 1:
        assert {f["rule"] for f in as_json(result)["findings"]} >= {"SCR101"}
    else:
        assert "SCR101" not in as_json(result)["rules"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--min-severity", "high"], 1),  # SCR101 is high severity: still shown
        (["--min-severity", "critical"], 0),
        (["--min-confidence", "medium"], 1),  # SCR101 is medium confidence
        (["--min-confidence", "high"], 0),
        (["--min-severity", "low", "--min-confidence", "low"], 1),
    ],
)
def test_thresholds(tmp_path: Path, args: list[str], expected: int) -> None:
    path = write(tmp_path / "a.py", EVAL)
    result = cli("review", path, "--select", "SCR101", "--format", "json", *args)
    assert result.exit_code == expected, result.output
    assert len(as_json(result)["findings"]) == expected


def test_exclude_glob_skips_a_file(tmp_path: Path) -> None:
    write(tmp_path / "proj" / "keep.py", CLEAN)
    write(tmp_path / "proj" / "gen" / "skip_me.py", EVAL)
    root = str(tmp_path / "proj")
    assert cli("review", root, "--select", "SCR101").exit_code == 1
    result = cli("review", root, "--select", "SCR101", "--exclude", "skip_*.py", "--format", "json")
    assert result.exit_code == 0, result.output
    assert as_json(result)["stats"]["files"] == 1


# --- configuration ----------------------------------------------------------------------------

PYPROJECT = '[project]\nname = "p"\n\n[tool.scrutiny]\nselect = ["SCR101"]\nmin-confidence = "high"\n'


def test_pyproject_in_a_parent_is_found_from_elsewhere(tmp_path: Path) -> None:
    write(tmp_path / "proj" / "pyproject.toml", PYPROJECT)
    target = write(tmp_path / "proj" / "pkg" / "sub" / "a.py", EVAL)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Found: min-confidence = "high" hides SCR101 (medium confidence).
    found = subprocess_cli("review", target, "--format", "json", cwd=elsewhere)
    assert found.returncode == 0, found.stdout + found.stderr
    assert json.loads(found.stdout)["rules"] == ["SCR101"]
    # --isolated: the pyproject is ignored, so the finding is back.
    isolated = subprocess_cli("review", target, "--isolated", "--select", "SCR101", cwd=elsewhere)
    assert isolated.returncode == 1, isolated.stdout + isolated.stderr


def test_cli_flag_overrides_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "proj" / "pyproject.toml", PYPROJECT)
    target = write(tmp_path / "proj" / "a.py", EVAL)
    assert cli("review", target).exit_code == 0
    assert cli("review", target, "--min-confidence", "low").exit_code == 1


def test_explicit_config_file(tmp_path: Path) -> None:
    config = write(tmp_path / "conf" / "pyproject.toml", PYPROJECT)
    target = write(tmp_path / "proj" / "a.py", EVAL)
    assert cli("review", target, "--select", "SCR101").exit_code == 1
    assert cli("review", target, "--config", config).exit_code == 0


def test_unknown_pyproject_option_is_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "proj" / "pyproject.toml", "[tool.scrutiny]\nselct = ['SCR101']\n")
    result = cli("review", write(tmp_path / "proj" / "a.py", EVAL))
    assert result.exit_code == 2
    assert "selct" in result.output


def test_bad_pyproject_value_is_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "proj" / "pyproject.toml", "[tool.scrutiny]\nmin-severity = 'huge'\n")
    result = cli("review", write(tmp_path / "proj" / "a.py", EVAL))
    assert result.exit_code == 2
    assert "huge" in result.output


# --- rules and version ------------------------------------------------------------------------


def test_rules_lists_scr101() -> None:
    result = cli("rules")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("SCR101"))
    assert "eval-used" in line
    assert "CWE-95" in line


def test_rules_json() -> None:
    result = cli("rules", "--format", "json")
    assert result.exit_code == 0
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    assert rows["SCR101"]["name"] == "eval-used"
    assert rows["SCR101"]["bandit"] == ["B307", "B102"]


@pytest.mark.parametrize("name", ["SCR101", "scr101", "eval-used", "EVAL-USED"])
def test_rule_prints_its_doc(name: str) -> None:
    result = cli("rule", name)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# SCR101 eval-used")
    assert "## Why is this bad?" in result.stdout


def test_unknown_rule_exits_2() -> None:
    result = cli("rule", "SCR999")
    assert result.exit_code == 2
    assert "SCR999" in result.output


def test_version() -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"scrutiny, version {__version__}"


def test_version_as_real_subprocess(tmp_path: Path) -> None:
    proc = subprocess_cli("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"scrutiny, version {__version__}"


def test_subprocess_exit_codes(tmp_path: Path) -> None:
    clean = write(tmp_path / "clean.py", CLEAN)
    dirty = write(tmp_path / "dirty.py", EVAL)
    assert subprocess_cli("review", clean, "--select", "SCR101", "-q", cwd=tmp_path).returncode == 0
    assert subprocess_cli("review", dirty, "--select", "SCR101", "-q", cwd=tmp_path).returncode == 1
    usage = subprocess_cli("review", dirty, "--min-severity", "huge", cwd=tmp_path)
    assert usage.returncode == 2
    assert "--min-severity" in usage.stderr
    assert os.path.basename(dirty) not in usage.stdout
