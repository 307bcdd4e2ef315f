"""The incremental cache: reuse what did not change, recompute what did, survive damage."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from reviews import everything, write_tree
from scrutiny import Settings, cutoff, pipeline, review_paths
from scrutiny.cache import DIRECTORY, Cache, default_directory
from scrutiny.engine.walker import RawFinding

HELPERS = """\
from flask import request


def target():
    return request.args.get("host", "")
"""

HELPERS_FIXED = """\
def target():
    return "localhost"
"""

VIEWS = """\
import subprocess

from app import app
from app.helpers import target


@app.route("/ping")
def ping_view():
    subprocess.run("ping -c 1 " + target(), shell=True)
    return "ok"
"""

APP = "from flask import Flask\n\napp = Flask(__name__)\n"
OTHER = "import hashlib\n\n\ndef digest(data):\n    return hashlib.md5(data).hexdigest()\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {"app/__init__.py": APP, "app/helpers.py": HELPERS, "app/views.py": VIEWS, "app/other.py": OTHER}
    return write_tree(tmp_path / "project", files)


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths each run actually analyses (one job, so in this process)."""
    seen: list[str] = []
    real = pipeline._analyze_file

    def spy(path: str, settings: Settings, project: frozenset[str]) -> pipeline.FileWork:
        seen.append(Path(path).name)
        return real(path, settings, project)

    monkeypatch.setattr(pipeline, "_analyze_file", spy)
    yield seen


def run(root: Path, cache_dir: Path, **overrides: object) -> list[tuple[str, int, str]]:
    settings = Settings(jobs=1, cache_dir=str(cache_dir)).merged(**overrides)
    review = review_paths([str(root)], settings)
    return sorted((Path(f.path).name, f.line, f.code) for f in review.findings)


def test_rerun_with_nothing_changed_analyses_nothing(
    project: Path, tmp_path: Path, analysed: list[str]
) -> None:
    first = run(project, tmp_path / "c")
    assert ("views.py", 9, "SCR901") in first
    assert sorted(analysed) == ["__init__.py", "helpers.py", "other.py", "views.py"]
    analysed.clear()
    assert run(project, tmp_path / "c") == first
    assert analysed == []


def test_editing_a_callee_changes_the_callers_finding_without_reanalysing_the_caller(
    project: Path, tmp_path: Path, analysed: list[str]
) -> None:
    assert ("views.py", 9, "SCR901") in run(project, tmp_path / "c")
    analysed.clear()
    (project / "app" / "helpers.py").write_text(HELPERS_FIXED)
    after = run(project, tmp_path / "c")
    assert ("views.py", 9, "SCR901") not in after
    assert analysed == ["helpers.py"]  # views.py's summary is reused; the solve sees the edit
    analysed.clear()
    (project / "app" / "helpers.py").write_text(HELPERS)
    assert ("views.py", 9, "SCR901") in run(project, tmp_path / "c")
    assert analysed == []  # back to the first state: that whole run is stored


def test_editing_an_unrelated_file_reuses_everything_else(
    project: Path, tmp_path: Path, analysed: list[str]
) -> None:
    before = run(project, tmp_path / "c")
    analysed.clear()
    (project / "app" / "other.py").write_text(OTHER.replace("md5", "sha256"))
    after = run(project, tmp_path / "c")
    assert analysed == ["other.py"]
    assert [f for f in before if f[0] != "other.py"] == [f for f in after if f[0] != "other.py"]
    assert not [f for f in after if f[0] == "other.py"]


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many files each project-wide dataflow solve was given."""
    seen: list[int] = []
    real = cutoff.dataflow_findings

    def spy(
        works: Sequence[pipeline.FileWork], settings: Settings, *more: Any
    ) -> dict[str, list[RawFinding]]:
        seen.append(len(works))
        return real(works, settings, *more)

    monkeypatch.setattr(cutoff, "dataflow_findings", spy)
    yield seen


def test_an_edit_that_leaves_every_summary_alone_reuses_the_solve(
    project: Path, tmp_path: Path, analysed: list[str], solves: list[int]
) -> None:
    """Early cutoff: a comment changes the file's key but not its taint summary, so the last
    solve's findings stand; an edit that changes the summary is solved again."""
    before = run(project, tmp_path / "c")
    assert ("views.py", 9, "SCR901") in before and solves == [4]
    analysed.clear()
    solves.clear()
    (project / "app" / "helpers.py").write_text(HELPERS.replace('"")', '"")  # a comment'))
    assert run(project, tmp_path / "c") == before
    assert analysed == ["helpers.py"] and solves == []
    # A new pattern finding in the edited file, with its summary unchanged: still no solve.
    (project / "app" / "helpers.py").write_text(HELPERS + "\n\nimport hashlib\n\nDIGEST = hashlib.md5(b'')\n")
    after = run(project, tmp_path / "c")
    assert after == sorted([*before, ("helpers.py", 10, "SCR301")]) and solves == []
    (project / "app" / "helpers.py").write_text(HELPERS_FIXED)
    assert ("views.py", 9, "SCR901") not in run(project, tmp_path / "c")
    assert solves == []  # the summary changed: solved again incrementally (test_incremental.py)


