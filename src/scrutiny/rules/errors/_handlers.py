"""Parameters that carry an RPC message or a request: what SCR811 treats as outside input.

An RPC endpoint is a class whose body sets the `class_attribute` of an `entry-point` row
(`target = oslo_messaging.Target(...)`); its public methods' parameters come from the message.
A request handler is a function decorated with an `entry-point` row marked `handler`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from scrutiny.engine.context import Context
from scrutiny.engine.scopes import BindingKind
from scrutiny.rules.files._concurrency import endpoint_marker


@dataclass(frozen=True, slots=True)
class HandlerParameter:
    parameter: str
    what: str  # "a parameter of the RPC endpoint method `port_update`"


def handler_parameter(expr: ast.expr, ctx: Context) -> HandlerParameter | None:
    """The handler parameter `expr` is, or reads from (`p`, `p["k"]`, `p.get("k")`, `p.x`)."""
    root = expr
    while isinstance(root, ast.Subscript | ast.Attribute | ast.Call):
        if isinstance(root, ast.Call):
            if not isinstance(root.func, ast.Attribute) or root.func.attr != "get":
                return None  # a call computes something else from the parameter
            root = root.func.value
        else:
            root = root.value
    function = ctx.enclosing_function()
    if not isinstance(root, ast.Name) or function is None or root.id not in _parameters(function):
        return None
    binding = ctx.binding(root.id)
    if binding is not None and binding.kind is not BindingKind.PARAM:
        return None  # rebound in the function: no longer what the caller sent
    kind = _handler_kind(function, ctx)
    return None if kind is None else HandlerParameter(root.id, f"a parameter of the {kind} `{function.name}`")


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    names = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return {n for n in names if n not in {"self", "cls", "context", "ctxt"}}


def _handler_kind(function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> str | None:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        entry = ctx.api(target, "entry-point")
        if entry is not None and entry.get("handler"):
            return "request handler"
    cls = ctx.enclosing_class()
    if cls is None or function not in cls.body or function.name.startswith("_"):
        return None
    return "RPC endpoint method" if endpoint_marker(cls, ctx) is not None else None
