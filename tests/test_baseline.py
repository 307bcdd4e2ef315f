"""Baselines: moved and re-indented code stays accepted, a second copy is reported, stale
entries are listed, renamed files keep their entries; through the CLI and the API."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scrutiny import Settings, review_paths
from scrutiny import baseline as baselines
from scrutiny.cli import main
from test_change import git, repo  # noqa: F401 -- `repo` is a fixture

CODE = "def f(x):\n    return eval(x)\n"


def run(cwd: Path, *args: str) -> Result:
    here = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)


def write_baseline(root: Path) -> Result:
    return run(root, "baseline", "write", "baseline.json", ".", "--select", "SCR101", "-j", "1")


def check(root: Path, *args: str) -> dict[str, object]:
    result = run(root, "review", ".", "--select", "SCR101", "-j", "1", "--format", "json",
                 "--baseline", "baseline.json", *args)  # fmt: skip
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def found(data: dict[str, object]) -> list[tuple[str, int]]:
    items = data["findings"]
    assert isinstance(items, list)
    return [(f["path"].removeprefix("./"), f["line"]) for f in items]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.py").write_text(CODE)
    result = write_baseline(tmp_path)
    assert result.exit_code == 0, result.output
    assert "Wrote 1 baseline entries (1 findings)" in result.stdout
    return tmp_path


def test_baseline_file_format(project: Path) -> None:
    data = json.loads((project / "baseline.json").read_text())
    assert data["schema_version"] == 1
    (entry,) = data["entries"]
    assert entry["rule"] == "SCR101" and entry["path"] == "a.py" and entry["count"] == 1
    assert len(entry["fingerprint"]) == 32


def test_accepted_finding_is_left_out_and_the_run_is_clean(project: Path) -> None:
    result = run(project, "review", ".", "--select", "SCR101", "--baseline", "baseline.json")
    assert result.exit_code == 0, result.output
    assert "Baseline baseline.json: 1 accepted finding(s) not shown." in result.stdout


def test_moved_and_reindented_code_stays_accepted(project: Path) -> None:
    moved = "import os\n\n\nclass Holder:\n    pass\n\n\ndef f(x):\n    if x:\n        return eval(x)\n"
    (project / "a.py").write_text(moved)
    data = check(project)
    assert found(data) == []
    assert data["baseline"] == {"path": "baseline.json", "matched": 1, "stale": []}


def test_a_second_copy_of_an_accepted_defect_is_reported(project: Path) -> None:
    (project / "a.py").write_text(CODE + "\n\ndef g(y):\n    return 1\n\n\n" + CODE)
    assert found(check(project)) == [("a.py", 10)]
    # the same code under the same function name twice: the count lets one through, not both
    (project / "a.py").write_text(CODE + "\n\n" + CODE)
    assert len(found(check(project))) == 1


def test_stale_entries_are_listed(project: Path) -> None:
    (project / "a.py").write_text("def f(x):\n    return x\n")
    data = check(project)
    baseline = data["baseline"]
    assert isinstance(baseline, dict)
    assert [(e["rule"], e["path"], e["count"]) for e in baseline["stale"]] == [("SCR101", "a.py", 1)]
    text = run(project, "review", ".", "--select", "SCR101", "--baseline", "baseline.json").stdout
    assert "1 stale entry (no longer found; rewrite it with `scrutiny baseline write`):" in text


def test_entry_follows_a_renamed_file(project: Path) -> None:
    (project / "a.py").rename(project / "b.py")
    data = check(project)
    assert found(data) == []
    assert data["baseline"] == {"path": "baseline.json", "matched": 1, "stale": []}


def test_entry_for_a_file_not_reviewed_is_not_stale(project: Path) -> None:
    (project / "other").mkdir()
    (project / "other" / "c.py").write_text("x = 1\n")
    result = run(
        project, "review", "other", "--select", "SCR101", "--format", "json", "--baseline", "baseline.json"
    )
    assert json.loads(result.stdout)["baseline"]["stale"] == []


def test_in_a_change_the_copy_on_the_changed_line_is_reported(repo: Path) -> None:  # noqa: F811
    (repo / "a.py").write_text(CODE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a")
    assert write_baseline(repo).exit_code == 0
    (repo / "a.py").write_text(CODE + "\n\n" + CODE)  # a second `f` with the same eval
    data = check(repo, "--diff", "HEAD")
    assert found(data) == [("a.py", 6)]
    assert data["preexisting"] == []


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "Expecting value"),
        ('{"schema_version": 9}', "not a scrutiny baseline"),
        ('{"schema_version": 1, "entries": {}}', "must be a list"),
        ('{"schema_version": 1, "entries": [{"rule": "SCR101"}]}', "entry 1"),
        (
            '{"schema_version": 1, "entries": [{"fingerprint": "a", "rule": "R", "path": "p", "count": 0}]}',
            "count",
        ),
    ],
)
def test_unreadable_baseline_is_a_usage_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "a.py").write_text(CODE)
    (tmp_path / "baseline.json").write_text(content)
    result = run(tmp_path, "review", ".", "--baseline", "baseline.json")
    assert result.exit_code == 2
    assert message in result.output


def test_api_round_trip(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(CODE)
    settings = Settings(select=("SCR101",), jobs=1)
    review = review_paths([str(tmp_path)], settings)
    rows = baselines.write(str(tmp_path / "b.json"), review)
    assert [r.count for r in rows] == [1]
    applied = baselines.apply(review, baselines.load(str(tmp_path / "b.json")))
    assert applied.findings == [] and applied.baseline is not None and applied.baseline.matched == 1


def test_reports_show_the_baseline_and_its_stale_entries(project: Path) -> None:
    (project / "a.py").write_text("def f(x):\n    return x\n")
    md = run(
        project, "review", ".", "--select", "SCR101", "--format", "markdown", "--baseline", "baseline.json"
    )
    assert "Baseline baseline.json: 0 accepted finding(s) not shown." in md.stdout
    assert "<details><summary>1 stale baseline entries</summary>" in md.stdout
    assert "- a.py: SCR101 x1" in md.stdout
