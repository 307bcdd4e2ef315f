"""Knowledge about APIs, loaded from TOML model files.

A model file holds rows keyed on fully qualified names, in sections:

- ``[[sink]]``: a call that does harm when given the wrong data (which arguments matter by
  position and keyword, and the weakness ``kind`` it leads to);
- ``[[source]]``, ``[[sanitizer]]``, ``[[propagator]]``: the taint vocabulary (issue #3);
- ``[[api]]``: other facts rules need (a hash function is weak, a call makes an HTTP request).

``kinds.toml`` declares which kinds each section may use; an unknown kind, a missing field or a
duplicate row is a load error naming the file and the row, so a typo never silently disables
a rule.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

SECTIONS = ("sink", "source", "sanitizer", "propagator", "api")
_KNOWN_FIELDS = {"name", "kind", "args", "kwargs", "note"}


class ModelError(ValueError):
    """A model file that does not follow the schema; names the file and the row."""


_NO_KINDS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Entry:
    section: str
    name: str
    kind: str
    args: tuple[int, ...] = ()
    kwargs: tuple[str, ...] = ()
    # Kind-specific facts (e.g. ``shell = "kwarg"`` on command sinks), read by the rules.
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    origin: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        return self.extra.get(key, default)


@dataclass(slots=True)
class Models:
    entries: list[Entry]
    kinds: dict[str, frozenset[str]]
    _index: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    # (section, kind) and (section, None) -> rows, so rules that scan a kind never scan it all
    _by_kind: dict[tuple[str, str | None], list[Entry]] = field(default_factory=dict)
    _kinds_by_name: dict[str, frozenset[str]] = field(default_factory=dict)
    _derived: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._index.setdefault((entry.section, entry.name), []).append(entry)
            self._by_kind.setdefault((entry.section, entry.kind), []).append(entry)
            self._by_kind.setdefault((entry.section, None), []).append(entry)

    def kinds_of(self, name: str) -> frozenset[str]:
        """`section:kind` of every row named `name` (the walker's dispatch gate)."""
        table = self._kinds_by_name
        if not table:
            for entry in self.entries:
                key = f"{entry.section}:{entry.kind}"
                table[entry.name] = table.get(entry.name, frozenset()) | {key}
        return table.get(name, _NO_KINDS)

    def last_names(
        self, section: str, kind: str | None, where: tuple[str, str] | None = None
    ) -> frozenset[str]:
        """The last components of the names of `kind`'s rows (`exec_command`; every kind of
        the section for None; only rows whose field `where[0]` is `where[1]` when given),
        computed once: a call's method name is tested against them before anything is
        resolved."""
        key = ("last", section, kind or "", *(where or ()))
        if key not in self._derived:
            rows = [e for e in self.all(section, kind) if where is None or e.get(where[0]) == where[1]]
            self._derived[key] = frozenset(e.name.rpartition(".")[2] for e in rows)
        return self._derived[key]

    def callable_names(self, kinds: frozenset[str]) -> frozenset[str]:
        """For rows of the `section:kind`s given: their names' last components, plus the
        methods they list for the objects they build (`methods`, `method`); the walker's gates
        test a node's last name against these before resolving it. Computed once per set."""
        key = ("callable", *sorted(kinds))
        if key not in self._derived:
            chosen = [e for e in self.entries if f"{e.section}:{e.kind}" in kinds]
            self._derived[key] = frozenset(
                [e.name.rpartition(".")[2] for e in chosen]
                + [str(m) for e in chosen for m in e.get("methods", ())]
                + [str(e.get("method")) for e in chosen if e.get("method")]
            )
        return self._derived[key]

    def needles(self, words: tuple[str, ...]) -> frozenset[str]:
        """A rule's `needles` in lower case, `section:kind` items expanded to the last
        components of the kind's row names, their `setting` keys and the `method(s)` they
        match by name (`csrf_exempt`, `wtf_csrf_enabled`, `set_cookie`): rows a user adds
        reach the rule without touching its code."""
        key = ("needles", *words)
        if key not in self._derived:
            found: set[str] = set()
            for word in words:
                section, colon, kind = word.partition(":")
                if not colon:
                    found.add(word.lower())
                    continue
                for entry in self.all(section, kind):
                    found.add(entry.name.rpartition(".")[2].lower())
                    for name in ("setting", "method", "methods"):  # keys and methods rows match by
                        value = entry.get(name)
                        values: list[Any] = (
                            [value] if isinstance(value, str) else value if isinstance(value, list) else []
                        )
                        found.update(str(v).lower() for v in values if isinstance(v, str))
            self._derived[key] = frozenset(found)
        return self._derived[key]

    def names_where(self, section: str, name: str, value: str) -> frozenset[str]:
        """Names of the `section` rows whose field `name` is `value` (`peer = "service"`)."""
        key = ("where", section, name, value)
        if key not in self._derived:
            rows = self.all(section)
            self._derived[key] = frozenset(e.name for e in rows if e.get(name) == value)
        return self._derived[key]

    def field_values(
        self, section: str, kind: str, name: str, where: tuple[str, str] | None = None
    ) -> frozenset[str]:
        """Every value of the field `name` on `kind`'s rows (`method = "run"`), of the rows
        whose field `where[0]` is `where[1]` when given; computed once."""
        key = ("field", section, kind, name, *(where or ()))
        if key not in self._derived:
            rows = [e for e in self.all(section, kind) if where is None or e.get(where[0]) == where[1]]
            self._derived[key] = frozenset(str(e.get(name)) for e in rows if e.get(name))
        return self._derived[key]

    def lookup(self, section: str, name: str | None, kind: str | None = None) -> Entry | None:
        """The row for `name` in `section` (of `kind` when given), or None."""
        if name is None:
            return None
        for entry in self._index.get((section, name), ()):
            if kind is None or entry.kind == kind:
                return entry
        return None

    def lookup_all(self, section: str, name: str | None) -> list[Entry]:
        """Every row for `name` in `section` (a call can be a sink of several kinds)."""
        return self._index.get((section, name), []) if name is not None else []

    def all(self, section: str, kind: str | None = None) -> Iterator[Entry]:
        return iter(self._by_kind.get((section, kind), ()))

    def names(self, section: str, kind: str) -> frozenset[str]:
        return frozenset(e.name for e in self.all(section, kind))


def _bundled_dir() -> Path:
    return Path(str(resources.files("scrutiny") / "models"))


def _load_kinds(path: Path) -> dict[str, frozenset[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds: dict[str, frozenset[str]] = {}
    for section in SECTIONS:
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ModelError(f"{path.name}: [{section}] must be a table of kind = description")
        kinds[section] = frozenset(table)
    return kinds


def _entry(origin: str, section: str, index: int, row: Any, kinds: dict[str, frozenset[str]]) -> Entry:
    where = f"{origin}: [[{section}]] #{index + 1}"
    if not isinstance(row, dict):
        raise ModelError(f"{where}: must be a table")
    name, kind = row.get("name"), row.get("kind")
    if not isinstance(name, str) or not name:
        raise ModelError(f"{where}: missing `name`")
    where += f" ({name})"
    if not isinstance(kind, str) or kind not in kinds[section]:
        known = ", ".join(sorted(kinds[section]))
        raise ModelError(f"{where}: unknown kind {kind!r}; kinds.toml declares: {known}")
    args = row.get("args", [])
    kwargs = row.get("kwargs", [])
    if not (isinstance(args, list) and all(isinstance(a, int) and a >= 0 for a in args)):
        raise ModelError(f"{where}: `args` must be a list of argument positions")
    if not (isinstance(kwargs, list) and all(isinstance(k, str) for k in kwargs)):
        raise ModelError(f"{where}: `kwargs` must be a list of keyword names")
    extra = {k: v for k, v in row.items() if k not in _KNOWN_FIELDS}
    return Entry(section, name, kind, tuple(args), tuple(kwargs), extra, origin)


def load_file(path: Path, kinds: dict[str, frozenset[str]]) -> list[Entry]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"{path}: {exc}") from exc
    entries: list[Entry] = []
    for key, rows in data.items():
        if key not in SECTIONS:
            raise ModelError(f"{path.name}: unknown section [[{key}]] (one of: {', '.join(SECTIONS)})")
        if not isinstance(rows, list):
            raise ModelError(f"{path.name}: [[{key}]] must be an array of tables")
        entries.extend(_entry(path.name, key, i, row, kinds) for i, row in enumerate(rows))
    return entries


def load_models(extra_files: Iterable[str] = ()) -> Models:
    """The bundled models plus the user's files (from ``[tool.scrutiny] models``)."""
    return _load_models(tuple(extra_files))


@cache
def _load_models(extra_files: tuple[str, ...]) -> Models:
    bundled = _bundled_dir()
    kinds = _load_kinds(bundled / "kinds.toml")
    entries: list[Entry] = []
    files = sorted(p for p in bundled.glob("*.toml") if p.name != "kinds.toml")
    for path in [*files, *(Path(f) for f in extra_files)]:
        entries.extend(load_file(path, kinds))
    seen: dict[tuple[str, str, str], str] = {}
    for entry in entries:
        key = (entry.section, entry.name, entry.kind)
        if key in seen:
            raise ModelError(
                f"{entry.origin}: [[{entry.section}]] {entry.name} ({entry.kind}) "
                f"duplicates a row of {seen[key]}"
            )
        seen[key] = entry.origin
    return Models(entries, kinds)
