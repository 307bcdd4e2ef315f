"""Getting a repository's files: a local directory as it is, or a git checkout in the work
directory, fetched again on every run so a resumed or repeated fleet sees the ref's latest commit.

One shallow fetch of exactly the ref asked for (branch, tag or commit) into a directory that is
initialised once: a first run and a later one take the same path, and nothing but the ref is
downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from scrutiny.fleet.manifest import Repository, redact

GIT_TIMEOUT = 900  # seconds for one git command: a large first fetch on a slow link
# A fleet runs unattended: git must fail rather than wait for a password or a host-key answer.
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_SSH_COMMAND": "ssh -o BatchMode=yes", "LC_ALL": "C"}


class CheckoutError(RuntimeError):
    """The repository's files cannot be had: a missing directory, a fetch that failed."""


def prepare(repo: Repository, work_dir: str) -> tuple[str, str | None]:
    """The directory to review and, for a git repository, the commit checked out."""
    if repo.url is None:
        path = str(repo.path)
        if not os.path.isdir(path):
            raise CheckoutError(f"`{path}` is not a directory")
        return path, head_commit(path)
    dest = os.path.join(work_dir, "checkouts", repo.name)
    if not os.path.isdir(os.path.join(dest, ".git")):
        shutil.rmtree(dest, ignore_errors=True)  # a half-made directory from an interrupted run
        os.makedirs(dest, exist_ok=True)
        _git(["init", "--quiet", dest], "git init")
    ref = repo.ref or "HEAD"
    fetch = ["-C", dest, "fetch", "--quiet", "--depth", "1", "--no-tags", "--", repo.url, ref]
    _git(fetch, f"git fetch {repo.url} {ref}")
    _git(["-C", dest, "checkout", "--quiet", "--force", "--detach", "FETCH_HEAD"], f"git checkout {ref}")
    _git(["-C", dest, "clean", "--quiet", "-ffdx"], "git clean")  # files an earlier checkout left behind
    commit = head_commit(dest)
    if commit is None:  # pragma: no cover - git checked out something it cannot name
        raise CheckoutError(f"no commit checked out in `{dest}`")
    return dest, commit


def head_commit(path: str) -> str | None:
    """The commit checked out when `path` is the top of a git work tree, else None."""
    if not os.path.exists(os.path.join(path, ".git")):
        return None
    try:
        return _git(["-C", path, "rev-parse", "--verify", "--quiet", "HEAD"], "git rev-parse").strip() or None
    except CheckoutError:
        return None  # a repository with no commit yet: reviewed as plain files


def _git(args: list[str], what: str) -> str:
    """Run git; `what` names the command in an error message (the URL's credentials hidden)."""
    git = shutil.which("git")
    if git is None:
        raise CheckoutError("`git` is not installed on this machine")
    try:
        done = subprocess.run(  # noqa: S603 - a fixed git executable, arguments as a list
            [git, *args],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=GIT_TIMEOUT,
            env={**os.environ, **_GIT_ENV},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CheckoutError(f"`{redact(what)}` failed: {exc}") from exc
    if done.returncode != 0:
        detail = redact(" ".join(done.stderr.split()))[-400:] or f"exit status {done.returncode}"
        raise CheckoutError(f"`{redact(what)}` failed: {detail}")
    return done.stdout
