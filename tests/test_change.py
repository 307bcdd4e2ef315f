"""Change reviews end to end: real git repositories in a temporary folder, and patch files.

Each test names the lines it expects the change review to report, as `(path, line)` pairs, so
a finding moving between the change and the pre-existing list fails with the line that moved.
Only SCR101 (`eval-used`) and the SCR9 dataflow rules are relied on, selected explicitly.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scrutiny.cli import main
from scrutiny.diff import ChangeError, from_git, from_patch, parse

ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": os.devnull,
}  # fmt: skip

OLD = """\
import subprocess


def run(cmd):
    return eval(cmd)


def helper(value):
    return value
"""


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **ENV}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository on `main` with one commit: app.py (an eval at line 5) and lib/util.py."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "app.py").write_text(OLD)
    (root / "lib").mkdir()
    (root / "lib" / "util.py").write_text("def ok():\n    return 1\n")
    (root / "README.txt").write_text("hello\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def review(repo: Path, *args: str, fmt: str = "json") -> Result:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(
            main, ["review", "--select", "SCR101", "--format", fmt, "-j", "1", *args], catch_exceptions=False
        )
    finally:
        os.chdir(cwd)


def report(result: Result) -> dict[str, Any]:
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def lines(items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(item["path"].removeprefix("./"), item["line"]) for item in items]


# --- git ranges -----------------------------------------------------------------------------


def test_new_defect_on_a_branch_is_the_change_and_the_old_one_is_preexisting(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    edited = OLD.replace("    return eval(cmd)\n", "    cmd = cmd.strip()\n    return eval(cmd)\n")
    (repo / "app.py").write_text(edited + "\n\ndef added(text):\n    return eval(text)\n")
    git(repo, "commit", "-q", "-am", "feature")
    for spec in ("main", "main..HEAD", "main...HEAD"):
        result = review(repo, "--diff", spec)
        assert result.exit_code == 1, result.output
        data = report(result)
        assert lines(data["findings"]) == [("app.py", 14)], spec
        assert lines(data["preexisting"]) == [("app.py", 6)], spec  # `run` was touched at line 5
        assert data["verdict"] == "1 security defect is detected in the change: 1 high."
        assert data["change"]["files"] == ["./app.py"]


def test_untouched_function_is_left_out_and_verdict_is_clean(repo: Path) -> None:
    (repo / "app.py").write_text(OLD + "\n\ndef more():\n    return 2\n")
    result = review(repo, "--diff", "HEAD")
    assert result.exit_code == 0, result.output
    data = report(result)
    assert data["verdict"] == "No security defects are detected in the change."
    assert data["findings"] == [] and data["preexisting"] == []
    text = review(repo, "--diff", "HEAD", fmt="text").stdout
    assert text.startswith("Change: changes since HEAD (merge-base ")
    assert "Verdict: No security defects are detected in the change." in text.splitlines()[1]


def test_change_with_no_python_file_exits_0_and_says_so(repo: Path) -> None:
    (repo / "README.txt").write_text("changed\n")
    result = review(repo, "--diff", "HEAD", fmt="text")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "Change: changes since HEAD (merge-base "
        + git(repo, "rev-parse", "HEAD")[:12]
        + "): no python file changed.",
        "Verdict: No security defects are detected in the change.",
        "  No Python file changed.",
    ]


def test_staged_change_and_untracked_files(repo: Path) -> None:
    (repo / "lib" / "util.py").write_text("def ok(x):\n    return eval(x)\n")
    (repo / "new.py").write_text("eval(input())\n")  # untracked: part of a working-tree change
    assert lines(report(review(repo, "--diff", "HEAD"))["findings"]) == [("lib/util.py", 2), ("new.py", 1)]
    git(repo, "add", "lib/util.py")
    assert lines(report(review(repo, "--staged"))["findings"]) == [("lib/util.py", 2)]


def test_rename_with_edit_and_deletion(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "move")
    git(repo, "mv", "app.py", "main_app.py")
    moved = OLD.replace(
        "def helper(value):\n    return value\n", "def helper(value):\n    return eval(value)\n"
    )
    (repo / "main_app.py").write_text(moved)
    git(repo, "rm", "-q", "lib/util.py")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "move")
    change = from_git(str(repo), "main..HEAD")
    statuses = {(f.path, f.status, f.old_path) for f in change.files}
    assert statuses == {("main_app.py", "renamed", "app.py"), ("lib/util.py", "deleted", None)}
    data = report(review(repo, "--diff", "main..HEAD"))
    assert lines(data["findings"]) == [("main_app.py", 9)]  # the moved eval at line 5 is not new
    assert data["change"]["deleted"] == ["lib/util.py"]


def test_only_deletions_are_a_clean_change(repo: Path) -> None:
    git(repo, "rm", "-q", "lib/util.py")
    result = review(repo, "--staged")
    assert result.exit_code == 0
    assert report(result)["change"]["deleted"] == ["lib/util.py"]


def test_binary_diff_is_skipped_with_a_note(repo: Path) -> None:
    (repo / "logo.bin").write_bytes(bytes(range(256)))
    (repo / "app.py").write_text(OLD + "eval(input())\n")
    git(repo, "add", "-A")
    data = report(review(repo, "--staged"))
    assert data["change"]["notes"] == ["logo.bin: binary diff skipped"]
    assert lines(data["findings"]) == [("app.py", 10)]


def test_dataflow_finding_reported_when_a_step_of_its_path_changed(repo: Path) -> None:
    (repo / "web.py").write_text(
        "from flask import Flask, request\nimport subprocess\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/run')\ndef run():\n    cmd = 'ls'\n    subprocess.call(cmd, shell=True)\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "web")
    (repo / "web.py").write_text(
        (repo / "web.py").read_text().replace("cmd = 'ls'", "cmd = request.args['c']")
    )
    result = review(repo, "--diff", "HEAD", "--select", "SCR9")
    findings = report(result)["findings"]
    assert [(f["rule"], f["line"]) for f in findings if f["rule"].startswith("SCR9")] == [("SCR901", 10)]
    assert any(step["line"] == 9 for step in findings[-1]["evidence"])


def test_bad_revision_and_outside_a_repository_are_usage_errors(repo: Path, tmp_path: Path) -> None:
    result = review(repo, "--diff", "no-such-branch")
    assert result.exit_code == 2
    assert "no-such-branch" in result.output or "git" in result.output
    with pytest.raises(ChangeError, match="not inside a git repository"):
        from_git(str(tmp_path), "HEAD")
    with pytest.raises(ChangeError, match="check out"):
        git(repo, "checkout", "-q", "-b", "other")
        (repo / "x.py").write_text("x = 1\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "x")
        from_git(str(repo), "HEAD~1..main")
    assert review(repo, "--diff", "HEAD", "--staged").exit_code == 2
    assert CliRunner().invoke(main, ["review"]).exit_code == 2


# --- patch files ----------------------------------------------------------------------------

PATCH = """\
From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
Subject: [PATCH] Move the app and evaluate helper input

