"""Which names are bind-address settings, for SCR508 (bind-all-interfaces)."""

from __future__ import annotations

import ast

from scrutiny.engine.context import Context

# Words that make a name or option a bind address, and words that make it someone else's.
_HOST_WORDS = frozenset({"host", "hostname", "bind", "listen"})
_ADDRESS_WORDS = frozenset({"addr", "address", "ip", "interface", "iface"})
_SERVER_WORDS = frozenset({"server", "serve", "local", "http", "web", "service"})
_OTHER_WORDS = frozenset({"remote", "target", "dest", "peer", "client", "upstream", "proxy", "db", "redis"})


def bind_name(name: str) -> bool:
    words = {w for w in name.lower().lstrip("-").replace("-", "_").split("_") if w}
    if words & _OTHER_WORDS:
        return False
    return bool(words & _HOST_WORDS) or bool(words & _ADDRESS_WORDS and words & _SERVER_WORDS)


def setting_name(node: ast.Constant, ctx: Context) -> str | None:
    """The name of the bind-address setting `node` is the value of, if it is one."""
    parent = ctx.parent()
    names: list[str] = []
    if isinstance(parent, ast.Assign | ast.AnnAssign) and parent.value is node:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        names = [_target_name(t) for t in targets]
    elif isinstance(parent, ast.Dict) and node in parent.values:
        key = parent.keys[parent.values.index(node)]
        names = [key.value] if isinstance(key, ast.Constant) and isinstance(key.value, str) else []
    elif isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        names = [_parameter(parent.args, node)]
    elif isinstance(parent, ast.keyword) and parent.arg == "default" and isinstance(ctx.parent(2), ast.Call):
        call = ctx.parent(2)
        assert isinstance(call, ast.Call)
        options = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        names = [o for o in options if o.startswith("-")][:1]
    return names[0] if names and all(n and bind_name(n) for n in names) else None


def _target_name(target: ast.expr) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return str(target.slice.value)
    return ""


def _parameter(args: ast.arguments, default: ast.expr) -> str:
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
    return next((a.arg for a, d in pairs if d is default), "")
