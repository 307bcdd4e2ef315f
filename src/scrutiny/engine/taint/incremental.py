"""Solve again after an edit, redoing only what the edit can change (an incremental fixed point).

A full solve leaves a `State`: the final parameters and, for every call that passes taint and
for every file's sinks, what their last evaluation read (parameters) and consulted (callee
functions, call sites, fields, globals: `solve.Item`). After an edit, `resolve_again` compares
the edited files' summaries item by item and redoes, transitively, whatever read or consulted a
changed item; everything else keeps its value, so the solve touches a few files instead of the
project (nova: a function added to `nova/utils.py` re-runs a handful of calls of 10,800).

Why the result is the full solve's: the solve is deterministic and picks evidence canonically
(`ir.shorter`), so a call whose inputs did not change passes what it passed before. A function
whose parameters may change is recomputed from scratch: its parameters restart from what a
framework puts there, and every call into it passes again. Whatever this cannot follow falls
back to a full solve (None): a class's bases changed, a function defined in two files, a
recursive cycle cut short in a redone value (its value depends on evaluation order), a solve
that did not converge, or an edit reaching more than a quarter of the project's calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from scrutiny.engine.taint.ir import CallSite, FileSummary, FunctionSummary, Taint, union
from scrutiny.engine.taint.solve import Dependencies, Flow, Frame, Item, Solver, call_item, passes

CallKey = tuple[str, int]
ParamKey = tuple[str, int]
Edit = tuple[FileSummary | None, FileSummary | None]  # a file's summary before and after

Key = TypeVar("Key", tuple[str, int], str, Item)

_MOST_REDONE = 0.25  # past this share of the calls, a full solve is as cheap and simpler
_FEW = 200  # calls: always fewer than a full solve's work, whatever the share


@dataclass(slots=True)
class State:
    """What a solve leaves for the next one (pickled in the cache beside the run's record)."""

    params: dict[ParamKey, Taint]
    entries: dict[ParamKey, Taint]  # what frameworks put in parameters: where a reset starts
    deps: dict[CallKey, Dependencies]  # carrying call -> what its last evaluation read
    results: dict[Item, Dependencies]  # call result, field, global -> what computing it read
    callees: dict[CallKey, str]  # carrying call -> the function it passes to
    sink_deps: dict[str, Dependencies]  # file -> what resolving its sinks read
    where: dict[str, str]  # function -> the file defining it (the first, as the solver takes)
    shared: set[str]  # functions defined in more than one file
    names: dict[str, set[CallKey]]  # a callee candidate's last name -> calls naming it
    bases: dict[str, list[str]]
    fields: dict[str, dict[str, Taint]]  # field -> file -> what the file stores there
    globals: dict[str, tuple[str, Taint]]  # global -> (the file that set it last, its taint)
    volatile: set[CallKey]
    converged: bool

    @classmethod
    def of(cls, solver: Solver) -> State:
        state = cls(
            params=solver.params, entries={}, deps=_dependencies(solver.deps),
            results=_dependencies(solver.results), callees={},
            sink_deps=_dependencies(solver.sink_deps), where={}, shared=set(), names={}, bases=solver.bases,
            fields={}, globals={}, volatile=_cut(solver), converged=solver.converged,
        )  # fmt: skip
        for key in solver.deps:
            found = solver.callee(solver.calls[key])
            if found is not None:
                state.callees[key] = found[0].qualname
        for summary in solver.files:
            state.add(summary)
        return state

    def add(self, summary: FileSummary) -> None:
        """Index a file's summary (in file order: the first definition of a function wins)."""
        path = summary.path
        for function in summary.functions:
            owner = self.where.setdefault(function.qualname, path)
            if owner != path:
                self.shared.add(function.qualname)
            for index, taint in function.entry.items():
                self.entries[(function.qualname, index)] = taint
        for call in summary.calls:
            for name, _ in call.callees:
                self.names.setdefault(name.rpartition(".")[2], set()).add((path, call.index))
        for key, taint in summary.fields.items():
            self.fields.setdefault(key, {})[path] = taint
        for key, taint in summary.globals.items():
            self.globals[key] = (path, taint)

    def remove(self, summary: FileSummary) -> None:
        path = summary.path
        for function in summary.functions:
            if self.where.get(function.qualname) == path:
                del self.where[function.qualname]
            for index in function.entry:
                self.entries.pop((function.qualname, index), None)
        for call in summary.calls:
            for name, _ in call.callees:
                self.names.get(name.rpartition(".")[2], set()).discard((path, call.index))
        for key in summary.fields:
            self.fields.get(key, {}).pop(path, None)
        for key in summary.globals:
            if self.globals.get(key, ("", {}))[0] == path:
                del self.globals[key]


@dataclass(slots=True)
class _Change:
    """What the edited files changed, as solve items, and the calls that must pass again."""

    items: set[Item] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)  # their parameters restart
    calls: set[CallKey] = field(default_factory=set)  # edited, or their callee may differ now


