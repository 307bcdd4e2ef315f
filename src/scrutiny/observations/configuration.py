"""Configuration and constants: options read from oslo.config objects, configuration objects
handed to other code, constants taken from other modules, and hard-coded addresses and paths."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from scrutiny.engine.scopes import BindingKind
from scrutiny.findings import Observation
from scrutiny.observations.common import listing, note, plural
from scrutiny.observations.facts import Facts

CATEGORY = "configuration-and-constants"
_ADDRESS = re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?$")
_PATH = re.compile(r"^/(?:etc|var|tmp|run|usr|opt|proc|sys|dev|root|home)(?:/|$)")
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")


def observe(facts: Facts) -> Iterator[Observation]:
    yield from _options(facts)
    yield from _imported_constants(facts)
    yield from _literals(facts)


def _is_config(expr: ast.expr, facts: Facts) -> bool:
    if facts.row("config-object", expr) is not None:
        return True
    last = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else None
    return last is not None and any(
        last in row.get("receivers", ()) for row in facts.models.all("api", "config-object")
    )


def _options(facts: Facts) -> Iterator[Observation]:
    reads: dict[str, list[int]] = {}
    passed: dict[str, list[int]] = {}
    called = {id(c.func) for c in facts.calls}
    outer = {id(n.value): n for n in _all(facts) if isinstance(n, ast.Attribute)}
    for node in _all(facts):
        if isinstance(node, ast.Attribute) and _is_config(node.value, facts) and id(node) not in called:
            if _is_config(node, facts):  # `self.conf` itself is the object, not an option
                continue
            group = outer.get(id(node))  # `CONF.AGENT.root_helper`: the option of a group
            read = group if group is not None and id(group) not in called else node
            reads.setdefault(facts.text(read), []).append(node.lineno)
        elif isinstance(node, ast.Call):
            for arg in [*node.args, *(kw.value for kw in node.keywords)]:
                if _is_config(arg, facts):
                    passed.setdefault(
                        f"`{facts.text(arg)}` is passed to `{facts.text(node.func)}`", []
                    ).append(arg.lineno)
    for option, lines in reads.items():
        yield note(CATEGORY, lines, f"reads option `{option}`.")
    for text, lines in passed.items():
        yield note(CATEGORY, lines, f"{text}, which reads its options outside this file.")


def _imported_constants(facts: Facts) -> Iterator[Observation]:
    """`lib_constants.SNAT_INT_DEV_PREFIX`: upper-case attributes of an imported module."""
    by_module: dict[str, tuple[int, list[str], list[int]]] = {}
    for node in _all(facts):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and _CONSTANT.match(node.attr)
        ):
            binding = facts.bindings.get(id(node.value))
            if binding is None or binding.kind is not BindingKind.IMPORT or binding.qualname is None:
                continue
            entry = by_module.setdefault(binding.qualname, (getattr(binding.node, "lineno", 0), [], []))
            entry[1].append(node.attr)
            entry[2].append(node.lineno)
    for module, (imported, attrs, lines) in sorted(by_module.items(), key=lambda kv: kv[1][0]):
        names = listing(sorted(set(attrs)), 5)
        count = plural(len(set(attrs)), "constant")
        text = f"uses {count} of `{module}` (imported at line {imported}): {names}."
        yield note(CATEGORY, lines, text)


def _literals(facts: Facts) -> Iterator[Observation]:
    found: dict[tuple[str, str], list[int]] = {}
    for node in _all(facts):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value.strip()
            what = "address" if _ADDRESS.match(value) else "path" if _PATH.match(value) else None
            if what is not None:
                found.setdefault((what, value), []).append(node.lineno)
    for (what, value), lines in found.items():
        yield note(CATEGORY, lines, f"hard-codes the {what} `{value}`.")


def _all(facts: Facts) -> Iterator[ast.AST]:
    return ast.walk(facts.source.tree)
