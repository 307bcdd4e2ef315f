"""Logging: the loggers, what each level logs, and whether a value named like a secret reaches
a log record without `strutils.mask_password`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.findings import Observation
from scrutiny.observations.common import LOG_LEVELS, listing, note, plural
from scrutiny.observations.facts import Facts
from scrutiny.rules.secrets._vocabulary import vocabulary

CATEGORY = "logging"


def loggers(facts: Facts) -> dict[int, ast.Assign]:
    """Assignments that make a logger, by node id (`LOG = logging.getLogger(__name__)`)."""
    found: dict[int, ast.Assign] = {}
    for node in ast.walk(facts.source.tree):
        call = node.value if isinstance(node, ast.Assign) else None
        if isinstance(call, ast.Call) and facts.row("logger", call.func) is not None:
            found[id(node)] = node  # type: ignore[assignment]  # only an Assign has a Call value here
    return found


def log_calls(facts: Facts) -> list[ast.Call]:
    """`LOG.debug(...)` on a logger made in this file, and `logging.info(...)`-style calls."""
    targets = {id(t) for assign in loggers(facts).values() for t in assign.targets}
    modules = {e.name for e in facts.models.all("api", "observed-module") if e.get("category") == CATEGORY}
    calls = []
    for call in facts.calls:
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in LOG_LEVELS):
            continue
        receiver = func.value
        binding = facts.bindings.get(id(receiver)) if isinstance(receiver, ast.Name) else None
        if (binding is not None and id(binding.node) in targets) or facts.qualname(receiver) in modules:
            calls.append(call)
    return calls


def observe(facts: Facts) -> Iterator[Observation]:
    for assign in loggers(facts).values():
        target = listing(facts.text(t) for t in assign.targets)
        yield note(CATEGORY, [assign.lineno], f"{target} is a logger made by `{facts.text(assign.value)}`.")
    calls = log_calls(facts)
    by_level: dict[str, list[ast.Call]] = {}
    for call in calls:
        assert isinstance(call.func, ast.Attribute)
        by_level.setdefault(facts.text(call.func), []).append(call)
    vocab = vocabulary(facts.models)
    for name, group in by_level.items():
        values = [v for c in group for v in _logged(c) if not _masked(facts, v)]
        risky = [v for v in values if any(vocab.category(n) for n in _names(v))]
        what = f" {listing(facts.text(v, 40) for v in values)}" if values else " fixed messages only"
        judged = "; none is named like a password, token or key" if values and not risky else ""
        yield note(
            CATEGORY,
            [c.lineno for c in group],
            f"`{name}` ({plural(len(group), 'call')}) logs{what}{judged}.",
        )
        for value in risky:
            text = f"`{facts.text(value, 40)}` is named like a secret and reaches `{name}` unmasked."
            yield note(CATEGORY, [value.lineno], text)


def _logged(call: ast.Call) -> list[ast.expr]:
    """The values a log call formats into its message (everything after the format string)."""
    args = call.args[1:] if call.args and isinstance(call.args[0], ast.Constant) else call.args
    values: list[ast.expr] = []
    for arg in [*args, *(kw.value for kw in call.keywords if kw.arg not in ("exc_info", "stack_info"))]:
        values.extend(arg.values if isinstance(arg, ast.Dict) else [arg])
    return values


def _masked(facts: Facts, value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and facts.row("secret-mask", value.func) is not None


def _names(value: ast.expr) -> list[str]:
    """Identifiers a value is known by: names, attributes, constant subscript keys."""
    found: list[str] = []
    for node in ast.walk(value):
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            found.append(str(node.slice.value))
    return found
