"""Rule SCR201: a Flask, Quart or Werkzeug development server run with the debugger on."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._config import constructed_by, setting_writes, settings

_KIND = "debug-server"


class FlaskDebugEnabled(Rule):
    """Checks for Flask and Werkzeug apps run or configured with debug mode on.

    ## Why is this bad?
    Debug mode serves the Werkzeug debugger: any error page becomes an interactive Python
    console running with the server's privileges. The PIN that guards it is derived from
    values an attacker can often read (the Patreon breach of 2015 began this way). Even with
    the console off, debug mode shows source code and local variables in tracebacks.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.run(debug=True)
    ```

    ## Use instead
    ```python
    import os
    from flask import Flask

    app = Flask(__name__)
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    ```

    ## Known problems
    `.run(debug=True)` on an app the rule cannot trace to `Flask(...)` (an app factory) is
    reported at low confidence, and only in files that import Flask or Quart. Debug settings
    that only a production server reads (`app.debug = True` under Gunicorn) do not start the
    debugger, so configuration writes are reported at medium confidence.

    ## References
    - [CWE-489: Active Debug Code](https://cwe.mitre.org/data/definitions/489.html)
    - [Flask: debug mode](https://flask.palletsprojects.com/en/latest/quickstart/#debug-mode)
    - [Werkzeug: debugging applications](https://werkzeug.palletsprojects.com/en/latest/debug/)
    """

    code = "SCR201"
    name = "flask-debug-enabled"
    cwe = 489
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call, ast.Assign)
    # `debug=`/`DEBUG`, the servers by name (positional switches), apps of unknown origin
    # only in files importing Flask or Quart.
    needles = ("debug", "api:debug-server", "flask", "quart")
    fix = "Leave debug mode off in code and turn it on only through a development-only setting."
    bandit = ("B201",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        if isinstance(node, ast.Call):
            yield from self._call(node, ctx)
        elif isinstance(node, ast.Assign):
            yield from self._debug_attribute(node, ctx)
        yield from self._config(node, ctx)

    def _call(self, call: ast.Call, ctx: Context) -> Iterator[Hit]:
        func = call.func
        direct = ctx.api(func, _KIND)
        if direct is not None and not direct.get("method") and _switched_on(call, direct, ctx):
            yield self.hit(call, f"`{ctx.call_name(call)}` serves the Werkzeug debugger")
            return
        if not isinstance(func, ast.Attribute) or (
            func.attr != "run" and func.attr not in ctx.models.field_values("api", _KIND, "method")
        ):
            return
        owner = constructed_by(func.value, ctx, _KIND)
        if owner is not None and owner.get("method") == func.attr:
            if _switched_on(call, owner, ctx):
                yield self.hit(call, f"`{owner.name}` app is run with the debugger on")
        elif owner is None and func.attr == "run" and _unknown_app(func.value, ctx):
            flask = ctx.models.lookup("api", "flask.Flask", _KIND)
            if flask is not None and _switched_on(call, flask, ctx):
                yield self.hit(call, "`run` is called with `debug=True`", confidence=Confidence.LOW)

    def _debug_attribute(self, node: ast.Assign, ctx: Context) -> Iterator[Hit]:
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr == "debug":
                owner = constructed_by(target.value, ctx, _KIND)
                if owner is not None and owner.get("method") and ctx.const(node.value):
                    message = f"`{owner.name}` app has `debug` set to true"
                    yield self.hit(target, message, confidence=Confidence.MEDIUM)

    def _config(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        writes = setting_writes(node, ctx)
        keys = {e.get("setting") for e in settings(ctx, _KIND) if not e.get("django")} if writes else ()
        for write in writes:
            if write.via == "config" and write.key in keys and ctx.const(write.value):
                message = f"app config sets `{write.key}` to true"
                yield self.hit(write.node, message, confidence=Confidence.MEDIUM)


def _switched_on(call: ast.Call, entry: Entry, ctx: Context) -> bool:
    """Whether a debug parameter of `entry` is given a true constant (or defaults to true)."""
    for i, kwname in enumerate(entry.kwargs):
        position = entry.args[i] if i < len(entry.args) else None
        value = argument(call, position, kwname)
        if value is None:
            if entry.get("default", False):
                return True
        elif ctx.const(value):
            return True
    return False


def _unknown_app(receiver: ast.expr, ctx: Context) -> bool:
    """An object built by the project (an app factory) in a file that imports Flask or Quart."""
    if not isinstance(receiver, ast.Name) or ctx.qualified_name(receiver) is not None:
        return False
    binding = ctx.binding(receiver.id)
    if binding is None or not isinstance(binding.value, ast.Call):
        return False
    maker = ctx.qualified_name(binding.value.func)
    if maker is None or maker.startswith("builtins."):
        return False
    return ctx.imports("flask") or ctx.imports("quart")
