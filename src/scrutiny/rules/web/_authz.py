"""What SCR220 and SCR221 share: API controller handlers and the authorization checks in them.

Every API name comes from `models/authz.toml`: controller base classes, check functions and
methods, the `is_admin` flag, the words that name a check helper, and loads of a resource by id.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.engine.model import Entry

_ID_PARAM = re.compile(r"(?:.+_)?(?:id|uuid)$")
_REQUEST_PARAMS = frozenset({"req", "request"})
_MAX_DEPTH = 2  # the handler itself, then one level into local helpers
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _module_classes(ctx: Context) -> dict[str, ast.ClassDef]:
    memo = ctx.file_memo.get("authz-classes")
    if memo is None:
        body = ctx.source.tree.body
        memo = ctx.file_memo["authz-classes"] = {n.name: n for n in body if isinstance(n, ast.ClassDef)}
    return memo


def controller_entry(cls: ast.ClassDef, ctx: Context, seen: int = 0) -> Entry | None:
    """The `api-controller` row `cls` derives from, through bases defined in the same module."""
    for base in cls.bases:
        entry = ctx.api(base, "api-controller")
        if entry is not None:
            return entry
        local = _module_classes(ctx).get(base.id) if isinstance(base, ast.Name) else None
        if local is not None and local is not cls and seen < 8:
            entry = controller_entry(local, ctx, seen + 1)
            if entry is not None:
                return entry
    return None


def exposed(func: FunctionNode, ctx: Context) -> bool:
    """Decorated by a framework's `expose` (`api-controller` rows with `decorator = true`)."""
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        entry = ctx.api(target, "api-controller")
        if entry is not None and entry.get("decorator"):
            return True
    return False


def handler_subject(func: FunctionNode, ctx: Context) -> str | None:
    """What a handler acts on: its first id parameter, `body`, or the URL's `**kwargs`; None
    when the method is not a request handler or acts on nothing named by the request. Handlers
    take the request after `self` (`req`), or are exposed by a decorator (pecan)."""
    params = [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]
    names = [p.arg for p in params]
    if func.name.startswith("_") or len(names) < 2:
        return None
    if names[1] in _REQUEST_PARAMS:
        names = names[1:]
    elif not exposed(func, ctx):
        return None
    for name in names[1:]:
        if _ID_PARAM.fullmatch(name):
            return f"`{name}`"
    if "body" in names[1:]:
        return "the request body"
    if func.args.kwarg is not None:
        return "the URL's parameters"
    return None


def is_id_param(name: str) -> bool:
    return _ID_PARAM.fullmatch(name) is not None


def check_entry(call: ast.Call, ctx: Context) -> Entry | None:
    """The `authz-check` row a call matches: by qualified name, or by method name."""
    entry = ctx.api(call.func, "authz-check")
    if entry is not None or not isinstance(call.func, ast.Attribute):
        return entry
    for row in ctx.models.all("api", "authz-check"):
        if row.get("method") and not row.get("attribute") and row.name.rsplit(".", 1)[-1] == call.func.attr:
            return row
    return None


def _named_like_check(func: ast.expr, ctx: Context) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    row = ctx.models.lookup("api", "authz-vocabulary.words", "vocabulary")
    words = set(row.get("words", ())) if row is not None else set()
    return bool(words & set(name.lower().split("_")))


def _is_check(node: ast.AST, ctx: Context) -> bool:
    if isinstance(node, ast.Call):
        return check_entry(node, ctx) is not None or _named_like_check(node.func, ctx)
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
        return any(
            row.get("attribute") and row.name.rsplit(".", 1)[-1] == node.attr
            for row in ctx.models.all("api", "authz-check")
        )
    return False


def decorated_check(func: FunctionNode, ctx: Context) -> bool:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ctx.api(target, "authz-check") is not None or _named_like_check(target, ctx):
            return True
    return False


def has_check(func: FunctionNode, cls: ast.ClassDef | None, ctx: Context) -> bool:
    """A check in `func`, its decorators, or (one level down) a local helper it calls."""
    if decorated_check(func, ctx):
        return True
    return _reaches(func, cls, ctx, _is_check)


def uses_proxy(func: FunctionNode, cls: ast.ClassDef, ctx: Context) -> bool:
    """`func` (or a local helper) calls a client of another service, set up in `__init__`."""
    clients = _proxy_fields(cls, ctx)
    if not clients:
        return False

    def proxied(node: ast.AST, _: Context) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr in clients
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        )

    return _reaches(func, cls, ctx, proxied)


