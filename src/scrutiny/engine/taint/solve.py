"""Project-wide resolution of symbolic taint: which sinks real sources reach, and how.

Parameters are context-insensitive (the union over every call site, plus what a framework puts
there); call results are resolved per call site by substituting the callee's return summary with
that site's arguments, so one caller's tainted argument never taints another caller's result.
Rounds repeat until no parameter gains a label (recursion converges because label sets are
finite), with a bound as a last resort.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from scrutiny.engine.taint.ir import (
    MAX_TRACE,
    CallSite,
    FileSummary,
    FunctionSummary,
    Label,
    SinkHit,
    Taint,
    Trace,
    extend,
    is_cleared,
    shorter,
    union,
)

MAX_ROUNDS = 12


Item = tuple[str, ...]  # ("fn", qualname), ("call", path, index), ("field", key), ("global", key)
Dependencies = tuple[frozenset[str], frozenset[Item]]


def call_item(path: object, index: object) -> Item:
    """The item (and memo key) of call site `index`'s result in file `path`."""
    return ("call", str(path), str(index))


@dataclass(slots=True)
class Frame:
    """What resolving one value read: parameters (transitively: a gain must rerun whatever read
    one, however deep); the summary items it consulted itself (`uses`: callee functions, call
    results, fields, globals; what a consulted result used in turn is in that result's frame,
    `Solver.results`), for an incremental solve to know what an edit can change; and whether
    a recursive call was cut short."""

    reads: set[tuple[str, int]] = field(default_factory=set)
    uses: set[Item] = field(default_factory=set)
    cut: bool = False

    def dependencies(self) -> Dependencies:
        """The functions whose parameters were read, and the items consulted directly."""
        return frozenset({param[0] for param in self.reads}), frozenset(self.uses)

    def absorb(self, inner: Frame, cut: bool) -> None:
        """Add what resolving a value this one needed read (`cut`: that value is provisional)."""
        if inner.reads:
            self.reads |= inner.reads
        self.cut = self.cut or cut


@dataclass(frozen=True, slots=True)
class Flow:
    """A source reaching a sink: the label says which source and what cleared it on the way."""

    sink: SinkHit
    source_kind: str
    source_api: str
    cleared: frozenset[str]
    trace: Trace


def passes(call: CallSite) -> bool:
    """Whether the call passes something symbolic: only such calls move taint into parameters."""
    return any(call.args) or any(call.kwargs.values())


def _join_trace(head: Trace, tail: Trace) -> Trace:
    out = head
    for step in tail:
        out = extend(out, step)
    return out


