"""A fleet manifest: which repositories to review.

TOML (`*.toml`): one `[[repository]]` table each, with `name` (optional) and either `path` (a
local directory) or `url` (a git repository) with an optional `ref` (branch, tag or commit).
Text (any other file): one path or URL per line; `#` starts a comment. Relative paths are read
against the manifest's own directory, so a manifest can live beside the repositories it lists.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Names become file names in the output directory, so they are kept to a safe alphabet.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SCP_LIKE = re.compile(r"[\w.-]+@[\w.-]+:")  # git@host:org/repo.git
_USERINFO = re.compile(r"://[^/@\s]*@")
_KEYS = frozenset({"name", "path", "url", "ref"})
_RESERVED = frozenset({"summary"})  # `summary.json` is the fleet's own file in the output directory


class ManifestError(ValueError):
    """A manifest scrutiny cannot read; the CLI reports it and exits 2."""


@dataclass(frozen=True, slots=True)
class Repository:
    name: str
    path: str | None = None  # absolute: a local directory reviewed in place
    url: str | None = None  # a git repository fetched into the work directory
    ref: str | None = None  # with url: a branch, tag or commit; None is the remote's HEAD

    @property
    def source(self) -> str:
        """The path or URL for reports and the summary, credentials in the URL hidden."""
        return redact(self.url) if self.url is not None else str(self.path)


def redact(text: str) -> str:
    """`https://user:token@host/...` -> `https://***@host/...`: summaries are shared, tokens not."""
    return _USERINFO.sub("://***@", text)


def is_url(text: str) -> bool:
    return "://" in text or bool(_SCP_LIKE.match(text))


def load_manifest(path: str) -> list[Repository]:
    """The manifest's repositories, in its order, each with a unique name."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the manifest: {exc}") from exc
    base = os.path.dirname(os.path.abspath(path))
    repos = _from_toml(text, path, base) if path.endswith(".toml") else _from_text(text, base)
    if not repos:
        raise ManifestError(f"{path}: the manifest lists no repository")
    return repos


def _from_text(text: str, base: str) -> list[Repository]:
    entries = []
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*", "", raw).strip()  # `#` inside a URL fragment is kept
        if line:
            entries.append(line)
    names = _derived_names(entries, set(_RESERVED))
    return [_entry(name, entry, None, base) for name, entry in zip(names, entries, strict=True)]


def _from_toml(text: str, path: str, base: str) -> list[Repository]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: {exc}") from exc
    tables = data.get("repository", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ManifestError(f"{path}: `repository` must be an array of tables ([[repository]])")
    explicit = {t["name"] for t in tables if isinstance(t.get("name"), str)}
    unnamed = [_location(t, path, i) for i, t in enumerate(tables, 1) if "name" not in t]
    derived = iter(_derived_names(unnamed, explicit | _RESERVED))
    repos = []
    for index, table in enumerate(tables, 1):
        where = f"{path}: repository {index}"
        location = _location(table, path, index)
        name = table["name"] if "name" in table else next(derived)
        if not isinstance(name, str) or not _NAME.fullmatch(name) or name in _RESERVED:
            raise ManifestError(f"{where}: `name` must be letters, digits, `.`, `_` or `-`, not `summary`")
        ref = table.get("ref")
        if ref is not None and (not isinstance(ref, str) or "url" not in table):
            raise ManifestError(f"{where}: `ref` must be a string and goes with `url`")
        repos.append(_entry(name, location, ref, base, is_git="url" in table))
    seen: set[str] = set()
    for repo in repos:
        if repo.name in seen:
            raise ManifestError(f"{path}: two repositories are named `{repo.name}`")
        seen.add(repo.name)
    return repos


def _location(table: dict[str, Any], path: str, index: int) -> str:
    where = f"{path}: repository {index}"
    unknown = set(table) - _KEYS
    if unknown:
        raise ManifestError(f"{where}: unknown key `{sorted(unknown)[0]}` (known: name, path, url, ref)")
    given = [k for k in ("path", "url") if k in table]
    if len(given) != 1:
        raise ManifestError(f"{where}: give exactly one of `path` and `url`")
    value = table[given[0]]
    if not isinstance(value, str) or not value:
        raise ManifestError(f"{where}: `{given[0]}` must be a non-empty string")
    return value


def _entry(name: str, location: str, ref: str | None, base: str, is_git: bool | None = None) -> Repository:
    if is_git if is_git is not None else is_url(location):
        return Repository(name, url=location, ref=ref)
    return Repository(name, path=os.path.normpath(os.path.join(base, os.path.expanduser(location))))


def _derived_names(locations: list[str], taken: set[str]) -> list[str]:
    """`https://host/org/nova.git` -> `nova`; a second `nova` becomes `nova-2`."""
    names = []
    used = set(taken)
    for location in locations:
        stem = re.split(r"[/:]", location.rstrip("/"))[-1].removesuffix(".git")
        stem = re.sub(r"[^A-Za-z0-9._-]", "-", stem).lstrip("._-") or "repository"
        name, count = stem, 1
        while name in used:
            count += 1
            name = f"{stem}-{count}"
        used.add(name)
        names.append(name)
    return names
