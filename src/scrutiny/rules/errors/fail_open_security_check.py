"""Rule SCR810: an exception from an authentication, authorization or signature check swallowed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.errors._util import caught
from scrutiny.rules.files._lifecycle import calls, is_logging, last_name, vocabulary, words


class FailOpenSecurityCheck(Rule):
    """Checks for `except` blocks around authentication, signature or token checks that let the caller on.

    ## Why is this bad?
    Checks such as `public_key.verify`, `jwt.decode`, `policy.enforce` or `authenticate` say
    "no" by raising. A handler that swallows the exception turns every refusal into
    acceptance: a forged signature, an expired token or a missing permission lets the request
    through, and only a log line (if any) records it (CWE-636, failing open).

    ## Example
    ```python
    from cryptography.exceptions import InvalidSignature

    def check(public_key, signature, data):
        try:
            public_key.verify(signature, data)
        except InvalidSignature:
            pass
        return data
    ```

    ## Use instead
    ```python
    from cryptography.exceptions import InvalidSignature

    class Forbidden(Exception):
        pass

    def check(public_key, signature, data):
        try:
            public_key.verify(signature, data)
        except InvalidSignature:
            raise Forbidden("bad signature")
        return data
    ```

    ## Known problems
    Checks are recognised by API (`jwt.decode`) or by name (`verify`, `authenticate`,
    `authorize`, `enforce`, or `check`/`validate`/`is`/`has` with `token`, `signature`,
    `certificate`, `admin`, `policy`...), so a `verify_config` is taken for a check too. When
    the check's result is kept (`claims = jwt.decode(...)`), the code after may still test it:
    those are reported at low confidence. A handler followed by `return False` or ending a
    function whose `try` returns is taken as failing closed; so is a handler in a loop that
    moves on to the next item (`continue`, or falling through).

    ## References
    - [CWE-636: Not Failing Securely ('Failing Open')](https://cwe.mitre.org/data/definitions/636.html)
    - [CWE-390: Detection of Error Condition Without Action](https://cwe.mitre.org/data/definitions/390.html)
    """

    code = "SCR810"
    name = "fail-open-security-check"
    cwe = 636
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.ExceptHandler,)
    fix = "Re-raise, deny (`return False`, raise a 403) or record the failure; never carry on."
    preview = True  # 0 of 2 right on nova (docs/lifecycle-findings.md)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.ExceptHandler)
        try_ = ctx.parent()
        if not isinstance(try_, ast.Try | ast.TryStar) or ctx.is_test:
            return
        found = next((c for s in try_.body for c in calls(s) if is_security_check(c, ctx)), None)
        outcome = _fails_open(node)
        if found is None or outcome is None or _closed_after(try_, ctx):
            return
        kept = not any(isinstance(s, ast.Expr) and s.value is found for s in try_.body)
        message = (
            f"`{caught(node)}` {outcome} when `{ast.unparse(found.func)}` on line {found.lineno} refuses"
        )
        yield self.hit(node, message, confidence=Confidence.LOW if kept else None)


def is_security_check(call: ast.Call, ctx: Context) -> bool:
    if ctx.api(call.func, "security-check") is not None:
        return True
    name = last_name(call.func)
    if name is None:
        return False
    parts = words(name)
    if parts & vocabulary(ctx, "security-verbs"):
        return True
    return bool(
        parts & vocabulary(ctx, "security-objects") and parts & vocabulary(ctx, "security-check-verbs")
    )


def _fails_open(handler: ast.ExceptHandler) -> str | None:
    """How the handler lets the caller through: passes, logs and carries on, or returns True."""
    body = [
        s
        for s in handler.body
        if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and is_logging(s.value))
    ]
    logged = len(body) < len(handler.body)
    quiet = all(
        isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in body
    )
    if quiet:
        return "logs the failure and carries on" if logged else "carries on"
    last = body[-1]
    if isinstance(last, ast.Return) and isinstance(last.value, ast.Constant) and last.value.value is True:
        return "returns `True`"
    return None


def _closed_after(try_: ast.Try | ast.TryStar, ctx: Context) -> bool:
    """The code after the `try` denies: `return False`/`None`, a raise, or the implicit return."""
    parent = ctx.parent(2)
    body = getattr(parent, "body", None)
    if isinstance(parent, ast.For | ast.AsyncFor | ast.While):
        return True  # falling through moves on to the next item, as `continue` would
    if not isinstance(body, list) or try_ not in body:
        return False
    index = body.index(try_)
    if index + 1 < len(body):
        after = body[index + 1]
        if isinstance(after, ast.Raise):
            return True
        value = after.value if isinstance(after, ast.Return) else ast.Constant(value=True)
        return isinstance(value, ast.Constant) and value.value in (False, None)
    returns = any(isinstance(n, ast.Return) for s in try_.body for n in ast.walk(s))
    return isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef) and returns
