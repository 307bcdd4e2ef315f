"""The incremental solve: after an edit that changes a file's taint summary, only what the edit
can reach is solved again, and the review says exactly what a fresh review of the project says
(every finding whole: location, message, each step of its evidence)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reviews import everything, write_tree
from scrutiny import cutoff

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
    files = {"__init__.py": APP, "util.py": UTIL, "service.py": SERVICE, "views.py": VIEWS, "admin.py": ADMIN}
    return write_tree(tmp_path / "project", {f"app/{name}": text for name, text in files.items()})


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


# (name, file under app/, edit); each is solved incrementally but those in FULL.
EDITS: list[tuple[str, str, Callable[[str], str]]] = [
    # A sanitizer in the callee's helper: the flow into util.run is gone.
    ("sanitized", "util.py", lambda t: t.replace("return value", "return shlex.quote(value)")),
    ("unsanitized", "util.py", lambda t: t.replace("return shlex.quote(value)", "return value  # again")),
    # The caller stops passing the request: service.handle's parameter is rebuilt without it.
    ("constant", "views.py", lambda t: t.replace('request.args.get("host", "")', '"localhost"')),
    ("source-back", "views.py", lambda t: t.replace('"localhost"', 'request.args.get("host")')),
    # A new sink in a new function, reached from the existing handler.
    (
        "new-function",
        "service.py",
        lambda t: (
            t.replace("    util.run(", "    audit(host)\n    util.run(")
            + "\n\ndef audit(value):\n    subprocess.call(value, shell=True)\n"
        ),
    ),
    # `util.later` did not exist (the call passed its argument through); now it does, and
    # returns a constant: the call reaches it and the flow into later_view's sink is gone.
    ("now-resolved", "util.py", lambda t: t + '\n\ndef later(value):\n    return "name"\n'),
    ("passes-again", "util.py", lambda t: t.replace('return "name"', "return value")),
    # A field written from a request in one file, read by a sink in another.
    ("field-cleared", "views.py", lambda t: t.replace('request.args["cmd"]', '"true"')),
    (
        "field-tainted",
        "views.py",
        lambda t: t.replace('remember("true")', 'remember(request.args.get("cmd"))'),
    ),
    # A class's bases changed: method lookups anywhere may change, so the project is solved.
    ("bases", "service.py", lambda t: t.replace("class Store:", "class Store(object):")),
]
FULL = {"bases"}


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
    for name, file, edit in EDITS:
        path = project / "app" / file
        path.write_text(edit(path.read_text()))
        solves.clear()
        cached = everything(project, cache_dir=cache)
        fresh = everything(project, cache=False)
        assert cached == fresh, name
        assert solves == (["fallback", "full"] if name in FULL else ["incremental"]), name
        seen.update(fresh)
    # The edits did change the findings (the sequence is not a no-op).
    assert len(seen) > len(first)
