"""Django query methods that take raw SQL; shared by SCR109 and SCR110."""

from __future__ import annotations

import ast
from typing import Final

from scrutiny.engine.context import Context
from scrutiny.engine.model import Entry
from scrutiny.engine.scopes import BindingKind
from scrutiny.findings import Confidence
from scrutiny.rules.injection._sql import KIND, method_rows
from scrutiny.rules.injection._text import MARK, is_constant, template

_API = "django-sql"
# What the SQL is, by how sure `sql_doubt` is that run-time text reaches it.
WHAT: Final = {
    Confidence.MEDIUM: "SQL built at run time",
    Confidence.LOW: "SQL that is not fixed in the source",
}


def django_sql_call(call: ast.Call, ctx: Context, method: str, *, loose: bool = False) -> Entry | None:
    """The `django-sql` row for a call to the named API, when `call` is one.

    A method on a receiver of unknown type counts when the receiver goes through a manager
    (`Model.objects...`), or, with `loose` (a method name rare outside Django), when the file
    imports Django.
    """
    entry = ctx.api(call.func, _API)
    if entry is not None:
        return entry if entry.name.rpartition(".")[2] == method else None
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != method:
        return None
    rows = method_rows(method, ctx, "api", _API)
    if rows and (_on_manager(func.value, ctx) or (loose and _imports_django(ctx))):
        return rows[0]
    return None


def sql_doubt(expr: ast.expr, ctx: Context) -> Confidence | None:
    """None when `expr` is fixed SQL; else how sure it is that run-time text reaches the SQL.

    SQL built right here (or in the assignment of the variable passed) from run-time values
    is the rule's confidence; an opaque value (a parameter, a call) is low confidence.
    """
    if isinstance(expr, ast.Name):
        binding = ctx.binding(expr.id)
        if binding is not None and binding.kind is BindingKind.ASSIGN and binding.value is not None:
            expr = binding.value
    if is_constant(expr, ctx):
        return None
    built = isinstance(expr, ast.BinOp | ast.JoinedStr | ast.Call)
    if built and MARK not in template(expr, ctx, KIND):
        return None  # built only from fixed text, numbers and escaped values
    if (built and not isinstance(expr, ast.Call)) or _str_method(expr):
        return Confidence.MEDIUM
    return Confidence.LOW


def _str_method(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr in ("format", "replace")
    )


def _on_manager(expr: ast.expr, ctx: Context) -> bool:
    """`Model.objects.filter(...)`: a receiver chain through a manager called `objects`."""
    if isinstance(expr, ast.Name):  # `users = User.objects.filter(...)`, then `users.extra(...)`
        binding = ctx.binding(expr.id)
        if binding is not None and binding.kind is BindingKind.ASSIGN and binding.value is not None:
            expr = binding.value
    while isinstance(expr, ast.Attribute | ast.Call):
        if isinstance(expr, ast.Attribute) and expr.attr == "objects":
            return True
        expr = expr.value if isinstance(expr, ast.Attribute) else expr.func
    return False


def _imports_django(ctx: Context) -> bool:
    return any(
        b.kind is BindingKind.IMPORT
        and b.qualname is not None
        and (b.qualname == "django" or b.qualname.startswith("django."))
        for scope in ctx.stack
        for b in scope.bindings.values()
    )
