"""What `models/rootwrap.toml` says, compiled once, and what each oslo.rootwrap filter class
lets its caller run (read from `oslo_rootwrap/filters.py`, 7.10)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

from scrutiny.engine.model import Entry as Row
from scrutiny.engine.model import Models
from scrutiny.rootwrap.ini import Arg, Entry

# Filter classes whose first pattern argument matches the command name (`re.match(p + '$')`).
REGEXP_FILTERS = frozenset({"RegExpFilter", "ChainingRegExpFilter"})


@dataclass(frozen=True, slots=True)
class Power:
    grants: str
    how: str


class Facts:
    def __init__(self, models: Models) -> None:
        self._names: dict[str, Power] = {}
        self._patterns: list[tuple[re.Pattern[str], Power]] = []
        for row in models.all("api", "rootwrap-binary"):
            power = Power(str(row.get("grants", "")), str(row.get("how", "")))
            self._names.update((name, power) for name in _strings(row, "binaries"))
            self._patterns += [(re.compile(p), power) for p in _strings(row, "patterns")]
        facts = {r.name.removeprefix("rootwrap-fact."): r for r in models.all("api", "rootwrap-fact")}
        self.sensitive = tuple(re.compile(p) for p in _strings(facts.get("sensitive-files"), "patterns"))
        self.environment = frozenset(_strings(facts.get("dangerous-environment"), "words"))
        self.always_allowed = frozenset(_strings(facts.get("always-allowed"), "binaries"))
        probes = facts.get("probes")
        self.option_probes = tuple(_strings(probes, "options"))
        self.escape = str(probes.get("escape", "")) if probes is not None else ""
        self.escape_name = str(probes.get("escape_name", "")) if probes is not None else ""
        self.anywhere = str(probes.get("anywhere", "")) if probes is not None else ""

    def power(self, executable: str) -> Power | None:
        """What running `executable` as root with any arguments hands over, if the model knows."""
        name = posixpath.basename(executable)
        found = self._names.get(name)
        if found is None:
            found = next((p for rx, p in self._patterns if rx.fullmatch(name)), None)
        return found


def _strings(row: Row | None, key: str) -> list[str]:
    value: Any = row.get(key, []) if row is not None else []
    return [str(v) for v in value]


_CACHE: dict[int, tuple[Models, Facts]] = {}


def facts(models: Models) -> Facts:
    """The compiled facts of `models` (kept with it, so the id is never reused)."""
    cached = _CACHE.get(id(models))
    if cached is None or cached[0] is not models:
        cached = _CACHE[id(models)] = (models, Facts(models))
    return cached[1]


def runs_as_root(entry: Entry) -> bool:
    """`run_as` is the second argument of every class but `KillFilter` (first) and
    `ReadFileFilter` (always root)."""
    if entry.kind.text == "ReadFileFilter":
        return True
    index = 0 if entry.kind.text == "KillFilter" else 1
    return entry.arg(index) == "root"


def env_split(entry: Entry) -> tuple[list[Arg], Arg | None]:
    """An `EnvFilter`'s `NAME=` arguments and the program it runs (the first other argument)."""
    names: list[Arg] = []
    for arg in entry.args[2:]:
        if "=" not in arg.text:
            return names, arg
        names.append(arg)
    return names, None


def free_program(entry: Entry) -> Arg | None:
    """The program an entry lets the caller run with arguments of their choosing, or None.

    `CommandFilter` checks only the program; `EnvFilter` checks the program and the variable
    names, never the arguments listed after the program; a `PathFilter` whose every constraint
    is `pass` checks only their number.
    """
    kind = entry.kind.text
    if kind == "CommandFilter" and entry.args:
        return entry.args[0]
    if kind == "EnvFilter":
        return env_split(entry)[1]
    if kind == "PathFilter" and len(entry.args) > 2 and all(a.text == "pass" for a in entry.args[2:]):
        return entry.args[0]
    return None


def allows(entry: Entry, command: str) -> bool:
    """Whether the entry can match a command whose first word is `command` (arguments unknown)."""
    kind = entry.kind.text
    if kind in REGEXP_FILTERS:
        try:
            return re.match(entry.arg(2) + "$", command) is not None
        except re.error:
            return False  # rootwrap denies a badly formed pattern
    if kind == "KillFilter":
        return command == "kill"
    if kind == "ReadFileFilter":
        return command == "cat"
    if kind in ("IpFilter", "IpNetnsExecFilter"):
        return command == "ip"
    if kind == "EnvFilter":
        program = env_split(entry)[1]
        return command == "env" or (program is not None and _same_program(program.text, command))
    return bool(entry.args) and _same_program(entry.arg(0), command)


def _same_program(executable: str, command: str) -> bool:
    return executable == command or posixpath.basename(executable) == command
