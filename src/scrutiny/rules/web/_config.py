"""Shared lookups for the web rules: configuration writes and framework objects.

Frameworks read their switches from three places, which these helpers present alike as
`(key, value, node)`: a module or class constant (`DEBUG = True` in Django settings or a Flask
config class), an item of an app's `config` mapping (`app.config["DEBUG"] = True`,
`app.config.update(DEBUG=True)`), and an attribute of `django.conf.settings`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import NamedTuple

from scrutiny.engine.context import Context
from scrutiny.engine.model import Entry
from scrutiny.engine.scopes import BindingKind, ScopeKind

_CONFIG_UPDATES = frozenset({"update", "from_mapping", "setdefault"})


class SettingWrite(NamedTuple):
    key: str
    value: ast.expr
    node: ast.AST  # where to report
    via: str  # "constant" (module or class), "config" (an app's mapping), "settings" (django)


_SETTINGS: dict[tuple[int, str], list[Entry]] = {}


def settings(ctx: Context, kind: str) -> list[Entry]:
    """The model rows of `kind` that describe a configuration key (their `setting` field);
    computed once per process, as the models are loaded once."""
    key = (id(ctx.models), kind)
    found = _SETTINGS.get(key)
    if found is None:
        found = _SETTINGS[key] = [e for e in ctx.models.all("api", kind) if e.get("setting")]
    return found


def setting_writes(node: ast.AST, ctx: Context) -> list[SettingWrite]:
    """Every configuration key that `node` (an assignment or a call) sets; found once per node
    for the four rules that ask."""
    if isinstance(node, ast.Call) and not _is_config_method(node.func):
        return []  # most calls: seen at once, cheaper than the memo
    memo = ctx.node_memo.get("setting-writes")
    if memo is None or memo[0] is not node:
        memo = ctx.node_memo["setting-writes"] = (node, list(_setting_writes(node, ctx)))
    writes: list[SettingWrite] = memo[1]
    return writes


def _setting_writes(node: ast.AST, ctx: Context) -> Iterator[SettingWrite]:
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            yield from _target_write(target, node.value, ctx)
    elif isinstance(node, ast.Call) and _is_config_method(node.func):
        for kw in node.keywords:
            if kw.arg is not None:
                yield SettingWrite(kw.arg, kw.value, node, "config")
        for arg in node.args[:1]:
            if isinstance(arg, ast.Dict):
                yield from _dict_writes(arg, ctx, node)


def _target_write(target: ast.expr, value: ast.expr, ctx: Context) -> Iterator[SettingWrite]:
    if isinstance(target, ast.Name):
        if ctx.scope.kind in (ScopeKind.MODULE, ScopeKind.CLASS):
            yield SettingWrite(target.id, value, target, "constant")
    elif isinstance(target, ast.Subscript) and _is_config(target.value):
        key = ctx.const(target.slice)
        if isinstance(key, str):
            yield SettingWrite(key, value, target, "config")
    elif isinstance(target, ast.Attribute) and ctx.qualified_name(target.value) == "django.conf.settings":
        # `django.conf.settings.DEBUG = True` at run time; keyed on the qualified name.
        yield SettingWrite(target.attr, value, target, "settings")


def _dict_writes(mapping: ast.Dict, ctx: Context, node: ast.AST) -> Iterator[SettingWrite]:
    for key_expr, value in zip(mapping.keys, mapping.values, strict=True):
        key = ctx.const(key_expr)
        if isinstance(key, str):
            yield SettingWrite(key, value, node, "config")


def _is_config(expr: ast.expr) -> bool:
    """`app.config`, `self.app.config`, `current_app.config`: a Flask-style config mapping."""
    return isinstance(expr, ast.Attribute) and expr.attr == "config"


def _is_config_method(func: ast.expr) -> bool:
    return isinstance(func, ast.Attribute) and func.attr in _CONFIG_UPDATES and _is_config(func.value)


def constructed_by(expr: ast.expr, ctx: Context, kind: str) -> Entry | None:
    """The model row of the class that built `expr`: `app` after `app = Flask(__name__)`."""
    if isinstance(expr, ast.Name):
        binding = ctx.binding(expr.id)
        if binding is None or binding.kind is not BindingKind.ASSIGN:
            return None
        expr = binding.value if binding.value is not None else expr
    if isinstance(expr, ast.Call):
        return ctx.api(expr.func, kind)
    return None


def in_test_setup(ctx: Context) -> bool:
    """Inside a class or function whose name mentions tests (`TestingConfig`, `test_login`)."""
    return any("test" in scope.name.lower() for scope in ctx.stack)
