"""Which functions are entry points, what type a value has, and which checks are guards.

All of it is answered from the models (`entrypoint` source rows, `guard` sanitizer rows), so a
new framework is a model file, not code.
"""

from __future__ import annotations

import ast
import fnmatch

from scrutiny.engine.context import Context
from scrutiny.engine.model import Entry
from scrutiny.engine.scopes import BindingKind

ENTRYPOINT_KINDS = ("decorator", "param-type", "param-name", "base-class", "class-attribute")


def instance_type(ctx: Context, expr: ast.expr) -> str | None:
    """The class a local name was constructed from (`app = Flask(...)` -> `flask.Flask`); a
    `factory` row names the class a function returns (`logging.getLogger` -> `logging.Logger`)."""
    if isinstance(expr, ast.Name):
        binding = ctx.binding(expr.id)
        if binding is not None and binding.kind is BindingKind.ASSIGN and isinstance(binding.value, ast.Call):
            return _product(ctx, ctx.qualified_name(binding.value.func))
    if isinstance(expr, ast.Call):
        return _product(ctx, ctx.qualified_name(expr.func))
    return None


def _product(ctx: Context, name: str | None) -> str | None:
    factory = ctx.models.lookup("api", name, "factory")
    returns = factory.get("returns") if factory is not None else None
    return returns if isinstance(returns, str) else name


def member_name(ctx: Context, expr: ast.expr) -> str | None:
    """`flask.Flask.route` for `app.route` when `app = Flask(...)`; else the qualified name."""
    name = ctx.qualified_name(expr)
    if name is not None:
        return name
    if isinstance(expr, ast.Attribute):
        owner = instance_type(ctx, expr.value)
        if owner is not None:
            return f"{owner}.{expr.attr}"
    return None


_ENTRIES: dict[tuple[int, str], list[Entry]] = {}


def _entries(ctx: Context, kind: str) -> list[Entry]:
    """Source rows of one entry-point kind (models are loaded once per process)."""
    key = (id(ctx.models), kind)
    if key not in _ENTRIES:
        _ENTRIES[key] = [e for e in ctx.models.all("source") if e.get("entrypoint") == kind]
    return _ENTRIES[key]


def decorated_entry(ctx: Context, func: ast.FunctionDef | ast.AsyncFunctionDef) -> Entry | None:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = member_name(ctx, target)
        entry = ctx.models.lookup("source", name)
        if entry is not None and entry.get("entrypoint") == "decorator":
            return entry
        if isinstance(target, ast.Attribute) and instance_type(ctx, target.value) is None:
            # `@app.route` with `app` imported from another module: its type is not visible here,
            # so rows marked `method = true` match by method name.
            for entry in _entries(ctx, "decorator"):
                if entry.get("method") and entry.name.rsplit(".", 1)[-1] == target.attr:
                    return entry
    return None


def param_entry(ctx: Context, module: str, arg: ast.arg) -> Entry | None:
    """A parameter tainted by its annotation's type or by its name in matching modules."""
    if arg.annotation is not None:
        entry = ctx.models.lookup("source", ctx.qualified_name(arg.annotation))
        if entry is not None and entry.get("entrypoint") == "param-type":
            return entry
    for entry in _entries(ctx, "param-name"):
        if arg.arg in entry.get("names", ()):
            modules = entry.get("modules")
            if modules and not any(fnmatch.fnmatchcase(module, m) for m in modules):
                continue
            # `imports`: only in files that import the framework (a `views` module of another
            # framework has `request` parameters of its own kind).
            if any(ctx.imports(m) for m in entry.get("imports", ())) or not entry.get("imports"):
                return entry
    return None


def base_class_entry(ctx: Context, cls: ast.ClassDef | None) -> Entry | None:
    if cls is None:
        return None
    for base in cls.bases:
        entry = ctx.models.lookup("source", ctx.qualified_name(base))
        if entry is not None and entry.get("entrypoint") == "base-class":
            return entry
    return None


def class_attribute_entry(ctx: Context, cls: ast.ClassDef | None) -> Entry | None:
    """`target = oslo_messaging.Target(...)` in a class body (or `self.target = ...` in its
    `__init__`): the class is an RPC endpoint. Rows name the call and the attribute (`attr`)."""
    if cls is None:
        return None
    for stmt in _class_assignments(cls):
        if not isinstance(stmt.value, ast.Call):
            continue
        entry = ctx.models.lookup("source", ctx.qualified_name(stmt.value.func))
        if entry is None or entry.get("entrypoint") != "class-attribute":
            continue
        for target in stmt.targets:
            name = target.id if isinstance(target, ast.Name) else None
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                name = target.attr  # `self.target = ...`
            if name == entry.get("attr"):
                return entry
    return None


def _class_assignments(cls: ast.ClassDef) -> list[ast.Assign]:
    out = [s for s in cls.body if isinstance(s, ast.Assign)]
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            out += [s for s in node.body if isinstance(s, ast.Assign)]
    return out


_METHOD_OWNERS = ("str", "pathlib.Path", "pathlib.PurePath")  # whose `method` rows match by name


def sanitizer(ctx: Context, call: ast.Call) -> Entry | None:
    """The sanitizer row for a call: by qualified name, or by method name for `method` rows."""
    return named_sanitizer(ctx, call, member_name(ctx, call.func))


def named_sanitizer(ctx: Context, call: ast.Call, name: str | None) -> Entry | None:
    """`sanitizer` for a caller that has the call's `member_name` already."""
    entry = ctx.models.lookup("sanitizer", name)
    if entry is not None:
        return entry
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ctx.models.last_names("sanitizer", None):
        for owner in _METHOD_OWNERS:
            entry = ctx.models.lookup("sanitizer", f"{owner}.{func.attr}")
            if entry is not None and entry.get("method"):
                return entry
    return None