---
diff --git a/app.py b/service/app.py
similarity index 80%
rename from app.py
rename to service/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/service/app.py
@@ -8,2 +8,3 @@
 def helper(value):
-    return value
+    value = value.strip()
+    return eval(value)
diff --git a/lib/util.py b/lib/util.py
deleted file mode 100644
index 3333333..0000000
--- a/lib/util.py
+++ /dev/null
@@ -1,2 +0,0 @@
-def ok():
-    return 1
--
2.39.5
"""


def _apply_patch_by_hand(repo: Path) -> None:
    (repo / "service").mkdir()
    text = OLD.replace("    return value\n", "    value = value.strip()\n    return eval(value)\n")
    (repo / "service" / "app.py").write_text(text)
    (repo / "app.py").unlink()
    (repo / "lib" / "util.py").unlink()


def test_patch_with_rename_and_edit(repo: Path, tmp_path: Path) -> None:
    patch = tmp_path / "change.patch"
    patch.write_text(PATCH)
    _apply_patch_by_hand(repo)
    change = from_patch(str(patch), str(repo))
    assert {(f.path, f.status, f.old_path, tuple(sorted(f.added))) for f in change.files} == {
        ("service/app.py", "renamed", "app.py", (9, 10)),
        ("lib/util.py", "deleted", None, ()),
    }
    data = report(review(repo, "--patch", str(patch)))
    assert lines(data["findings"]) == [("service/app.py", 10)]
    assert lines(data["preexisting"]) == []  # `run` (line 5) is not touched
    assert data["change"]["description"] == "patch change.patch"


def test_patch_base64_as_gerrit_serves_it(repo: Path, tmp_path: Path) -> None:
    import base64

    patch = tmp_path / "change.base64"
    patch.write_bytes(base64.b64encode(PATCH.encode()))
    _apply_patch_by_hand(repo)
    assert lines(report(review(repo, "--patch", str(patch)))["findings"]) == [("service/app.py", 10)]


def test_patch_not_applied_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    patch = tmp_path / "change.patch"
    patch.write_text(PATCH)
    result = review(repo, "--patch", str(patch))
    assert result.exit_code == 2
    assert "apply the patch first" in result.output
    (repo / "service").mkdir()
    (repo / "service" / "app.py").write_text(OLD)
    assert "does not match the patch" in review(repo, "--patch", str(patch)).output
    (tmp_path / "empty.patch").write_text("just words\n")
    assert "contains no unified diff" in review(repo, "--patch", str(tmp_path / "empty.patch")).output


def test_parse_marks_lines_around_a_pure_deletion_as_touched() -> None:
    text = "--- a/x.py\n+++ b/x.py\n@@ -3 +2,0 @@\n-gone\n"
    (changed,) = parse(text, "/", "t").files
    assert changed.added == frozenset() and changed.touched == {2, 3}