def _proxy_fields(cls: ast.ClassDef, ctx: Context) -> set[str]:
    """`self.x = glance.API()` in the class's `__init__`: fields holding a `proxy-client`."""
    fields: set[str] = set()
    for init in _methods(cls, "__init__", ctx):
        for node in ast.walk(init):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                if ctx.api(node.value.func, "proxy-client") is None:
                    continue
                fields.update(t.attr for t in node.targets if isinstance(t, ast.Attribute))
    return fields


def _reaches(func: FunctionNode, cls: ast.ClassDef | None, ctx: Context,
             found: Callable[[ast.AST, Context], bool], depth: int = 1) -> bool:  # fmt: skip
    helpers: list[FunctionNode] = []
    for node in ast.walk(func):
        if found(node, ctx):
            return True
        if isinstance(node, ast.Call) and depth < _MAX_DEPTH:
            helpers += _local_callees(node, func, cls, ctx)
    return any(_reaches(h, cls, ctx, found, depth + 1) for h in helpers if h is not func)


def acts(func: FunctionNode, cls: ast.ClassDef, ctx: Context) -> bool:
    """The handler does something: not only raise (a removed API answering 410 Gone), and it
    (or a local helper) reads the caller's request context, without which it cannot act on the
    caller's behalf (version documents and other public data need none)."""
    body = func.body[1:] if ast.get_docstring(func) is not None else func.body
    if all(_only_raises(stmt, ctx) for stmt in body):
        return False
    return _reaches(func, cls, ctx, lambda node, _: _context_read(node))


def _only_raises(stmt: ast.stmt, ctx: Context) -> bool:
    if isinstance(stmt, ast.Raise | ast.Pass):
        return True
    if (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
    ):
        body = ctx.source.tree.body
        called = [n for n in body if isinstance(n, FunctionNode) and n.name == stmt.value.func.id]
        return bool(called) and isinstance(called[0].body[-1], ast.Raise)
    return False


def _context_read(node: ast.AST) -> bool:
    """`req.environ["nova.context"]`, `request.context`, or a name `context`."""
    if isinstance(node, ast.Attribute):
        return node.attr == "context"
    if isinstance(node, ast.Name):
        return node.id in ("context", "ctxt")
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.endswith(".context")
    return False


def _local_callees(
    call: ast.Call, func: FunctionNode, cls: ast.ClassDef | None, ctx: Context
) -> list[FunctionNode]:
    """`self.helper()` (this class or a base in this module) and `helper()` of this module."""
    target = call.func
    if (
        cls is not None
        and isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id in ("self", "cls")
    ):
        return list(_methods(cls, target.attr, ctx))
    if isinstance(target, ast.Name):
        body = ctx.source.tree.body
        return [n for n in body if isinstance(n, FunctionNode) and n.name == target.id]
    return []


def _methods(cls: ast.ClassDef, name: str, ctx: Context, seen: int = 0) -> Iterator[FunctionNode]:
    for node in cls.body:
        if isinstance(node, FunctionNode) and node.name == name:
            yield node
            return
    for base in cls.bases:
        local = _module_classes(ctx).get(base.id) if isinstance(base, ast.Name) else None
        if local is not None and local is not cls and seen < 8:
            yield from _methods(local, name, ctx, seen + 1)


def id_loaded(func: FunctionNode, ctx: Context) -> str | None:
    """The id parameter a `resource-load` call in `func` is given, if any."""
    params = {p.arg for p in (*func.args.args, *func.args.kwonlyargs) if is_id_param(p.arg)}
    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        entry = _load_entry(node, ctx)
        if entry is None:
            continue
        ids = [argument(node, p) for p in entry.args] + [argument(node, None, k) for k in entry.kwargs]
        if not entry.args and not entry.kwargs:
            ids = [*node.args, *(k.value for k in node.keywords)]
        for expr in ids:
            if isinstance(expr, ast.Name) and expr.id in params:
                return expr.id
    return None


def _load_entry(call: ast.Call, ctx: Context) -> Entry | None:
    entry = ctx.api(call.func, "resource-load")
    if entry is not None or not isinstance(call.func, ast.Attribute):
        return entry
    for row in ctx.models.all("api", "resource-load"):
        if row.get("method") and row.name.rsplit(".", 1)[-1] == call.func.attr:
            return row
    return None