def test_other_settings_or_rules_never_see_stale_results(project: Path, tmp_path: Path) -> None:
    everything = run(project, tmp_path / "c")
    only_hashes = run(project, tmp_path / "c", select=("SCR301",))
    assert {code for _, _, code in only_hashes} == {"SCR301"}
    assert run(project, tmp_path / "c") == everything


def test_a_corrupted_cache_file_is_detected_and_rebuilt(project: Path, tmp_path: Path) -> None:
    expected = run(project, tmp_path / "c")
    database = tmp_path / "c" / "cache.sqlite3"
    database.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    assert run(project, tmp_path / "c") == expected
    assert (tmp_path / "c" / "cache.sqlite3.corrupt").exists()
    with sqlite3.connect(database) as db:  # rebuilt: a real database holding the new entries
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 4


def test_a_tampered_entry_is_dropped_not_unpickled(
    project: Path, tmp_path: Path, analysed: list[str]
) -> None:
    expected = run(project, tmp_path / "c")
    with sqlite3.connect(tmp_path / "c" / "cache.sqlite3") as db:
        db.execute("DELETE FROM runs")
        # Valid pickles that would run code if loaded; the signature no longer matches.
        db.execute("UPDATE files SET blob = ?", (b"cos\nsystem\n(S'false'\ntR.",))
    analysed.clear()
    assert run(project, tmp_path / "c") == expected
    assert sorted(analysed) == ["__init__.py", "helpers.py", "other.py", "views.py"]


def test_no_cache_writes_nothing(project: Path, tmp_path: Path) -> None:
    run(project, tmp_path / "c", cache=False)
    assert not (tmp_path / "c").exists()


def test_default_directory_follows_the_config_then_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCRUTINY_CACHE_DIR")
    assert default_directory(Settings()) == Path(DIRECTORY)
    config = tmp_path / "pyproject.toml"
    assert default_directory(Settings(config_file=str(config))) == tmp_path / DIRECTORY
    assert default_directory(Settings(cache_dir="/elsewhere")) == Path("/elsewhere")


def test_an_unusable_cache_directory_means_no_cache_not_an_error(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert Cache.open(Settings(cache_dir=str(blocker / "sub")), ()) is None
    assert run(project, blocker / "sub")  # the review itself goes on


def test_two_concurrent_runs_on_one_cache_both_succeed(project: Path, tmp_path: Path) -> None:
    for i in range(6):  # enough files that the two runs overlap while writing
        (project / "app" / f"more{i}.py").write_text(OTHER + f"\n\nVALUE = {i}\n")
    cmd = [sys.executable, "-m", "scrutiny", "review", "--format", "json", "-j", "2"]
    cmd += ["--cache-dir", str(tmp_path / "shared"), str(project)]
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in runs]
    assert [p.returncode for p in runs] == [1, 1]
    reports = [json.loads(o) for o in outputs]
    findings = [sorted((f["path"], f["line"], f["rule"]) for f in r["findings"]) for r in reports]
    assert findings[0] == findings[1] and len(findings[0]) >= 8
    third = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    assert (
        sorted((f["path"], f["line"], f["rule"]) for f in json.loads(third.stdout)["findings"]) == findings[0]
    )


def test_an_edit_reused_without_a_solve_still_sees_the_projects_rootwrap_filters(
    tmp_path: Path, solves: list[int]
) -> None:
    """SCR122 on an edited file checks its privileged calls against the filter files of the
    whole project, which the recorded solve keeps (no data flows into these commands, so the
    edits leave the file's taint summary alone)."""
    root = tmp_path / "project"
    (root / "agent" / "etc").mkdir(parents=True)
    (root / "agent" / "__init__.py").write_text("")
    (root / "agent" / "etc" / "agent.filters").write_text("[Filters]\nip: IpFilter, ip, root\n")
    code = "from oslo_concurrency import processutils\n\n\ndef up():\n"
    code += "    processutils.execute({}, run_as_root=True)\n"
    (root / "agent" / "net.py").write_text(code.format('"ip", "link", "set", "eth0", "up"'))
    assert run(root, tmp_path / "c") == []
    solves.clear()
    (root / "agent" / "net.py").write_text(code.format('"ip", "link", "set", "eth0", "up"') + "# reviewed\n")
    assert run(root, tmp_path / "c") == [] and solves == []
    (root / "agent" / "net.py").write_text(code.format('"resize2fs", "/dev/vda"') + "# edited\n")
    assert run(root, tmp_path / "c") == [("net.py", 5, "SCR122")] and solves == []


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: "# a comment line\n\n" + text,  # every line moves down
        lambda text: text.replace("from flask import request\n", "from flask import (\n    request,\n)\n"),
        lambda text: text.replace("\n\n\ndef target", "\n\ndef target"),  # a line removed
    ],
    ids=["inserted", "split", "removed"],
)
def test_lines_that_moved_are_renumbered_without_a_solve(
    project: Path, tmp_path: Path, solves: list[int], edit: Any
) -> None:
    """An edit that only moves code in the callee's file keeps the project's flows; the
    caller's finding then cites the callee's new lines, exactly as a fresh review does."""
    run(project, tmp_path / "c")
    solves.clear()
    helpers = project / "app" / "helpers.py"
    helpers.write_text(edit(HELPERS))
    cached = everything(project, cache_dir=str(tmp_path / "c"))
    assert solves == []
    assert cached == everything(project, cache=False)
    assert any(step[0] == "helpers.py" for finding in cached for step in finding[-1])