def resolve_again(
    state: State,
    edits: dict[str, Edit],
    load: Callable[[str], FileSummary | None],
    order: Sequence[str],
) -> tuple[list[Flow], set[str]] | None:
    """The flows into the sinks of the files the edits can reach, and those files; `state` is
    brought up to date. None when only a full solve gives the right answer (`state` is then
    left half-updated: discard it)."""
    if not state.converged:
        return None
    change = _Change()
    for path, (old, new) in edits.items():
        before = old or FileSummary(path, "")
        after = new or FileSummary(path, "")
        if not _compare(state, before, after, change):
            return None
        state.remove(before)
        state.add(after)
    files = {path: new for path, (_, new) in edits.items() if new is not None}
    solver = _solver(state, files, load)
    for key in change.calls:  # where an edited or re-resolved call passes now
        site = _site(solver, key)
        found = solver.callee(site) if site is not None else None
        if found is not None:
            change.functions.add(found[0].qualname)
    redo, sinks = _reach(state, change)
    sinks |= set(edits)
    if len(redo) > max(_FEW, _MOST_REDONE * len(state.deps)) or redo & state.volatile:
        return None
    for key in [k for k in state.params if k[0] in change.functions]:
        del state.params[key]  # recomputed from scratch: what frameworks put there, then calls
    for key, taint in state.entries.items():
        if key[0] in change.functions:
            state.params[key] = dict(taint)
    solver.params = state.params
    rank = {path: i for i, path in enumerate(order)}
    sites = [_site(solver, key) for key in sorted(redo, key=lambda k: (rank.get(k[0], -1), k[1]))]
    solver.propagate([site for site in sites if site is not None and passes(site)])
    if not solver.converged or _cut(solver):
        return None
    solver.forget_results()  # sinks are resolved afresh against the final parameters
    ordered = sorted(sinks, key=lambda p: rank.get(p, -1))
    flows = solver.sink_flows(s for s in (files.get(p) or load(p) for p in ordered) if s is not None)
    if not solver.converged:
        return None
    _record(state, solver, redo, sinks, edits)
    return flows, sinks


def _compare(state: State, before: FileSummary, after: FileSummary, change: _Change) -> bool:
    """Add what changed from `before` to `after` to `change`; False when a full solve is due."""
    if before.classes != after.classes:
        return False  # method lookups through bases anywhere could change
    old, new = _by_name(before.functions), _by_name(after.functions)
    for name in old.keys() | new.keys():
        if old.get(name) == new.get(name):
            continue
        if name in state.shared or state.where.get(name, before.path) != before.path:
            return False  # defined in another file too: which one a call reaches is order's
        change.items.add(("fn", name))
        change.functions.add(name)
        if (name in old) != (name in new):  # calls naming it may reach it now, or no more
            for key in state.names.get(name.rpartition(".")[2], ()):
                change.items.add(call_item(*key))
                change.calls.add(key)
    calls_before = {c.index: c for c in before.calls}
    calls_after = {c.index: c for c in after.calls}
    for index in calls_before.keys() | calls_after.keys():
        if calls_before.get(index) != calls_after.get(index):
            change.items.add(call_item(before.path, index))
            change.calls.add((before.path, index))
    for name in before.fields.keys() | after.fields.keys():
        if before.fields.get(name) != after.fields.get(name):
            change.items.add(("field", name))
    for name in before.globals.keys() | after.globals.keys():
        if before.globals.get(name) != after.globals.get(name):
            if name in state.globals and state.globals[name][0] != before.path:
                return False  # another file sets it too: the last one's value is order's
            change.items.add(("global", name))
    return True


