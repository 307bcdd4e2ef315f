"""Lines that moved: an edit that only shifts code (lines inserted or deleted around it).

A taint summary records line numbers (of functions, calls, sinks and every evidence step). When
the edited file's new summary is the old one with only its line numbers changed, consistently
(each old line maps to one new line, no two to the same), the project's dataflow is what it
was, with this file's lines renumbered: `line_map` finds that renumbering, and `moved_finding`
applies it to a finding and its evidence, wherever the steps are. The solve is skipped. The
renumbering must keep the lines' order, so whatever the solver orders by line is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from itertools import pairwise
from typing import Any

from scrutiny.engine.taint.ir import CallSite, FileSummary, FunctionSummary, SinkHit
from scrutiny.engine.walker import RawFinding
from scrutiny.findings import EvidenceStep, Finding, Location

LineMap = dict[int, int]


def line_map(old: FileSummary | None, new: FileSummary | None) -> LineMap | None:
    """Old line -> new line when `new` is `old` renumbered; None when anything else changed."""
    if old is None or new is None:
        return {} if old is None and new is None else None
    old_lines: list[int] = []
    new_lines: list[int] = []
    if _shape(old, old_lines) != _shape(new, new_lines) or len(old_lines) != len(new_lines):
        return None
    mapping: LineMap = {}
    for before, after in zip(old_lines, new_lines, strict=True):
        if mapping.setdefault(before, after) != after:
            return None
    ordered = [mapping[line] for line in sorted(mapping)]
    if any(a >= b for a, b in pairwise(ordered)):
        return None  # two old lines onto one, or code moved past other code: not a shift
    return {before: after for before, after in mapping.items() if before != after}


def moved_raw(raw: RawFinding, moves: dict[str, LineMap]) -> RawFinding:
    finding = moved_finding(raw.finding, moves)
    lines = moves.get(raw.finding.path)
    if not lines:
        return raw if finding is raw.finding else RawFinding(finding, raw.statement)
    start, end = raw.statement
    return RawFinding(finding, (lines.get(start, start), lines.get(end, end)))


def moved_finding(finding: Finding, moves: dict[str, LineMap]) -> Finding:
    """`finding` with the lines of moved files renumbered, in its location and its evidence."""
    changes: dict[str, Any] = {}
    lines = moves.get(finding.path)
    if lines:
        where = finding.location
        changes["location"] = Location(
            lines.get(where.line, where.line),
            where.column,
            lines.get(where.end_line, where.end_line),
            where.end_column,
        )
    if any(step.path in moves for step in finding.evidence):
        changes["evidence"] = tuple(_moved_step(step, moves) for step in finding.evidence)
    return replace(finding, **changes) if changes else finding


def _moved_step(step: EvidenceStep, moves: dict[str, LineMap]) -> EvidenceStep:
    lines = moves.get(step.path)
    if not lines or step.line not in lines:
        return step
    return replace(step, line=lines[step.line])


def _shape(summary: FileSummary, lines: list[int]) -> list[Any]:
    """Everything in the summary but its line numbers, which go to `lines` in a fixed order."""
    out: list[Any] = [summary.path, summary.module, summary.classes]
    for function in summary.functions:
        out.append(_function(function, lines))
    for sink in summary.sinks:
        out.append(_sink(sink, lines))
    for call in summary.calls:
        out.append(_call(call, lines))
    out.append(_taints(summary.fields.items(), lines))
    out.append(_taints(summary.globals.items(), lines))
    return out


def _function(function: FunctionSummary, lines: list[int]) -> tuple[Any, ...]:
    lines.append(function.line)
    return (
        function.qualname, function.path, function.params, _taint(function.returns, lines),
        _taints(function.entry.items(), lines), _taints(function.defaults.items(), lines),
        function.classmethod,
    )  # fmt: skip


def _sink(sink: SinkHit, lines: list[int]) -> tuple[Any, ...]:
    lines.extend((sink.line, sink.end_line, *sink.statement))
    return (
        sink.kind, sink.api, sink.detail, sink.path, sink.column, sink.end_column, sink.scope,
        sink.snippet, sink.source_line, _taint(sink.taint, lines),
    )  # fmt: skip


def _call(call: CallSite, lines: list[int]) -> tuple[Any, ...]:
    lines.append(call.line)
    return (
        call.path, call.index, call.callees, call.column, call.display, call.arguments_flow,
        [_taint(t, lines) for t in call.args], _taints(call.kwargs.items(), lines),
        _taint(call.receiver, lines),
    )  # fmt: skip


def _taints(items: Iterable[tuple[Any, Any]], lines: list[int]) -> list[Any]:
    return [(key, _taint(taint, lines)) for key, taint in items]


def _taint(taint: Any, lines: list[int]) -> list[Any]:
    out: list[Any] = []
    for label, trace in taint.items():
        steps = []
        for path, line, column, text in trace:
            lines.append(line)
            steps.append((path, column, text))
        out.append((label, steps))
    return out
