"""`scrutiny fleet`: many repositories from a manifest, on the local executor and on a real Dask
cluster, each with its own settings; failures reported without stopping the others; resume.

Three repositories are built per test module: `alpha`, a git repository fetched from a `file://`
URL; `beta`, a directory whose pyproject.toml ignores SCR301; `broken`, a URL with nothing
behind it. Expected findings name their lines.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scrutiny.cli import main
from scrutiny.fleet import checkout, executors, worker
from scrutiny.fleet.manifest import ManifestError, load_manifest

APP = """\
import hashlib
import yaml


def load(data):
    return yaml.load(data)


def digest(x):
    return hashlib.md5(x).hexdigest()
"""
WEB = """\
from flask import request


def download():
    name = request.args["name"]
    return open("/srv/" + name).read()
"""
CLEAN = "print('hello')\n"
ALPHA = {("app.py", 6, "SCR402"), ("app.py", 10, "SCR301"), ("pkg/web.py", 6, "SCR905")}
BETA = {("app.py", 6, "SCR402")}  # SCR301 is ignored by beta's own pyproject.toml
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}  # fmt: skip


@dataclass(frozen=True)
class Fleet:
    root: Path
    alpha: Path  # the git repository behind the file:// URL
    beta: Path
    manifest: Path


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_fleet(root: Path) -> Fleet:
    alpha, beta = root / "src" / "alpha", root / "src" / "beta"
    write(alpha / "app.py", APP)
    write(alpha / "pkg" / "web.py", WEB)
    git(alpha, "init", "--quiet", "--initial-branch=main")
    git(alpha, "add", "-A")
    git(alpha, "commit", "--quiet", "-m", "first")
    write(beta / "app.py", APP)
    write(beta / "pyproject.toml", '[tool.scrutiny]\nignore = ["SCR301"]\n')
    manifest = root / "fleet.toml"
    write(
        manifest,
        f'[[repository]]\nname = "alpha"\nurl = "{alpha.as_uri()}"\nref = "main"\n\n'
        '[[repository]]\npath = "src/beta"\n\n'
        f'[[repository]]\nname = "broken"\nurl = "{(root / "missing.git").as_uri()}"\n',
    )
    return Fleet(root, alpha, beta, manifest)


def fleet(manifest: Path, out: Path, *args: str) -> Result:
    argv = ["fleet", str(manifest), "--output-dir", str(out), "--work-dir", str(out.parent / "work"), *args]
    return CliRunner().invoke(main, argv, catch_exceptions=False)


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def findings(out: Path, name: str) -> set[tuple[str, int, str]]:
    return {(f["path"], f["line"], f["rule"]) for f in load(out / f"{name}.json")["findings"]}


def rows(out: Path) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in load(out / "summary.json")["repositories"]}


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Fleet, Path, Result]:
    """One local fleet run shared by the tests that only read its results."""
    made = make_fleet(tmp_path_factory.mktemp("fleet"))
    out = made.root / "local" / "out"
    return made, out, fleet(made.manifest, out, "--jobs", "2")


def test_local_fleet_reviews_each_repository_with_its_own_settings(
    local_run: tuple[Fleet, Path, Result],
) -> None:
    made, out, result = local_run
    assert result.exit_code == 2, result.output  # a repository failed
    assert findings(out, "alpha") == ALPHA
    assert findings(out, "beta") == BETA
    summary = rows(out)
    assert list(summary) == ["alpha", "beta", "broken"]  # manifest order
    assert summary["alpha"]["commit"] == git(made.alpha, "rev-parse", "HEAD")
    assert summary["alpha"]["rules"] == {"SCR301": 1, "SCR402": 1, "SCR905": 1}
    assert summary["alpha"]["severities"] == {"high": 2, "medium": 1}
    assert summary["beta"]["source"] == str(made.beta)
    assert summary["broken"]["status"] == "failed"
    assert "git fetch" in summary["broken"]["error"] and "missing.git" in summary["broken"]["error"]
    assert not (out / "broken.json").exists() and not (out / "broken.state").exists()
    # The table on stdout: one line per repository, and the failure with its reason.
    lines = result.stdout.splitlines()
    assert lines[1].split()[:8] == ["alpha", "reviewed", "2", "0", "0", "2", "1", "0"]
    assert lines[2].split()[:3] == ["beta", "reviewed", "1"]
    assert lines[3].split()[:2] == ["broken", "failed"]
    assert "3 repositories: 2 reviewed, 1 failed; 4 findings." in lines
    assert any(line.startswith("broken: `git fetch") for line in lines)


def test_reports_are_relative_to_the_repository_and_valid_sarif(
    local_run: tuple[Fleet, Path, Result],
) -> None:
    import jsonschema

    made, out, _result = local_run
    for name in ("alpha.json", "alpha.sarif", "beta.json", "beta.sarif"):  # nowhere a checkout's path
        assert str(made.root) not in (out / name).read_text(encoding="utf-8"), name
    report = load(out / "alpha.json")
    web = next(f for f in report["findings"] if f["rule"] == "SCR905")
    assert [(s["path"], s["line"]) for s in web["evidence"]] == [
        ("pkg/web.py", 5),  # `request.args["name"]` is remote input
        ("pkg/web.py", 5),  # assigned to `name`
        ("pkg/web.py", 6),  # concatenated
        ("pkg/web.py", 6),  # reaches `builtins.open`
    ]
    sarif = load(out / "alpha.sarif")
    schema = load(Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json")
    jsonschema.validate(sarif, schema)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    }
    assert uris == {"app.py", "pkg/web.py"}


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask[distributed] not installed")
def test_dask_executor_gives_the_local_results(local_run: tuple[Fleet, Path, Result]) -> None:
    from distributed import LocalCluster

    made, local_out, local_result = local_run
    out = made.root / "dask" / "out"
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        result = fleet(made.manifest, out, "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == local_result.exit_code == 2
    for name in ("alpha", "beta"):  # the same reports, byte for byte: paths are the repository's
        assert load(out / f"{name}.json") == load(local_out / f"{name}.json")
        assert (out / f"{name}.json").read_text() == (local_out / f"{name}.json").read_text()
        assert (out / f"{name}.sarif").read_text() == (local_out / f"{name}.sarif").read_text()
    assert load(out / "summary.json") == load(local_out / "summary.json")
    assert result.stdout == local_result.stdout


def test_resume_skips_complete_repositories_and_redoes_the_rest(tmp_path: Path) -> None:
    made = make_fleet(tmp_path)
    out = tmp_path / "out"
    assert fleet(made.manifest, out, "--jobs", "1").exit_code == 2
    alpha_json = (out / "alpha.json").stat().st_mtime_ns
    # Interrupted while beta's reports were being written: its state no longer matches them.
    write(out / "beta.sarif", '{"truncated')
    result = fleet(made.manifest, out, "--jobs", "1")
    summary = rows(out)
    assert [summary[n]["status"] for n in ("alpha", "beta", "broken")] == ["unchanged", "reviewed", "failed"]
    assert (out / "alpha.json").stat().st_mtime_ns == alpha_json
    assert load(out / "beta.sarif")["version"] == "2.1.0"
    assert summary["alpha"]["rules"] == {"SCR301": 1, "SCR402": 1, "SCR905": 1}  # kept from the first run
    assert "alpha: unchanged" in result.stderr
    assert (
        "3 repositories: 2 reviewed (1 unchanged since an earlier run), 1 failed; 4 findings."
        in result.stdout
    )
    # A new commit behind the URL and an edited directory are reviewed again, without --restart.
    write(made.alpha / "app.py", CLEAN)
    git(made.alpha, "commit", "--quiet", "-am", "fix")
    write(made.beta / "app.py", CLEAN)
    assert fleet(made.manifest, out, "--jobs", "1").exit_code == 2
    summary = rows(out)
    assert summary["alpha"]["status"] == summary["beta"]["status"] == "reviewed"
    assert summary["alpha"]["commit"] == git(made.alpha, "rev-parse", "HEAD")
    assert findings(out, "alpha") == {("pkg/web.py", 6, "SCR905")}
    assert findings(out, "beta") == set()
    # --restart reviews everything again.
    fleet(made.manifest, out, "--jobs", "1", "--restart")
    assert {row["status"] for row in rows(out).values()} == {"reviewed", "failed"}


def test_text_manifest_with_comments_paths_and_urls(tmp_path: Path) -> None:
    made = make_fleet(tmp_path)
    write(tmp_path / "src" / "clean" / "ok.py", CLEAN)
    manifest = tmp_path / "repos.txt"
    write(
        manifest,
        f"# the team's repositories\n\n{made.alpha.as_uri()}   # fetched\nsrc/beta\nsrc/clean\n"
        f"{tmp_path / 'src' / 'gone'}\n",
    )
    out = tmp_path / "out"
    result = fleet(manifest, out, "--jobs", "2", "--isolated")
    summary = rows(out)
    assert list(summary) == ["alpha", "beta", "clean", "gone"]
    assert findings(out, "beta") == {("app.py", 6, "SCR402"), ("app.py", 10, "SCR301")}  # --isolated
    assert summary["clean"]["exit_code"] == 0 and summary["beta"]["exit_code"] == 1
    assert summary["gone"]["error"] == f"`{tmp_path / 'src' / 'gone'}` is not a directory"
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("paths", "expected"),
    [(["clean"], 0), (["clean", "dirty"], 1), (["dirty", "empty"], 2)],  # empty: nothing to review
)
def test_exit_code_is_the_worst_repository(tmp_path: Path, paths: list[str], expected: int) -> None:
    write(tmp_path / "clean" / "ok.py", CLEAN)
    write(tmp_path / "dirty" / "app.py", APP)
    (tmp_path / "empty").mkdir()
    write(tmp_path / "m.txt", "\n".join(paths) + "\n")
    result = fleet(tmp_path / "m.txt", tmp_path / "out", "--jobs", "1", "-q")
    assert result.exit_code == expected
    assert load(tmp_path / "out" / "summary.json")["exit_code"] == expected
    assert result.stderr == ""  # --quiet


def test_an_internal_error_fails_one_repository_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a" / "app.py", APP)
    write(tmp_path / "b" / "app.py", APP)
    write(tmp_path / "m.txt", "a\nb\n")
    import scrutiny

    real = scrutiny.review_paths

    def review_paths(paths: list[str], *args: Any, **kwargs: Any) -> Any:
        if paths[0].endswith("a"):
            raise RuntimeError("boom")
        return real(paths, *args, **kwargs)

    monkeypatch.setattr("scrutiny.fleet.worker.review_paths", review_paths)
    result = fleet(tmp_path / "m.txt", tmp_path / "out", "--jobs", "1")
    summary = rows(tmp_path / "out")
    assert summary["a"]["error"] == "internal error: RuntimeError: boom"
    assert findings(tmp_path / "out", "b") == {("app.py", 6, "SCR402"), ("app.py", 10, "SCR301")}
    assert result.exit_code == 2


def die(task: worker.Task) -> worker.Outcome:
    os._exit(3)  # a worker killed by the kernel (out of memory) ends the same way


def test_a_dead_worker_process_fails_its_repositories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "m.txt", "a\nb\n")
    tasks = [worker.Task(repo, str(tmp_path / "work")) for repo in load_manifest(str(tmp_path / "m.txt"))]
    monkeypatch.setattr(executors, "review_repository", die)
    outcomes = list(executors.run_local(tasks, jobs=2))
    assert sorted(o.row.name for o in outcomes) == ["a", "b"]
    for outcome in outcomes:
        assert outcome.row.status == "failed"
        assert outcome.row.error is not None and outcome.row.error.startswith(
            "worker error: BrokenProcessPool"
        )


def test_credentials_in_a_url_never_reach_the_summary(tmp_path: Path) -> None:
    write(tmp_path / "m.toml", '[[repository]]\nname = "x"\nurl = "http://user:s3cret@127.0.0.1:9/x.git"\n')
    result = fleet(tmp_path / "m.toml", tmp_path / "out", "--jobs", "1")
    error = rows(tmp_path / "out")["x"]["error"]
    assert error.startswith("`git fetch http://***@127.0.0.1:9/x.git HEAD` failed:")
    assert "s3cret" not in (tmp_path / "out" / "summary.json").read_text() and "s3cret" not in result.output


def test_missing_dask_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a" / "ok.py", CLEAN)
    write(tmp_path / "m.txt", "a\n")
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    result = fleet(
        tmp_path / "m.txt", tmp_path / "out", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"
    )
    assert result.exit_code == 2
    assert "pip install 'scrutiny[dask]'" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--executor", "dask"], "--executor dask needs --scheduler"),
        (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler goes with --executor dask"),
    ],
)
def test_executor_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    write(tmp_path / "m.txt", "a\n")
    result = fleet(tmp_path / "m.txt", tmp_path / "out", *args)
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[repository]]\npath = "a"\nurl = "file:///a"\n', "give exactly one of `path` and `url`"),
        (
            '[[repository]]\nname = "a"\npath = "a"\n[[repository]]\nname = "a"\npath = "b"\n',
            "two repositories are named `a`",
        ),
        ('[[repository]]\npath = "a"\nref = "main"\n', "`ref` must be a string and goes with `url`"),
        ('[[repository]]\npath = "a"\nbranch = "main"\n', "unknown key `branch`"),
        ('[[repository]]\nname = "summary"\npath = "a"\n', "not `summary`"),
        ('[[repository]]\nname = "../x"\npath = "a"\n', "`name` must be letters"),
        ("repository = 1\n", "must be an array of tables"),
        ("[[repository]\n", "fleet.toml"),
        ("", "lists no repository"),
    ],
)
def test_bad_toml_manifests_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "fleet.toml", text)
    with pytest.raises(ManifestError, match=re.escape(message)):
        load_manifest(str(tmp_path / "fleet.toml"))
    result = fleet(tmp_path / "fleet.toml", tmp_path / "out")
    assert result.exit_code == 2 and message in result.stderr


def test_derived_names_are_unique_and_safe(tmp_path: Path) -> None:
    write(
        tmp_path / "m.txt",
        "https://example.invalid/org1/utils.git\ngit@example.invalid:org2/utils.git\nsummary\n"
        "https://example.invalid/x#frag\n",
    )
    repos = load_manifest(str(tmp_path / "m.txt"))
    assert [r.name for r in repos] == ["utils", "utils-2", "summary-2", "x-frag"]
    assert [r.url is not None for r in repos] == [True, True, False, True]
    assert repos[2].path == str(tmp_path / "summary")


def test_a_checkout_survives_a_half_made_work_directory(tmp_path: Path) -> None:
    made = make_fleet(tmp_path)
    repo = load_manifest(str(made.manifest))[0]
    (tmp_path / "work" / "checkouts" / "alpha").mkdir(parents=True)  # stopped before `git init`
    path, commit = checkout.prepare(repo, str(tmp_path / "work"))
    assert commit == git(made.alpha, "rev-parse", "HEAD")
    assert sorted(os.listdir(path)) == [".git", "app.py", "pkg"]


def test_a_repository_with_bad_settings_fails_alone(tmp_path: Path) -> None:
    write(tmp_path / "a" / "app.py", APP)
    write(tmp_path / "a" / "pyproject.toml", '[tool.scrutiny]\nselect = ["SCR9999"]\n')
    write(tmp_path / "b" / "app.py", APP)
    write(tmp_path / "m.txt", "a\nb\n")
    fleet(tmp_path / "m.txt", tmp_path / "out", "--jobs", "1")
    summary = rows(tmp_path / "out")
    assert summary["a"]["status"] == "failed"
    reason = "`SCR9999` matches no rule code, prefix or name (see `scrutiny rules`)"
    assert summary["a"]["error"] == f"{tmp_path / 'a' / 'pyproject.toml'}: {reason}"
    assert summary["b"]["status"] == "reviewed"


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask[distributed] not installed")
def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on once the socket is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    write(tmp_path / "m.txt", "a\n")
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1)
    result = fleet(
        tmp_path / "m.txt", tmp_path / "out", "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"
    )
    assert result.exit_code == 2
    assert f"cannot reach the Dask scheduler at `tcp://127.0.0.1:{port}`" in result.stderr


def test_every_fleet_command_in_the_docs_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    from scrutiny.fleet.cli import fleet_command

    doc = (Path(__file__).parent.parent / "docs" / "fleet.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", doc, flags=re.S)
    commands = [m.group(0) for b in blocks for m in re.finditer(r"\bscrutiny fleet [^#\n]*", b)]
    assert len(commands) >= 5
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "fleet.toml", "")
    write(tmp_path / "repos.txt", "")
    for command in commands:
        with fleet_command.make_context("fleet", shlex.split(command)[2:]) as ctx:
            assert ctx.params["manifest"] in ("fleet.toml", "repos.txt"), command
