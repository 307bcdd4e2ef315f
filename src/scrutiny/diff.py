"""A change as line numbers: a git range, the index, or a unified diff -> changed lines per file.

Both sources go through one parser (`unidiff`): `git diff --no-color -M -U0` output and a patch
file downloaded from Gerrit or a pull request read the same way. Line numbers are the new file's.
Added and edited lines are the change; a pure deletion also *touches* the lines around it, so the
function it was deleted from counts as touched (a removed check is a change too).
"""

from __future__ import annotations

import base64
import binascii
import os
import subprocess
from dataclasses import dataclass

from unidiff.errors import UnidiffParseError
from unidiff.patch import PatchSet

# The id of git's empty tree: the base of a first commit, which has no parent to compare with.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_GIT_TIMEOUT = 120  # seconds; `git diff` on a huge range is slow but never this slow


class ChangeError(ValueError):
    """A change scrutiny cannot read (bad revision, not a repository, not a diff): exit 2."""


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str  # relative to Change.root, '/'-separated; for a deleted file, the path it had
    status: str  # added | modified | renamed | deleted
    added: frozenset[int] = frozenset()  # new-file lines added or edited
    touched: frozenset[int] = frozenset()  # `added` plus the lines around each deletion
    old_path: str | None = None  # before a rename

    @property
    def python(self) -> bool:
        return self.status != "deleted" and self.path.endswith(".py")


@dataclass(frozen=True, slots=True)
class Change:
    root: str  # absolute directory the paths are relative to (the repository's top level)
    files: tuple[FileChange, ...]
    description: str  # what was compared, in words: `changes since main (merge-base 1a2b3c4d)`
    base: str | None = None  # the base revision, a full commit id, when git gave one
    head: str | None = None  # the commit the working tree is at, when known
    repository: str | None = None  # `origin`'s URL when it is one (SARIF provenance)
    notes: tuple[str, ...] = ()  # binary diffs skipped, and the like

    @property
    def python_files(self) -> list[FileChange]:
        return [f for f in self.files if f.python]


def parse(text: str, root: str, description: str, **about: str | None) -> Change:
    """Changed lines per file from unified-diff text (git's or a patch file's)."""
    try:
        patch = PatchSet(text)
    except UnidiffParseError as exc:
        raise ChangeError(f"{description}: not a readable unified diff: {exc}") from None
    files: list[FileChange] = []
    notes: list[str] = []
    for patched in patch:
        path = _strip(patched.path)
        if patched.is_binary_file:
            notes.append(f"{path}: binary diff skipped")
            continue
        if patched.is_removed_file:
            files.append(FileChange(_strip(patched.source_file), "deleted"))
            continue
        added: set[int] = set()
        touched: set[int] = set()
        for hunk in patched:
            added.update(line.target_line_no for line in hunk if line.is_added and line.target_line_no)
            if hunk.removed and not hunk.added:  # with -U0: deleted after new line target_start
                touched.update((hunk.target_start, hunk.target_start + 1))
        status = "added" if patched.is_added_file else "renamed" if patched.is_rename else "modified"
        old = _strip(patched.source_file) if patched.is_rename else None
        files.append(FileChange(path, status, frozenset(added), frozenset(added | touched), old))
    return Change(os.path.abspath(root), tuple(files), description, notes=tuple(notes), **about)


def _strip(name: str) -> str:
    """`a/pkg/x.py` -> `pkg/x.py`: git's and Gerrit's prefixes are not part of the path."""
    return name[2:] if name.startswith(("a/", "b/")) else name


# -- git ------------------------------------------------------------------------------------


def git(root: str, *args: str) -> str:
    # A fixed program name and argument list, no shell: the revision is one argv item, and
    # `--end-of-options` where it could be taken for an option.
    try:
        done = subprocess.run(  # noqa: S603 -- argv list, no shell
            ["git", "-C", root, "-c", "core.quotepath=off", *args],  # noqa: S607 -- git from PATH
            capture_output=True, text=True, encoding="utf-8", errors="replace",
            timeout=_GIT_TIMEOUT, check=False,
        )  # fmt: skip
    except FileNotFoundError:
        raise ChangeError("`git` is not installed or not on PATH") from None
    if done.returncode != 0:
        raise ChangeError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def toplevel(start: str) -> str | None:
    """The repository that contains `start`, or None outside one."""
    directory = start if os.path.isdir(start) else os.path.dirname(os.path.abspath(start))
    try:
        return git(directory or ".", "rev-parse", "--show-toplevel").strip()
    except ChangeError:
        return None


def _revision(root: str, name: str) -> str:
    return git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}").strip()


def _head(root: str) -> str | None:
    try:
        return _revision(root, "HEAD")
    except ChangeError:
        return None  # a repository with no commit yet


def _remote(root: str) -> str | None:
    try:
        url = git(root, "remote", "get-url", "origin").strip()
    except ChangeError:
        return None
    return url if "://" in url else None


