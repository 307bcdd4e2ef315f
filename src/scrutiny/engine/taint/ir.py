"""The picklable summaries that cross from workers to the parent, and symbolic taint.

An *origin* names where a value may come from, with globally unique keys so summaries from
different files can be joined without renaming:

- ``("source", kind, api)``: an attacker-controlled read, e.g. ``("source", "remote", "flask.request")``
- ``("param", function, index)``: a parameter of a project function
- ``("call", path, index)``: the result of call site ``index`` in file ``path``
- ``("field", class, attr)``: ``self.attr`` of a project class
- ``("global", module, name)``: a module-level variable

A *label* is an origin plus the sink kinds a sanitizer has cleared on the way ("*" = all), and a
*trace* is the evidence so far: ``(line, column, description)`` steps in the file of the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Origin = tuple[str | int, ...]
Label = tuple[Origin, frozenset[str]]
Step = tuple[str, int, int, str]  # path, line, column, description
Trace = tuple[Step, ...]
Taint = dict[Label, Trace]

MAX_TRACE = 14  # longer traces keep their first and last steps: the reader needs both ends

PARTIAL = "~partial"  # marker in a label's cleared set: passed only a partial guard


def extend(trace: Trace, step: Step) -> Trace:
    if trace and trace[-1][1:3] == step[1:3]:
        return trace  # one step per location is enough
    if len(trace) >= MAX_TRACE:
        return (*trace[:4], *trace[-(MAX_TRACE - 6) :], step)
    return (*trace, step)


def shorter(trace: Trace, known: Trace) -> bool:
    """Whether `trace` is the better evidence for a label than `known`: fewer steps, ties
    broken by the steps themselves, so the evidence chosen never depends on the order in which
    paths were found (an incremental solve then reports what a full one does)."""
    return len(trace) < len(known) or (len(trace) == len(known) and trace < known)


def union(*taints: Taint) -> Taint:
    """Labels of all inputs; for a label in several, the shorter trace wins."""
    out: Taint = {}
    for taint in taints:
        for label, trace in taint.items():
            known = out.get(label)
            if known is None or shorter(trace, known):
                out[label] = trace
    return out


def with_step(taint: Taint, step: Step) -> Taint:
    return {label: extend(trace, step) for label, trace in taint.items()}


def clear(taint: Taint, kinds: frozenset[str]) -> Taint:
    return {(origin, cleared | kinds): trace for (origin, cleared), trace in taint.items()}


def is_cleared(cleared: frozenset[str], sink_kind: str) -> bool:
    return "*" in cleared or sink_kind in cleared


@dataclass(slots=True)
class SinkHit:
    kind: str  # the sink kind, e.g. command-injection
    api: str  # the qualified name of the sink call
    detail: str  # e.g. "with shell=True", "as the program to run"
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    statement: tuple[int, int]
    scope: str
    snippet: str
    source_line: str
    taint: Taint


@dataclass(slots=True)
class CallSite:
    path: str
    index: int
    callees: tuple[tuple[str, bool], ...]  # (qualified name, passes self) candidates, best first
    line: int
    column: int
    display: str  # how the call reads in the code, for evidence: `ping()`
    args: list[Taint]
    kwargs: dict[str, Taint]
    receiver: Taint  # the object a method was called on (propagated when the callee is unknown)
    arguments_flow: bool = True  # if the callee is not found: do the arguments reach the result?


@dataclass(slots=True)
class FunctionSummary:
    qualname: str
    path: str
    line: int
    params: list[str]  # positional and keyword parameter names in order, `self` included
    returns: Taint = field(default_factory=dict)
    entry: dict[int, Taint] = field(default_factory=dict)  # parameters a framework taints
    defaults: dict[int, Taint] = field(default_factory=dict)
    classmethod: bool = False  # `Cls.method(x)` passes `cls` implicitly: `x` is parameter 1


@dataclass(slots=True)
class FileSummary:
    path: str
    module: str
    functions: list[FunctionSummary] = field(default_factory=list)
    sinks: list[SinkHit] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)
    fields: dict[str, Taint] = field(default_factory=dict)  # "Class.attr" -> stored taint
    globals: dict[str, Taint] = field(default_factory=dict)  # "module.name" -> taint at end
    classes: dict[str, list[str]] = field(default_factory=dict)  # class -> base qualnames