class Solver:
    def __init__(self, files: Iterable[FileSummary]) -> None:
        self.files = list(files)
        self.functions: dict[str, FunctionSummary] = {}
        self.calls: dict[tuple[str, int], CallSite] = {}
        self.fields: dict[str, Taint] = {}
        self.globals: dict[str, Taint] = {}
        self.bases: dict[str, list[str]] = {}
        # An incremental solve starts from some files only; `lazy` finds the file defining a
        # function or holding a call site when a lookup misses (incremental.py).
        self.lazy: Callable[[str], bool] | None = None
        self.where: dict[str, str] = {}  # function qualname -> path, for `lazy`
        for summary in self.files:
            for function in summary.functions:
                self.functions.setdefault(function.qualname, function)
            for call in summary.calls:
                self.calls[(call.path, call.index)] = call
            for key, taint in summary.fields.items():
                self.fields[key] = union(self.fields.get(key, {}), taint)
            self.globals.update(summary.globals)
            self.bases.update(summary.classes)
        self.params: dict[tuple[str, int], Taint] = {}
        for function in self.functions.values():
            for index, taint in function.entry.items():
                # A copy: the solve adds to parameters, and the summary must stay as analysed
                # (the cache stores it, and the next run compares it).
                self.params[(function.qualname, index)] = dict(taint)
        self._memo: dict[tuple[str, ...], Taint] = {}
        self._active: set[tuple[str, ...]] = set()
        # What each memoized result read, so a parameter's gain drops only the results it can
        # change: the parameters read (transitively), and whether a recursive call was cut
        # short inside (then the result is provisional and redone each round, as all were).
        self._frames: list[Frame] = []
        self._readers: dict[tuple[str, int], set[tuple[str, ...]]] = {}
        self._provisional: set[tuple[str, ...]] = set()
        self.results: dict[Item, Frame] = {}  # memo key -> what computing it last read
        self._callee: dict[tuple[str, int], tuple[FunctionSummary, bool] | None] = {}
        # What the last evaluation of each carrying call and each file's sinks read: the
        # dependencies an incremental solve follows (incremental.py).
        self.deps: dict[tuple[str, int], Frame] = {}
        self.sink_deps: dict[str, Frame] = {}
        self.converged = False

    # -- call graph ---------------------------------------------------------------------------
    def callee(self, call: CallSite) -> tuple[FunctionSummary, bool] | None:
        key = (call.path, call.index)
        if key not in self._callee:
            self._callee[key] = self._find(call.callees)
        return self._callee[key]

    def _find(self, candidates: tuple[tuple[str, bool], ...]) -> tuple[FunctionSummary, bool] | None:
        for name, bound in candidates:
            if name.startswith("super:"):
                owner, _, method = name[6:].rpartition(".")
                found = self._method(self.bases.get(owner, []), method)
            else:
                found = self.functions.get(name)
                if found is None and self.lazy is not None:
                    found = self._lazy_function(name)
                if found is None and "." in name:
                    owner, _, method = name.rpartition(".")
                    found = self._method(self.bases.get(owner, []), method) if owner in self.bases else None
            if found is not None:
                return found, bound or found.classmethod
        return None

    def _method(self, classes: list[str], method: str, depth: int = 0) -> FunctionSummary | None:
        for cls in classes:
            name = f"{cls}.{method}"
            found = self.functions.get(name)
            if found is None and self.lazy is not None:
                found = self._lazy_function(name)
            if found is None and depth < 8:
                found = self._method(self.bases.get(cls, []), method, depth + 1)
            if found is not None:
                return found
        return None

    def _lazy_function(self, name: str) -> FunctionSummary | None:
        """A function not loaded yet (incremental solves load files as they need them)."""
        if name in self.where and self.lazy is not None and self.lazy(self.where[name]):
            return self.functions.get(name)
        return None

    def call_site(self, path: str, index: int) -> CallSite:
        key = (path, index)
        found = self.calls.get(key)
        if found is None and self.lazy is not None and self.lazy(path):
            found = self.calls.get(key)
        if found is None:
            raise KeyError(key)
        return found

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, taint: Taint) -> Taint:
        """Concrete labels (sources only) for symbolic taint, with the traces joined."""
        out: Taint = {}
        frame = self._frames[-1] if self._frames else Frame()  # outside a frame: read nowhere
        for (origin, cleared), trace in taint.items():
            if origin[0] == "source":
                inner: Taint = {(origin, frozenset()): ()}
            elif origin[0] == "param":
                param = (str(origin[1]), int(origin[2]))
                frame.reads.add(param)
                inner = self.params.get(param, {})
            elif origin[0] == "call":
                key = call_item(origin[1], origin[2])
                frame.uses.add(key)
                inner = self._cached(key)
            elif origin[0] == "field" or origin[0] == "global":
                key = (str(origin[0]), f"{origin[1]}.{origin[2]}")
                frame.uses.add(key)
                inner = self._cached(key)
            else:
                continue
            for (src, cleared2), head in inner.items():
                label: Label = (src, cleared | cleared2)
                if "*" in label[1]:
                    continue  # cleared for every sink (`int()` on the way): it can never be a flow
                joined = _join_trace(head, trace)
                known = out.get(label)
                if known is None or shorter(joined, known):
                    out[label] = joined
        return out

    def _cached(self, key: tuple[str, ...]) -> Taint:
        frames = self._frames
        if key in self._memo:
            if frames:
                frames[-1].absorb(self.results[key], key in self._provisional)
            return self._memo[key]
        if key in self._active:
            if frames:
                frames[-1].cut = True
            return {}  # recursion: the next round sees the value computed this round
        self._active.add(key)
        frame = Frame()
        frames.append(frame)
        try:
            if key[0] == "call":
                value = self._call_result(self.call_site(key[1], int(key[2])))
            elif key[0] == "field":
                value = self.resolve(self.fields.get(key[1], {}))
            else:
                value = self.resolve(self.globals.get(key[1], {}))
        finally:
            self._active.discard(key)
            frames.pop()
        self._memo[key] = value
        for param in frame.reads:
            self._readers.setdefault(param, set()).add(key)
        if frame.cut:
            self._provisional.add(key)
        if frames:
            frames[-1].absorb(frame, frame.cut)
        self.results[key] = frame
        return value

    def _forget(self, param: tuple[str, int]) -> None:
        """`param` gained labels: drop the memoized results that read it."""
        for key in self._readers.pop(param, ()):
            self._memo.pop(key, None)

    def _call_result(self, call: CallSite) -> Taint:
        found = self.callee(call)
        if found is None:  # not a project function after all: taint in, taint out
            inputs = (
                union(call.receiver, *call.args, *call.kwargs.values())
                if call.arguments_flow
                else call.receiver
            )
            return self.resolve(inputs)
        function, bound = found
        if self._frames:
            self._frames[-1].uses.add(("fn", function.qualname))
        parts: list[Taint] = []
        for (origin, cleared), trace in function.returns.items():
            if origin[0] == "param" and origin[1] == function.qualname:
                argument = self._argument(call, function, int(origin[2]), bound)
                resolved = self.resolve(argument)
                parts.append({(src, c | cleared): _join_trace(t, trace) for (src, c), t in resolved.items()})
            else:
                parts.append(self.resolve({(origin, cleared): trace}))
        result = union(*parts)
        if function.entry:
            # What a framework puts in an entry point's parameters stays inside it: a caller gets
            # the result for the arguments it passes itself (a privsep entrypoint's result is
            # back in unprivileged code).
            framework = {origin for taint in function.entry.values() for origin, _ in taint}
            result = {label: t for label, t in result.items() if label[0] not in framework}
        return result

    @staticmethod
    def _argument(call: CallSite, function: FunctionSummary, index: int, bound: bool) -> Taint:
        position = index - 1 if bound else index
        name = function.params[index] if index < len(function.params) else None
        if 0 <= position < len(call.args):
            return call.args[position]
        if name is not None and name in call.kwargs:
            return call.kwargs[name]
        if "**" in call.kwargs:
            return call.kwargs["**"]
        return function.defaults.get(index, {})

    # -- the fixed point ----------------------------------------------------------------------
    def carrying(self) -> list[CallSite]:
        return [c for c in self.calls.values() if passes(c)]

    def propagate(self, calls: list[CallSite] | None = None) -> int:
        """Push argument taint into parameters until nothing changes (through `calls`, by
        default every carrying call); returns the rounds run."""
        carrying = self._callers_first(self.carrying() if calls is None else calls)
        # What each call's arguments read when last resolved: after the first round a call
        # runs again only if a parameter it read gained a label since (this round, if it
        # comes later in the order), or a recursive call was cut short while resolving it.
        readers: dict[tuple[str, int], set[int]] = {}  # parameter -> positions of calls that read it
        cut: set[int] = set()
        pending = list(range(len(carrying)))  # a heap of positions in callers-first order
        for rounds in range(1, MAX_ROUNDS + 1):
            self._drop_provisional()
            scheduled = set(pending)
            later: set[int] = set()  # for the next round
            any_gain = False
            while pending:
                at = heapq.heappop(pending)
                call = carrying[at]
                found = self.callee(call)
                if found is None:
                    continue
                frame = Frame()
                frame.uses.add(("fn", found[0].qualname))
                self._frames.append(frame)
                try:
                    gained = self._pass(call, *found)
                finally:
                    self._frames.pop()
                for param in frame.reads:
                    readers.setdefault(param, set()).add(at)
                key = (call.path, call.index)
                self.deps[key] = frame
                if frame.cut:
                    cut.add(at)
                for param in gained:
                    any_gain = True
                    for other in readers.get(param, ()):
                        if other > at and other not in scheduled:
                            scheduled.add(other)
                            heapq.heappush(pending, other)
                        elif other <= at:
                            later.add(other)
            if not any_gain:
                self.converged = True
                return rounds
            pending = sorted(later | cut)
            cut = set()
        return MAX_ROUNDS

    def _pass(self, call: CallSite, function: FunctionSummary, bound: bool) -> set[tuple[str, int]]:
        """Add what `call` passes to `function`'s parameters; the parameters that gained."""
        gained: set[tuple[str, int]] = set()
        for index in self._receiving(call, function, bound):
            argument = self._argument(call, function, index, bound)
            if not argument or (index in function.defaults and argument is function.defaults[index]):
                continue
            concrete = self.resolve(argument)
            if concrete and self._add(function, index, call, concrete):
                param = (function.qualname, index)
                gained.add(param)
                self._forget(param)  # results memoized so far may have read the old labels
        return gained

    def _drop_provisional(self) -> None:
        for key in self._provisional:
            self._memo.pop(key, None)
        self._provisional.clear()

    def _callers_first(self, calls: list[CallSite]) -> list[CallSite]:
        """Call sites ordered so that a function's callers come before the calls it makes (a
        depth-first order of the call graph; cycles anywhere): a label then travels down a
        chain of calls in one round, where file order needed a round per call (nova reached
        the round bound). The order changes how fast the fixed point is reached, never what
        it is. A call belongs to the function starting last before it in its file."""
        starts: dict[str, list[tuple[int, str]]] = {}
        for function in self.functions.values():
            starts.setdefault(function.path, []).append((function.line, function.qualname))
        for rows in starts.values():
            rows.sort()
        owner: dict[int, str | None] = {}
        edges: dict[str, list[str]] = {}
        for call in calls:
            rows = starts.get(call.path, [])
            at = bisect.bisect_right(rows, (call.line, "\uffff")) - 1
            owner[id(call)] = rows[at][1] if at >= 0 else None
            found = self.callee(call)
            caller = owner[id(call)]
            if found is not None and caller is not None:
                edges.setdefault(caller, []).append(found[0].qualname)
        finished: list[str] = []
        seen: set[str] = set()
        for root in edges:
            if root in seen:
                continue
            seen.add(root)
            stack = [(root, iter(edges.get(root, ())))]
            while stack:  # iterative: call chains are deeper than Python's stack
                node, pending = stack[-1]
                following = next(pending, None)
                if following is None:
                    stack.pop()
                    finished.append(node)
                elif following not in seen:
                    seen.add(following)
                    stack.append((following, iter(edges.get(following, ()))))
        rank = {name: i for i, name in enumerate(reversed(finished))}
        return sorted(calls, key=lambda c: rank.get(owner[id(c)] or "", len(rank)))

    @staticmethod
    def _receiving(call: CallSite, function: FunctionSummary, bound: bool) -> range | list[int]:
        """The parameters this call passes something to (all of them for `**kwargs`)."""
        if "**" in call.kwargs:
            return range(len(function.params))
        offset = 1 if bound else 0
        out = [i + offset for i in range(len(call.args)) if i + offset < len(function.params)]
        out += [function.params.index(name) for name in call.kwargs if name in function.params]
        return out

    def _add(self, function: FunctionSummary, index: int, call: CallSite, concrete: Taint) -> bool:
        key = (function.qualname, index)
        known = self.params.setdefault(key, {})
        name = function.params[index]
        step = (call.path, call.line, call.column, f"passed as `{name}` to `{call.display}`")
        added = False
        for label, trace in concrete.items():
            old = known.get(label)
            if old is not None and len(old) < len(trace) < MAX_TRACE:
                continue  # one step more than a longer trace (only a full one gets cut): not better
            passed = extend(trace, step)
            if old is None or shorter(passed, old):
                known[label] = passed  # a new label, or better evidence for one: both are gains
                added = True
        return added

    def flows(self) -> list[Flow]:
        self.propagate()
        self.forget_results()  # sinks are resolved afresh against the final parameters
        return self.sink_flows(self.files)

    def forget_results(self) -> None:
        self._memo.clear()
        self._provisional.clear()

    def sink_flows(self, files: Iterable[FileSummary]) -> list[Flow]:
        """The flows into the sinks of `files`, against the parameters as they stand."""
        out: list[Flow] = []
        for summary in files:
            if not summary.sinks:
                continue
            frame = Frame()
            self._frames.append(frame)
            try:
                for sink in summary.sinks:
                    for (origin, cleared), trace in self.resolve(sink.taint).items():
                        if origin[0] != "source" or is_cleared(cleared, sink.kind):
                            continue
                        out.append(Flow(sink, str(origin[1]), str(origin[2]), cleared, trace))
            finally:
                self._frames.pop()
            self.sink_deps[summary.path] = frame
            if frame.cut:
                self.converged = False  # a cut in a sink's value: order-dependent, never reused
        return out


def solve(files: Iterable[FileSummary]) -> list[Flow]:
    return Solver(files).flows()