def _diff(root: str, *args: str) -> str:
    # Prefixes are fixed so a user's `diff.noprefix` or `diff.mnemonicPrefix` cannot move paths.
    return git(root, "diff", "--no-color", "--no-ext-diff", "-M", "-U0",
               "--src-prefix=a/", "--dst-prefix=b/", *args)  # fmt: skip


def from_git(start: str, spec: str | None = None, staged: bool = False) -> Change:
    """`--staged`; `--diff BASE` (merge-base with the working tree); `A..B` or `A...B`.

    The files read are the working tree's, so a range must end at the commit checked out.
    """
    root = toplevel(start)
    if root is None:
        raise ChangeError(f"{os.path.abspath(start)} is not inside a git repository")
    head = _head(root)
    about: dict[str, str | None] = {"head": head, "repository": _remote(root)}
    if staged:
        base = head or EMPTY_TREE
        text = _diff(root, "--cached", base)
        return parse(text, root, "staged changes", base=head, **about)
    if spec is None:
        raise ChangeError("no change given: use --diff BASE, --staged or --patch FILE")
    if ".." in spec:
        base, right, description = _range(root, spec, head)
        return parse(_diff(root, base, right), root, description, base=base, **about)
    if head is None:
        raise ChangeError("the repository has no commit yet: use --staged")
    base = git(root, "merge-base", "--end-of-options", _revision(root, spec), head).strip()
    text = _diff(root, base)
    change = parse(text, root, f"changes since {spec} (merge-base {base[:12]})", base=base, **about)
    return _with_untracked(change)


def _range(root: str, spec: str, head: str | None) -> tuple[str, str, str]:
    three = "..." in spec
    left, right = spec.split("..." if three else "..", 1)
    left_id = _revision(root, left or "HEAD")
    right_id = _revision(root, right or "HEAD")
    if right_id != head:
        raise ChangeError(f"{spec}: the range must end at the checked-out commit; check out {right} first")
    base = git(root, "merge-base", left_id, right_id).strip() if three else left_id
    return base, right_id, spec


def _with_untracked(change: Change) -> Change:
    """New files not yet added to git are part of a working-tree change, every line of them."""
    listed = git(change.root, "ls-files", "--others", "--exclude-standard", "-z")
    new = [_added(change.root, name) for name in listed.split("\0") if name]
    if not new:
        return change
    files = tuple(sorted((*change.files, *new), key=lambda f: f.path))
    return Change(change.root, files, change.description, change.base, change.head,
                  change.repository, change.notes)  # fmt: skip


def _added(root: str, name: str) -> FileChange:
    lines: frozenset[int] = frozenset()
    if name.endswith(".py"):
        try:
            with open(os.path.join(root, name), "rb") as handle:
                lines = frozenset(range(1, handle.read().count(b"\n") + 2))
        except OSError:
            pass
    return FileChange(name, "added", lines, lines)


# -- patch files ----------------------------------------------------------------------------


def from_patch(patch_file: str, start: str) -> Change:
    """A unified diff whose new side is what the checkout holds (the patch is applied).

    Gerrit's "download patch" gives the diff base64-encoded; both forms are read.
    """
    try:
        with open(patch_file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ChangeError(f"{patch_file}: {exc.strerror or exc}") from None
    text = _decode(data)
    root = toplevel(start) or os.path.abspath(start if os.path.isdir(start) else ".")
    change = parse(text, root, f"patch {os.path.basename(patch_file)}", **_patch_about(root))
    if not change.files and not change.notes:
        raise ChangeError(f"{patch_file}: contains no unified diff")
    _check_applied(change, PatchSet(text))
    return change


def _patch_about(root: str) -> dict[str, str | None]:
    head = _head(root) if toplevel(root) else None
    return {"head": head, "repository": _remote(root) if head else None}


def _decode(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    if "\n@@ " in text or text.startswith(("diff ", "--- ")):
        return text
    try:
        decoded = base64.b64decode(b"".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return text
    return decoded.decode("utf-8", errors="replace")


def _check_applied(change: Change, patch: PatchSet) -> None:
    """Every added Python line must read the same in the checkout, or anchors would be wrong."""
    for patched in patch:
        path = _strip(patched.path)
        if not path.endswith(".py") or patched.is_removed_file or patched.is_binary_file:
            continue
        try:
            with open(os.path.join(change.root, path), encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            raise ChangeError(
                f"{path} is in the patch but not in {change.root}: apply the patch first"
            ) from None
        for hunk in patched:
            for line in hunk:
                number = line.target_line_no
                if not line.is_added or number is None:
                    continue
                if number > len(lines) or lines[number - 1] != line.value.rstrip("\r\n"):
                    raise ChangeError(
                        f"{path}:{number} does not match the patch: apply it to the checkout first "
                        "(`git apply FILE`)"
                    )
