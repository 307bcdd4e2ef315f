"""Which files a run reviews: the paths given, minus excludes and what .gitignore ignores.

Files named explicitly are always reviewed (whatever their extension); inside directories only
`*.py`, `*.pyw` and oslo.rootwrap filter files (`*.filters` with a `[Filters]` section) are, and
directories are not followed through symbolic links, so a link loop cannot make the walk run
forever.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pathspec

from scrutiny.rootwrap.ini import looks_like_filters

ALWAYS_SKIPPED = frozenset(
    {".git", ".hg", ".svn", ".bzr", "CVS", "__pycache__", ".tox", ".nox", ".eggs",
     ".mypy_cache", ".ruff_cache", ".pytest_cache", ".scrutiny_cache", "node_modules",
     ".venv", "venv", "site-packages"}
)  # fmt: skip
PYTHON_SUFFIXES = (".py", ".pyw")
FILTER_SUFFIX = ".filters"  # oslo.rootwrap filter files, when they have a [Filters] section
_FILTER_SNIFF_BYTES = 1 << 16
_TEST_DIRS = frozenset({"test", "tests", "testing", "unittests"})


def is_test_path(path: str) -> bool:
    """Test code by its location or name: `tests/`, `test_*.py`, `*_test.py`, `conftest.py`."""
    parts = Path(path).parts
    name = parts[-1] if parts else ""
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    return any(part in _TEST_DIRS for part in parts[:-1])


class _Ignores:
    """The .gitignore files met on the way down, each applying below its own directory."""

    def __init__(self) -> None:
        self._specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []

    def enter(self, directory: str) -> int:
        mark = len(self._specs)
        gitignore = os.path.join(directory, ".gitignore")
        if os.path.isfile(gitignore):
            try:
                with open(gitignore, encoding="utf-8", errors="replace") as handle:
                    spec = pathspec.GitIgnoreSpec.from_lines(handle)
            except OSError:
                return mark
            self._specs.append((directory, spec))
        return mark

    def leave(self, mark: int) -> None:
        del self._specs[mark:]

    def ignored(self, path: str, is_dir: bool) -> bool:
        """As git decides: the deepest .gitignore with a matching pattern (ignore or `!`) wins."""
        for base, spec in reversed(self._specs):
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            result = spec.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                return bool(result.include)
        return False


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    norm = path.replace(os.sep, "/")
    name = os.path.basename(norm)
    for pattern in patterns:
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(norm, pattern):
            return True
        if fnmatch.fnmatch(norm, f"*/{pattern}") or fnmatch.fnmatch(norm, f"{pattern}/*"):
            return True
    return False


def discover(paths: Sequence[str], exclude: Sequence[str] = (), gitignore: bool = True) -> Iterator[str]:
    """Yield the files to review, in a stable order, each once."""
    seen: set[str] = set()
    for given in paths:
        # A directory named explicitly is walked even through a link; an explicit file is
        # reviewed even if unreadable, so the report can say why.
        if os.path.isdir(given):
            files = _walk(given, exclude, gitignore)
            real_root = os.path.realpath(given)
        else:
            files, real_root = iter([(given, True)]), ""
        for path, linked in files:
            # The walk never enters a linked directory, so only a linked file (or one named
            # explicitly) needs resolving; the rest hang off the resolved root as walked.
            if linked:
                key = os.path.realpath(path)
            else:
                key = os.path.join(real_root, path[len(given) :].lstrip(os.sep))
            if key not in seen:
                seen.add(key)
                yield path


def _walk(root: str, exclude: Sequence[str], gitignore: bool) -> Iterator[tuple[str, bool]]:
    ignores = _Ignores()
    if gitignore:
        _enter_parents(ignores, root)
        if ignores.ignored(os.path.abspath(root), is_dir=True):
            # The user named an ignored directory: review it, applying only its own ignores.
            ignores = _Ignores()
    yield from _walk_dir(root, exclude, ignores if gitignore else None)


def _enter_parents(ignores: _Ignores, root: str) -> None:
    """Apply the .gitignore files of the repository above `root`, up to its top."""
    here = Path(os.path.abspath(root))
    if (here / ".git").exists():
        return  # a repository's own top: the .gitignore files above it belong to another
    chain: list[Path] = []
    for directory in here.parents:
        chain.append(directory)
        if (directory / ".git").exists():
            break
    else:
        chain = []
    for directory in reversed(chain):
        ignores.enter(str(directory))


def _is_rootwrap_filters(path: str) -> bool:
    """`*.filters` with a `[Filters]` section: oslo.rootwrap's, reviewed by `scrutiny.rootwrap`."""
    if not path.endswith(FILTER_SUFFIX):
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return looks_like_filters(handle.read(_FILTER_SNIFF_BYTES))
    except OSError:
        return False


def _walk_dir(directory: str, exclude: Sequence[str], ignores: _Ignores | None) -> Iterator[tuple[str, bool]]:
    """(path, is a symbolic link) of the files to review under `directory`."""
    mark = ignores.enter(directory) if ignores is not None else 0
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        entries = []
    for entry in entries:
        path = os.path.join(directory, entry.name)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if _excluded(path, exclude) or (ignores is not None and ignores.ignored(path, is_dir)):
            continue
        if is_dir:
            if entry.name not in ALWAYS_SKIPPED:
                yield from _walk_dir(path, exclude, ignores)
        elif entry.name.endswith(PYTHON_SUFFIXES) or _is_rootwrap_filters(path):
            yield path, entry.is_symlink()
    if ignores is not None:
        ignores.leave(mark)