def _by_name(functions: Iterable[FunctionSummary]) -> dict[str, tuple[FunctionSummary, ...]]:
    out: dict[str, tuple[FunctionSummary, ...]] = {}
    for function in functions:
        out[function.qualname] = (*out.get(function.qualname, ()), function)
    return out


def _reach(state: State, change: _Change) -> tuple[set[CallKey], set[str]]:
    """The calls to run again and the files whose sinks to resolve again: everything that read
    a changed item or a parameter of a function that restarts, transitively; and every call
    into a function that restarts (its parameters are rebuilt from all of them). In waves over
    the recorded dependencies (set intersections in C): cheaper than indexing them all. A
    result (call, field, global) that used a changed item is a changed item in turn."""
    dirty = set(change.calls)
    functions = set(change.functions)
    functions.update(state.callees[key] for key in change.calls if key in state.callees)
    items: set[Item] = set(change.items)
    fresh_items, fresh = frozenset(items), set(functions)
    while fresh_items or fresh:
        results = state.results.items()
        more = {key for key, (_, used) in results if key not in items and not used.isdisjoint(fresh_items)}
        restarted: set[str] = set()
        for key, (read, used) in state.deps.items():
            if key not in dirty and (not read.isdisjoint(fresh) or not used.isdisjoint(fresh_items)):
                dirty.add(key)
                callee = state.callees.get(key)
                if callee is not None and callee not in functions:
                    restarted.add(callee)
        functions |= restarted
        items |= more
        fresh_items, fresh = frozenset(more), restarted
    change.functions = functions
    redo = dirty | {key for key, callee in state.callees.items() if callee in functions}
    sinks = {
        path
        for path, (read, used) in state.sink_deps.items()
        if not read.isdisjoint(functions) or not used.isdisjoint(items)
    }
    return redo, sinks


def _solver(state: State, files: dict[str, FileSummary], load: Callable[[str], FileSummary | None]) -> Solver:
    """A solver over the edited files that loads any other file it looks into, with the
    project-wide tables (bases, fields, globals) from the state."""
    solver = Solver(files.values())
    loaded = set(files)

    def lazy(path: str) -> bool:
        if path in loaded:
            return False
        loaded.add(path)
        summary = load(path)
        if summary is None:
            return False
        for function in summary.functions:
            solver.functions.setdefault(function.qualname, function)
        for call in summary.calls:
            solver.calls[(call.path, call.index)] = call
        return True

    solver.lazy = lazy
    solver.where = state.where
    solver.bases = state.bases
    solver.fields = {key: union(*parts.values()) for key, parts in state.fields.items() if parts}
    solver.globals = {key: taint for key, (_, taint) in state.globals.items()}
    return solver


def _site(solver: Solver, key: CallKey) -> CallSite | None:
    try:
        return solver.call_site(*key)
    except KeyError:
        return None  # the call is gone with the edit


def _record(
    state: State,
    solver: Solver,
    redo: set[CallKey],
    sinks: set[str],
    edits: dict[str, Edit],
) -> None:
    """Bring the state to the new solve: what the redone calls and sinks read now."""
    gone: set[CallKey] = set()
    for path, (old, new) in edits.items():
        now = {c.index for c in new.calls} if new is not None else set()
        gone.update((path, c.index) for c in (old.calls if old is not None else ()) if c.index not in now)
    for key in redo | gone:
        state.deps.pop(key, None)
        state.callees.pop(key, None)
        state.volatile.discard(key)
    for key in solver.deps:
        found = solver.callee(solver.calls[key])
        if found is not None:
            state.callees[key] = found[0].qualname
    for path in sinks:
        state.sink_deps.pop(path, None)
    for key in gone:
        state.results.pop(call_item(*key), None)
    state.deps.update(_dependencies(solver.deps))
    state.results.update(_dependencies(solver.results))
    state.sink_deps.update(_dependencies(solver.sink_deps))


def _cut(solver: Solver) -> set[CallKey]:
    """The calls whose last evaluation cut a recursive call short: their values depend on the
    order of evaluation, so an incremental solve must not redo them."""
    return {key for key, frame in solver.deps.items() if frame.cut}


def _dependencies(frames: Mapping[Key, Frame]) -> dict[Key, Dependencies]:
    """What each evaluation read, kept (the solve records its frames; made here, off its path)."""
    return {key: frame.dependencies() for key, frame in frames.items()}
