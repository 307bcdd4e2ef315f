"""Rule SCR508: a server bound to every network interface (0.0.0.0, ::)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.engine.model import Entry
from scrutiny.engine.scopes import BindingKind
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.network._bind_names import bind_name, setting_name
from scrutiny.rules.network._util import constructed_by

# "" means "any" too, but only where the API documents it so (row field `empty_is_any`).
_ANY = frozenset({"0.0.0.0", "::"})  # noqa: S104 - the values this rule looks for
_ANY_PREFIXES = ("0.0.0.0:", "[::]:", "*:")  # "host:port" settings (gunicorn, waitress)
# Unknown callees whose `host=` is a listening address (app.run, site.serve...).
_SERVING_CALLS = frozenset(
    {"run", "serve", "listen", "run_app", "run_simple", "start_server", "create_server"}
)


class BindAllInterfaces(Rule):
    """Checks for servers and sockets bound to `0.0.0.0`, `::` or `""` (every interface), and
    for bind-address settings given those values.

    ## Why is this bad?
    A service bound to every interface is reachable from every network the machine is on,
    including ones nobody meant to expose it to (a public cloud interface, a container
    bridge). Development servers and admin endpoints bound this way are a common way in.
    Bind to `127.0.0.1` or a specific interface, and make the exposed address a deliberate
    deployment setting.

    ## Example
    ```python
    import socket

    server = socket.socket()
    server.bind(("0.0.0.0", 8080))
    ```

    ## Use instead
    ```python
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 8080))
    ```

    ## Known problems
    Bandit reports every `"0.0.0.0"` string; this rule reports it only where it becomes a
    listening address: a socket or server address, a `host=` argument of a serving call, a
    setting, dict key, parameter default or command-line option named like a bind address.
    A setting read by a server is reported where it is set, not again where it is used.
    APIs that bind everywhere by default (`aiohttp.web.run_app` without `host`) are not.

    ## References
    - [CWE-1327: Binding to an Unrestricted IP Address](https://cwe.mitre.org/data/definitions/1327.html)
    """

    code = "SCR508"
    name = "bind-all-interfaces"
    cwe = 1327
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Constant, ast.Name)
    fix = "Bind to `127.0.0.1` or a specific interface; expose a wider address only as a deployment setting."
    bandit = ("B104",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        # Every constant and name in a project comes here, so the common rejections come first
        # and cost a few tests: only "every interface" values (or "", which means it to some
        # servers) can be reported, and a name only where a host goes.
        if isinstance(node, ast.Constant):
            value = node.value
            if not isinstance(value, str) or (
                value and value not in _ANY and not value.startswith(_ANY_PREFIXES)
            ):
                return
        elif isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load) or not _host_shaped(node, ctx):
                return
            value = ctx.const(node)
            if not isinstance(value, str) or (value and not _is_any(value)) or _set_by_setting(node, ctx):
                return
        else:
            return
        found = _call_site(node, ctx)
        if found is not None:
            label, confidence, empty_ok = found
            if value in _ANY or (empty_ok and value == ""):
                shown = value or '""'
                yield self.hit(
                    node,
                    f"`{label}` binds to `{shown}`, which is every network interface",
                    confidence=confidence,
                )
        elif isinstance(node, ast.Constant) and _is_any(value):
            setting = setting_name(node, ctx)
            if setting is not None:
                message = f"The bind address `{setting}` is `{value}`, which is every network interface"
                yield self.hit(node, message, confidence=Confidence.MEDIUM)


def _host_shaped(node: ast.Name, ctx: Context) -> bool:
    """Where `_call_site` can find a host (cheap, before the name's value is folded)."""
    parent = ctx.parent()
    if isinstance(parent, ast.Tuple):
        return bool(parent.elts) and parent.elts[0] is node
    if isinstance(parent, ast.Call):
        return node in parent.args
    return isinstance(parent, ast.keyword) and parent.arg is not None and bind_name(parent.arg)


def _is_any(value: str) -> bool:
    return value in _ANY or value.startswith(_ANY_PREFIXES)


def _set_by_setting(node: ast.Name, ctx: Context) -> bool:
    """A name assigned a literal under a bind-address name: reported at the assignment."""
    binding = ctx.binding(node.id)
    return (
        binding is not None
        and binding.kind is BindingKind.ASSIGN
        and isinstance(binding.value, ast.Constant)
        and bind_name(binding.name)
    )


def _row(call: ast.Call, ctx: Context) -> tuple[Entry, str] | None:
    entry = ctx.api(call.func, "bind")
    if entry is not None:
        return entry, entry.name
    if isinstance(call.func, ast.Attribute):
        maker = constructed_by(call.func.value, ctx)
        entry = None if maker is None else ctx.models.lookup("api", ctx.call_name(maker), "bind")
        if entry is not None and entry.get("method") == call.func.attr:
            return entry, f"{entry.name}.{call.func.attr}"
    return None


def _call_site(node: ast.expr, ctx: Context) -> tuple[str, Confidence | None, bool] | None:
    """(label, confidence, "" means any) when `node` is the host a call listens on."""
    parent = ctx.parent()
    if isinstance(parent, ast.Tuple) and parent.elts and parent.elts[0] is node and len(parent.elts) <= 4:
        return _address(parent, ctx)
    if isinstance(parent, ast.Call) and node in parent.args:
        row = _row(parent, ctx)
        if row is not None and row[0].get("host_arg") == parent.args.index(node):
            return row[1], None, bool(row[0].get("empty_is_any"))
    if isinstance(parent, ast.keyword) and parent.arg is not None and bind_name(parent.arg):
        call = ctx.parent(2)
        if not isinstance(call, ast.Call):  # a class keyword
            return None
        row = _row(call, ctx)
        if row is not None:
            return row[1], None, bool(row[0].get("empty_is_any"))
        callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if callee in _SERVING_CALLS:
            return ast.unparse(call.func), Confidence.MEDIUM, False
    return None


def _address(pair: ast.Tuple, ctx: Context) -> tuple[str, Confidence | None, bool] | None:
    holder = ctx.parent(2)
    call = ctx.parent(3) if isinstance(holder, ast.keyword) else holder
    if not isinstance(call, ast.Call):
        return None
    row = _row(call, ctx)
    if row is not None:
        index = row[0].get("address_arg")
        in_place = (pair in call.args and call.args.index(pair) == index) or (
            isinstance(holder, ast.keyword) and holder.arg in row[0].kwargs
        )
        return (row[1], None, True) if in_place else None
    if isinstance(call.func, ast.Attribute) and call.func.attr == "bind" and call.args[:1] == [pair]:
        return ast.unparse(call.func), Confidence.MEDIUM, True  # a socket we cannot see built
    return None
