"""Is a piece of HTML fixed in the source? The question behind `mark_safe` and `Markup`.

The engine's folding follows a name to its last assignment only. Marking text safe is risky
when *any* assignment that can reach the call carries outside data (`try`/`except` branches,
loops, a parameter reassigned under a condition), so this module looks at every assignment of
the name in its scope: the ones before the call, and all of them inside a loop around it or
when the name belongs to an enclosing scope (which may run its assignments at any time).
Escaping calls and renderers with escaped output count as fixed text.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from scrutiny.engine.context import Context
from scrutiny.engine.scopes import BindingKind, Scope, lookup

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_NAMED = (ast.ExceptHandler, ast.MatchAs, ast.MatchStar, *_NESTED)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_STRING_METHODS = frozenset({"format", "join", "strip", "upper", "lower", "replace"})


@dataclass
class _Walk:
    ctx: Context
    loops: list[tuple[int, int]]  # line spans of the loops around the call
    busy: set[int] = field(default_factory=set)  # assignments being evaluated (cycles)


def is_static_html(expr: ast.expr, ctx: Context) -> bool:
    """True when `expr` can only be text written in the source, or text already escaped."""
    loops = [(a.lineno, a.end_lineno or a.lineno) for a in ctx.ancestors() if isinstance(a, _LOOPS)]
    line = getattr(expr, "lineno", 0)
    return _static(expr, _Walk(ctx, loops), ctx.stack, line)


def _static(expr: ast.expr | None, walk: _Walk, stack: list[Scope], line: int) -> bool:
    if expr is None:
        return True
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.Name):
        return _static_name(expr.id, walk, stack, line)
    if isinstance(expr, ast.FormattedValue):
        return _static(expr.value, walk, stack, line)
    if isinstance(expr, ast.JoinedStr | ast.List | ast.Tuple | ast.Set):
        items = expr.values if isinstance(expr, ast.JoinedStr) else expr.elts
        return all(_static(e, walk, stack, line) for e in items)
    if isinstance(expr, ast.Starred):
        return _static(expr.value, walk, stack, line)
    if isinstance(expr, ast.Dict):
        return all(_static(e, walk, stack, line) for e in [*expr.keys, *expr.values])
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
        return _static(expr.left, walk, stack, line) and _static(expr.right, walk, stack, line)
    if isinstance(expr, ast.IfExp):
        return _static(expr.body, walk, stack, line) and _static(expr.orelse, walk, stack, line)
    if isinstance(expr, ast.Call):
        return _static_call(expr, walk, stack, line)
    return False


def _static_call(call: ast.Call, walk: _Walk, stack: list[Scope], line: int) -> bool:
    ctx = walk.ctx
    name = ctx.qualified_name(call.func)
    if name is not None:
        models = ctx.models
        escaped = models.lookup("sanitizer", name, "xss") or models.lookup("sanitizer", name, "all")
        if escaped or models.lookup("api", name, "mark-safe"):
            return True  # escaped, typed (`int`), or marked safe by a call reported itself
        renderer = models.lookup("api", name, "template-engine")
        return renderer is not None and bool(renderer.get("escaped_output"))
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _STRING_METHODS:
        parts = [func.value, *call.args, *(kw.value for kw in call.keywords)]
        return all(_static(p, walk, stack, line) for p in parts)
    return False


def _static_name(name: str, walk: _Walk, stack: list[Scope], line: int) -> bool:
    binding = lookup(stack, name)
    if binding is None or binding.kind not in (BindingKind.ASSIGN, BindingKind.OTHER):
        return False  # imports, parameters, functions: not text we can see
    depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].bindings.get(name) is binding), None)
    if depth is None:
        return False
    owner = stack[: depth + 1]
    scope = owner[-1]
    if _is_parameter(scope.node, name):
        return False
    same_scope = depth == len(stack) - 1
    for assignment, value, found in _assignments(scope.node, name):
        if same_scope and not _reaches(assignment, line, walk.loops):
            continue
        if not found:
            return False
        if id(assignment) in walk.busy:
            continue  # a cycle through loops adds no new text
        walk.busy.add(id(assignment))
        ok = _static(value, walk, owner, getattr(assignment, "lineno", 0))
        walk.busy.discard(id(assignment))
        if not ok:
            return False
    return True


def _reaches(assignment: ast.AST, line: int, loops: list[tuple[int, int]]) -> bool:
    at = getattr(assignment, "lineno", 0)
    return at < line or any(start <= at <= end for start, end in loops)


def _is_parameter(scope: ast.AST, name: str) -> bool:
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        return False
    args = scope.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return any(a is not None and a.arg == name for a in every)


def _assignments(scope: ast.AST, name: str) -> Iterator[tuple[ast.AST, ast.expr | None, bool]]:
    """(statement, assigned value, value known) for each binding of `name` in `scope`."""
    body = scope.body if isinstance(scope, ast.Lambda) else getattr(scope, "body", [])
    todo: list[ast.AST] = [body] if isinstance(body, ast.expr) else list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for value, known in _match(target, node.value, name):
                    yield node, value, known
        elif _binds_unknown(node, name):
            yield node, None, False
        if not isinstance(node, (*_NESTED, *_COMPREHENSIONS)):
            todo.extend(ast.iter_child_nodes(node))  # nested bodies are other scopes


def _binds_unknown(node: ast.AST, name: str) -> bool:
    """Whether `node` binds `name` to a value that is not a plain assignment's."""
    if isinstance(node, ast.For | ast.AsyncFor):
        return _binds(node.target, name)
    if isinstance(node, ast.withitem):
        return node.optional_vars is not None and _binds(node.optional_vars, name)
    if isinstance(node, ast.Import | ast.ImportFrom):
        # `import a.b` binds `a`; `from m import b` binds `b`.
        return any((a.asname or a.name.partition(".")[0]) == name for a in node.names)
    if isinstance(node, _NAMED):
        return getattr(node, "name", None) == name
    return False


def _match(target: ast.expr, value: ast.expr | None, name: str) -> Iterator[tuple[ast.expr | None, bool]]:
    if isinstance(target, ast.Name):
        if target.id == name:
            yield value, value is not None
    elif isinstance(target, ast.Tuple | ast.List):
        values = value.elts if isinstance(value, ast.Tuple | ast.List) else None
        if values is not None and len(values) != len(target.elts):
            values = None
        for i, element in enumerate(target.elts):
            yield from _match(element, values[i] if values else None, name)
    elif isinstance(target, ast.Starred):
        yield from _match(target.value, None, name)


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))
