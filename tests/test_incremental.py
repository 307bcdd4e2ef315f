"""The incremental solve: after an edit that changes a file's taint summary, only what the edit
can reach is solved again, and the review says exactly what a fresh review of the project says
(every finding whole: location, message, each step of its evidence)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scrutiny import Settings, cutoff, review_paths

UTIL = """\
import shlex
import subprocess


def run(command):
    subprocess.run(command, shell=True)


def quoted(value):
    return value
"""

SERVICE = """\
import subprocess

from app import util


class Store:
    def remember(self, value):
        self.last = value

    def replay(self):
        subprocess.run(self.last, shell=True)


def handle(host):
    util.run("ping -c 1 " + util.quoted(host))
"""

VIEWS = """\
import subprocess

from flask import request

from app import app, service, util


@app.route("/ping")
def ping_view():
    service.handle(request.args.get("host", ""))
    return "ok"


@app.route("/later")
def later_view():
    subprocess.run(util.later(request.args["name"]), shell=True)
    return "ok"


@app.route("/store")
def store_view():
    service.Store().remember(request.args["cmd"])
    return "ok"
"""

# A second caller of util.run, its evidence longer than views' (which wins while it lasts):
# when an edit elsewhere rebuilds run's parameter, this call must pass again, and only it.
ADMIN = """\
from flask import request

from app import app, util


@app.route("/admin")
def admin_view():
    command = request.headers["X-Command"]
    words = command.split()
    line = " ".join(words)
    util.run(line)
    return "ok"
"""

APP = "from flask import Flask\n\napp = Flask(__name__)\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text(APP)
    (root / "app" / "util.py").write_text(UTIL)
    (root / "app" / "service.py").write_text(SERVICE)
    (root / "app" / "views.py").write_text(VIEWS)
    (root / "app" / "admin.py").write_text(ADMIN)
    return root


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The solves each run used: "incremental", or "fallback" (incremental refused) and "full"."""
    seen: list[str] = []
    full, again = cutoff.dataflow_findings, cutoff.resolve_again

    def spy_full(*args: Any) -> Any:
        seen.append("full")
        return full(*args)

    def spy_again(*args: Any) -> Any:
        result = again(*args)
        seen.append("incremental" if result is not None else "fallback")
        return result

    monkeypatch.setattr(cutoff, "dataflow_findings", spy_full)
    monkeypatch.setattr(cutoff, "resolve_again", spy_again)
    yield seen


def everything(root: Path, **overrides: object) -> list[tuple[Any, ...]]:
    review = review_paths([str(root)], Settings(jobs=1).merged(**overrides))
    return sorted(
        (
            Path(f.path).name,
            f.code,
            f.location.line,
            f.location.column,
            f.message,
            f.confidence,
            tuple((Path(s.path).name, s.line, s.column, s.description) for s in f.evidence),
        )
        for f in review.findings
    )


Edit = tuple[str, Callable[[str], str]]

EDITS: list[tuple[str, Edit, str]] = [
    # A sanitizer in the callee's helper: the flow into util.run is gone.
    (
        "sanitized",
        ("util.py", lambda t: t.replace("return value", "return shlex.quote(value)")),
        "incremental",
    ),
    (
        "unsanitized",
        ("util.py", lambda t: t.replace("return shlex.quote(value)", "return value  # again")),
        "incremental",
    ),
    # The caller stops passing the request: service.handle's parameter is rebuilt without it.
    (
        "constant",
        ("views.py", lambda t: t.replace('request.args.get("host", "")', '"localhost"')),
        "incremental",
    ),
    (
        "source-back",
        ("views.py", lambda t: t.replace('"localhost"', 'request.args.get("host")')),
        "incremental",
    ),
    # A new sink in a new function, reached from the existing handler.
    (
        "new-function",
        (
            "service.py",
            lambda t: (
                t.replace("    util.run(", "    audit(host)\n    util.run(")
                + "\n\ndef audit(value):\n    subprocess.call(value, shell=True)\n"
            ),
        ),
        "incremental",
    ),
    # `util.later` did not exist (the call passed its argument through); now it does, and
    # returns a constant: the call reaches it and the flow into later_view's sink is gone.
    ("now-resolved", ("util.py", lambda t: t + '\n\ndef later(value):\n    return "name"\n'), "incremental"),
    ("passes-again", ("util.py", lambda t: t.replace('return "name"', "return value")), "incremental"),
    # A field written from a request in one file, read by a sink in another.
    ("field-cleared", ("views.py", lambda t: t.replace('request.args["cmd"]', '"true"')), "incremental"),
    (
        "field-tainted",
        ("views.py", lambda t: t.replace('remember("true")', 'remember(request.args.get("cmd"))')),
        "incremental",
    ),
    # A class's bases changed: method lookups anywhere may change, so the project is solved.
    ("bases", ("service.py", lambda t: t.replace("class Store:", "class Store(object):")), "fallback"),
]


def test_each_edit_is_solved_again_as_a_fresh_review_would(
    project: Path, tmp_path: Path, solves: list[str]
) -> None:
    cache = str(tmp_path / "cache")
    first = everything(project, cache_dir=cache)
    assert {(f[0], f[1]) for f in first} >= {
        ("util.py", "SCR901"),
        ("views.py", "SCR901"),
        ("service.py", "SCR901"),
    }
    seen: set[tuple[Any, ...]] = set(first)
    for name, (file, edit), expected in EDITS:
        path = project / "app" / file
        path.write_text(edit(path.read_text()))
        solves.clear()
        cached = everything(project, cache_dir=cache)
        fresh = everything(project, cache=False)
        assert cached == fresh, name
        assert solves == (["incremental"] if expected == "incremental" else ["fallback", "full"]), name
        seen.update(fresh)
    # The edits did change the findings (the sequence is not a no-op).
    assert len(seen) > len(first)
