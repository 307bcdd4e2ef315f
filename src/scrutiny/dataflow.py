"""Turn taint flows into findings: one per sink and rule, with the evidence path."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from scrutiny.config import Settings
from scrutiny.engine.model import load_models
from scrutiny.engine.taint.ir import PARTIAL, FileSummary, Trace
from scrutiny.engine.taint.solve import Flow, Solver
from scrutiny.engine.walker import RawFinding
from scrutiny.findings import Confidence, EvidenceStep, Finding, Location
from scrutiny.rules import ALL_RULES
from scrutiny.rules.base import DataflowRule

if TYPE_CHECKING:
    from scrutiny.pipeline import FileWork

_LOCAL_SOURCES = frozenset({"file", "environment", "commandargs", "stdin"})


@cache
def _by_kind() -> dict[tuple[str, str], type[DataflowRule]]:
    """(sink kind, source kind) -> the rule reporting such flows."""
    out: dict[tuple[str, str], type[DataflowRule]] = {}
    for rule in ALL_RULES:
        if issubclass(rule, DataflowRule):
            for sink in (rule.sink_kind, *rule.more_sink_kinds):
                for source in rule.sources:
                    out.setdefault((sink, source), rule)
    return out


@cache
def _twins() -> dict[str, tuple[str, ...]]:
    return {r.code: r.twins for r in ALL_RULES if issubclass(r, DataflowRule)}


def twins_of(code: str) -> tuple[str, ...]:
    return _twins().get(code, ())


def dataflow_findings(
    works: Sequence[FileWork], settings: Settings, keep: Callable[[Solver], None] | None = None
) -> dict[str, list[RawFinding]]:
    """The dataflow findings of the project, by file; `keep` receives the finished solver (the
    cache keeps its state for the next edit's incremental solve)."""
    summaries: list[FileSummary] = [w.taint for w in works if w.taint is not None]
    if not summaries:
        return {}
    solver = Solver(summaries)
    flows = solver.flows()
    if keep is not None:
        keep(solver)
    return findings(flows, {w.result.path: w.active for w in works}, settings)


def findings(
    flows: Iterable[Flow], active: dict[str, frozenset[str]], settings: Settings
) -> dict[str, list[RawFinding]]:
    """One finding per sink and rule in force in the sink's file: the most certain flow."""
    # Sources whose peer is another service of the deployment (RPC over the message bus):
    # reachable only through a compromised service, so their flows are low confidence.
    service = load_models(settings.models).names_where("source", "peer", "service")
    # Ties are broken by the evidence and the source, never by the order flows were found in.
    best: dict[tuple[str, int, int, str], tuple[tuple[int, int, Trace, str, str], Flow]] = {}
    for flow in flows:
        rule = _by_kind().get((flow.sink.kind, flow.source_kind))
        if rule is None or rule.code not in active.get(flow.sink.path, frozenset()):
            continue
        key = (flow.sink.path, flow.sink.line, flow.sink.column, rule.code)
        rank = _confidence(rule, flow, service).rank * -1
        score = (rank, len(flow.trace), flow.trace, flow.source_kind, flow.source_api)
        if key not in best or score < best[key][0]:
            best[key] = (score, flow)
    out: dict[str, list[RawFinding]] = {}
    for (path, _, _, _), (_, flow) in sorted(best.items()):
        out.setdefault(path, []).append(
            _finding(_by_kind()[(flow.sink.kind, flow.source_kind)], flow, service)
        )
    return out


def _confidence(rule: type[DataflowRule], flow: Flow, service: frozenset[str]) -> Confidence:
    confidence = rule.confidence
    if PARTIAL in flow.cleared and confidence > Confidence.MEDIUM:
        confidence = Confidence.MEDIUM
    doubtful = flow.sink.kind in rule.doubtful_sinks
    if doubtful or flow.source_kind in _LOCAL_SOURCES or flow.source_api in service:
        confidence = Confidence.LOW
    return confidence


def _finding(rule: type[DataflowRule], flow: Flow, service: frozenset[str]) -> RawFinding:
    sink = flow.sink
    detail = f" {sink.detail}" if sink.detail else ""
    message = rule.flow_message.format(
        kind=flow.source_kind, source=flow.source_api, sink=sink.api, detail=detail
    )
    steps = [EvidenceStep(p, line, col, text) for p, line, col, text in flow.trace]
    steps.append(EvidenceStep(sink.path, sink.line, sink.column, f"reaches `{sink.api}`{detail}"))
    finding = Finding(
        code=rule.code, name=rule.name, cwe=rule.cwe, severity=rule.severity,
        confidence=_confidence(rule, flow, service), path=sink.path,
        location=Location(sink.line, sink.column, sink.end_line, sink.end_column),
        message=message, fix=rule.fix, source_line=sink.source_line, scope=sink.scope,
        snippet=sink.snippet, evidence=tuple(steps),
    )  # fmt: skip
    return RawFinding(finding, sink.statement)
