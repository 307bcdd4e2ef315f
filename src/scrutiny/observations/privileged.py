"""Privileged operations: commands run as root (`run_as_root=True`, a root helper, `privileged`
rows) and privsep entrypoints, whose bodies run in the root daemon."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.model import Entry
from scrutiny.findings import Observation
from scrutiny.observations.common import note
from scrutiny.observations.facts import Facts
from scrutiny.observations.firewall import summary
from scrutiny.observations.network import Op

CATEGORY = "privileged-operations"


def observe(facts: Facts, ops: list[Op]) -> Iterator[Observation]:
    found = False
    entrypoints = {id(fn): fn for fn in facts.functions if _entrypoint(fn, facts)}
    for fn in entrypoints.values():
        found = True
        yield note(CATEGORY, [fn.lineno], f"`{fn.name}` is a privsep entrypoint: its body runs as root.")
    for call in facts.calls:
        text = _call(call, facts)
        inside = entrypoints.get(id(facts.function(call)))
        if text is not None and inside is not None:
            text = (
                text[: text.index("` ") + 1]
                + f" runs as root: it is inside the privsep entrypoint `{inside.name}`."
            )
        if text is not None:
            found = True
            yield note(CATEGORY, [call.lineno], text)
    if not found and facts.functions:  # a file of constants or imports: saying so is filler
        yield note(CATEGORY, [], "No command is run and no privsep entrypoint is defined in this file.")
    network = summary(ops)
    if network is not None:
        yield network


def _call(call: ast.Call, facts: Facts) -> str | None:
    code = facts.text(call, 90)
    root = _keyword(call, "run_as_root")
    if isinstance(root, ast.Constant) and root.value is True:
        return f"`{code}` runs as root (`run_as_root=True`)."
    if root is not None and not isinstance(root, ast.Constant):
        return f"`{code}` runs as root when `{facts.text(root)}` is true."
    if _keyword(call, "root_helper") is not None:
        return f"`{code}` runs through a root helper (`root_helper=`)."
    name = facts.qualname(call.func)
    row = facts.models.lookup("api", name, "privileged") or _package(name, facts)
    if row is None and facts.models.lookup("sink", name, "command-injection") is not None:
        return f"`{code}` runs a command."
    return f"`{code}` {row.get('how')}." if row is not None else None


def _entrypoint(fn: ast.FunctionDef | ast.AsyncFunctionDef, facts: Facts) -> bool:
    """Decorated with `<privileged package>.<context>.entrypoint`."""
    return any(
        isinstance(d, ast.Attribute)
        and d.attr == "entrypoint"
        and _package(facts.qualname(d), facts) is not None
        for d in fn.decorator_list
    )


def _package(name: str | None, facts: Facts) -> Entry | None:
    """The `prefix` row of the privileged package `name` is in (`neutron.privileged`)."""
    if name is None:
        return None
    for row in facts.models.all("api", "privileged"):
        if row.get("prefix", False) and name.startswith(row.name + "."):
            return row
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)
