"""Starting a function's analysis, and naming the project functions a call may reach."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from scrutiny.engine.model import Entry
from scrutiny.engine.scopes import BindingKind, ScopeKind
from scrutiny.engine.taint import frameworks as fw
from scrutiny.engine.taint.ir import FunctionSummary, Taint

if TYPE_CHECKING:
    from scrutiny.engine.taint.local import FileAnalysis, FunctionAnalysis


def enter_function(owner: FileAnalysis, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
    from scrutiny.engine.taint.local import FunctionAnalysis, iter_params

    if isinstance(node, ast.Lambda):
        return  # lambdas have no name to call them by; their bodies are expressions
    ctx = owner.ctx
    qualname = f"{owner.module}.{ctx.scope_path}"
    outer_scope = ctx.stack[-2] if len(ctx.stack) > 1 else None
    outer = owner.finals.get(id(outer_scope.node)) if outer_scope is not None else None
    analysis = FunctionAnalysis(owner, node, qualname, outer)
    params = list(iter_params(node))
    is_method = outer_scope is not None and outer_scope.kind is ScopeKind.CLASS
    static = any(ctx.qualified_name(d) == "builtins.staticmethod" for d in node.decorator_list)
    if is_method and params and not static:
        analysis.self_name = params[0].arg
    summary = FunctionSummary(qualname, ctx.path, node.lineno, [p.arg for p in params])
    summary.classmethod = is_method and any(
        ctx.qualified_name(d) == "builtins.classmethod" for d in node.decorator_list
    )
    entry = fw.decorated_entry(ctx, node)
    rpc = _rpc_entry(analysis, node) if entry is None else None
    first = 1 if analysis.self_name is not None else 0
    for index, param in enumerate(params):
        if param.arg == analysis.self_name:
            continue
        taint: Taint = {(("param", qualname, index), frozenset()): ()}
        typed = entry or (rpc if index > first else None) or fw.param_entry(ctx, owner.module, param)
        if typed is not None and typed.get("attrs"):
            analysis.attr_sources[param.arg] = typed  # only these attributes carry the data
        elif typed is not None:
            source = analysis.new_source(typed.kind, typed.name, param)
            summary.entry[index] = source
            taint = {**taint, **source}
        analysis.env[param.arg] = taint
    _defaults(analysis, node, params, summary)
    analysis.run(node.body)
    summary.returns = analysis.returns
    owner.finals[id(node)] = analysis.env
    owner.add_function(summary)


def _rpc_entry(analysis: FunctionAnalysis, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Entry | None:
    """Public methods of an RPC endpoint class: the dispatcher calls them by the name a message
    gives, never names starting with `_`; the first argument after `self` is the request context."""
    if analysis.self_name is None or node.name.startswith("_"):
        return None
    return fw.class_attribute_entry(analysis.ctx, analysis.cls)


def _defaults(analysis: FunctionAnalysis, node: ast.FunctionDef | ast.AsyncFunctionDef,
              params: list[ast.arg], summary: FunctionSummary) -> None:  # fmt: skip
    positional = [*node.args.posonlyargs, *node.args.args]
    offset = len(positional) - len(node.args.defaults)
    pairs = [(positional[offset + i], d) for i, d in enumerate(node.args.defaults)]
    pairs += [
        (a, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d is not None
    ]
    for arg, default in pairs:
        taint = analysis.expr(default)
        if taint:
            index = params.index(arg)
            summary.defaults[index] = taint
            analysis.env[arg.arg] = {**analysis.env[arg.arg], **taint}


def absolute(owner: FileAnalysis, name: str) -> str:
    """`.utils.run` inside package `pkg.sub` -> `pkg.sub.utils.run`."""
    if not name.startswith("."):
        return name
    level = len(name) - len(name.lstrip("."))
    parts = owner.module.split(".")
    package = parts if owner.is_package else parts[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    rest = name[level:]
    return ".".join([*base, rest]) if rest else ".".join(base)


Candidate = tuple[str, bool]  # qualified name, and whether the call passes `self` implicitly


def callees(owner: FileAnalysis, analysis: FunctionAnalysis, call: ast.Call) -> tuple[Candidate, ...]:
    """Project functions `call` may reach, best first; () if none."""
    found = _candidates(owner, analysis, call.func)
    return tuple(c for c in found if c[0].removeprefix("super:").split(".", 1)[0] in owner.project)


def _candidates(owner: FileAnalysis, analysis: FunctionAnalysis, func: ast.expr) -> tuple[Candidate, ...]:
    ctx = owner.ctx
    if isinstance(func, ast.Name):
        binding = ctx.binding(func.id)
        if binding is None:
            return ()
        if binding.kind is BindingKind.DEF:
            return ((_local_def(owner, func.id), False),)
        if binding.kind is BindingKind.CLASS:
            return ((f"{_local_def(owner, func.id)}.__init__", True),)
        if binding.kind is BindingKind.IMPORT and binding.qualname:
            target = absolute(owner, binding.qualname)
            return ((target, False), (f"{target}.__init__", True))
        return ()
    if isinstance(func, ast.Attribute):
        value = func.value
        if isinstance(value, ast.Name) and value.id == analysis.self_name and analysis.cls is not None:
            return ((f"{owner.class_qual(analysis.cls)}.{func.attr}", True),)
        if (
            isinstance(value, ast.Call)
            and ctx.call_name(value) == "builtins.super"
            and analysis.cls is not None
        ):
            return ((f"super:{owner.class_qual(analysis.cls)}.{func.attr}", True),)
        name = ctx.qualified_name(func)
        if name is not None:
            target = absolute(owner, name)
            return ((target, False), (f"{target}.__init__", True))
        owner_type = fw.instance_type(ctx, value)
        if owner_type is not None:
            return ((f"{absolute(owner, owner_type)}.{func.attr}", True),)
    return ()


def class_bases(owner: FileAnalysis) -> dict[str, list[str]]:
    """Top-level classes of the module and the qualified names of their bases."""
    out: dict[str, list[str]] = {}
    for node in owner.ctx.source.tree.body:
        if isinstance(node, ast.ClassDef):
            bases = []
            for base in node.bases:
                name = owner.ctx.qualified_name(base)
                if name is None and isinstance(base, ast.Name):
                    name = f"{owner.module}.{base.id}"
                if name is not None:
                    bases.append(absolute(owner, name))
            out[f"{owner.module}.{node.name}"] = bases
    return out


def _local_def(owner: FileAnalysis, name: str) -> str:
    """The qualified name of a function or class defined in this file and visible here."""
    stack = owner.ctx.stack
    for depth in range(len(stack) - 1, -1, -1):
        scope = stack[depth]
        if scope.kind is ScopeKind.CLASS and depth != len(stack) - 1:
            continue
        if name in scope.bindings:
            path = [s.name for s in stack[1 : depth + 1] if s.kind in (ScopeKind.CLASS, ScopeKind.FUNCTION)]
            return ".".join([owner.module, *path, name])
    return f"{owner.module}.{name}"
