"""The CI recipes users paste: every scrutiny command in docs/ci.md parses, and the pre-commit
hooks run as pre-commit runs them (entry + no filenames) in a real repository."""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path

import click
import pytest

from scrutiny.cli import main
from test_change import OLD, git, repo, review  # noqa: F401 -- `repo` is a fixture

ROOT = Path(__file__).parent.parent
CI_DOC = ROOT / "docs" / "ci.md"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _commands() -> list[str]:
    blocks = re.findall(r"```\w*\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), flags=re.S)
    found = []
    for block in blocks:
        for line in block.splitlines():
            match = re.search(r"\bscrutiny (review|baseline)\b[^|<>#\"]*", line)
            if match:
                found.append(match.group(0).strip())
    return found


def _argv(command: str) -> list[str]:
    # CI placeholders (${{ github.base_ref }}, {env:X:default}, {posargs:.}) become one word
    command = re.sub(r"\$\{\{[^}]*\}\}", "main", command)
    command = re.sub(r"\{env:[^:}]*:([^}]*)\}", r"\1", command)
    command = re.sub(r"\{posargs:([^}]*)\}|\{toxworkdir\}", lambda m: m.group(1) or "/tmp", command)
    return shlex.split(command)[1:]


def test_docs_show_the_three_integrations() -> None:
    text = CI_DOC.read_text(encoding="utf-8")
    for heading in ("## pre-commit", "## tox", "## Zuul (OpenStack) and Gerrit", "## GitHub Actions"):
        assert heading in text
    assert "github/codeql-action/upload-sarif" in text
    assert len(_commands()) >= 10


@pytest.mark.parametrize("command", _commands())
def test_every_documented_command_parses(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = _argv(command)
    for flag, value in itertools.pairwise(argv):
        if flag in ("--patch", "--baseline"):  # options that must name an existing file
            (tmp_path / value).write_text("")
    sub = main.commands[argv[0]]
    rest = argv[1:]
    if isinstance(sub, click.Group):
        sub, rest = sub.commands[rest[0]], rest[1:]
    sub.make_context(sub.name or "", list(rest))  # raises on an unknown option or a bad value


def _hooks() -> list[dict[str, str]]:
    hooks: list[dict[str, str]] = []
    for line in HOOKS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"(- |  )(\w+): (.*)", line)
        if match:
            if match.group(1) == "- ":
                hooks.append({})
            hooks[-1][match.group(2)] = match.group(3)
    return hooks


def test_pre_commit_hooks_are_declared() -> None:
    hooks = {h["id"]: h for h in _hooks()}
    assert set(hooks) == {"scrutiny", "scrutiny-files"}
    assert hooks["scrutiny"]["pass_filenames"] == "false"
    assert all(h["language"] == "python" and h["types"] == "[python]" for h in hooks.values())


def test_pre_commit_staged_hook_blocks_a_defect_and_passes_a_clean_commit(repo: Path) -> None:  # noqa: F811
    entry = next(h["entry"] for h in _hooks() if h["id"] == "scrutiny")
    argv = shlex.split(entry)[2:]  # after `scrutiny review`
    (repo / "app.py").write_text(OLD + "\n\ndef ok():\n    return 1\n")
    git(repo, "add", "-A")
    assert review(repo, *argv, fmt="text").exit_code == 0
    (repo / "app.py").write_text(OLD + "\n\ndef bad(t):\n    return eval(t)\n")
    git(repo, "add", "-A")
    result = review(repo, *argv, fmt="text")
    assert result.exit_code == 1
    assert "1 security defect is detected in the change: 1 high." in result.stdout
