"""Rule SCR803: an `assert` that guards a security decision."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words (parts of identifiers, split on `_` and case) that name an access-control decision.
_STRONG: Final = _words(
    "auth authn authz authenticate authenticated authentication authorize authorized "
    "authorise authorised authorization permission permissions permitted perm perms role "
    "roles admin admins administrator superuser staff owner owns privilege privileges "
    "privileged signature csrf xsrf password passwd secret acl allowed forbidden grant "
    "granted login logged hmac digest nonce otp mfa access sudo"
)
# Words that often, not always, do: reported at low confidence.
_WEAK: Final = _words(
    "user users request session token valid validate validated verify verified check checked trusted safe can"
)
_NARROWING: Final = frozenset(
    {"builtins.isinstance", "builtins.issubclass", "builtins.callable", "builtins.hasattr"}
)
_WORD: Final = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_IDENTIFIER: Final = re.compile(r"[A-Za-z_][\w-]{0,40}")


class AssertUsedForSecurity(Rule):
    """Checks for `assert` statements that decide authentication, authorization or integrity.

    ## Why is this bad?
    Python removes `assert` statements when it runs with `-O` or `PYTHONOPTIMIZE`, as some
    deployments do. A permission, ownership or signature check written as an assertion then
    disappears, and the code behind it runs for everyone.

    ## Example
    ```python
    def delete(request, document):
        assert request.user.has_perm("docs.delete")
        document.delete()
    ```

    ## Use instead
    ```python
    class PermissionDenied(Exception):
        pass

    def delete(request, document):
        if not request.user.has_perm("docs.delete"):
            raise PermissionDenied
        document.delete()
    ```

    ## Known problems
    Bandit's B101 reports every `assert`; this rule reports only those whose condition names
    an access-control or integrity decision (`is_authenticated`, `has_perm`, `owner`, `role`,
    `signature`, `compare_digest`...), and at low confidence those that only mention a user, a
    request, a session, a token or a validation. Type narrowing (`isinstance`, `x is not
    None`) and invariants are not reported. Quiet in test code, where asserts belong.

    ## References
    - [CWE-617: Reachable Assertion](https://cwe.mitre.org/data/definitions/617.html)
    - [Python docs: the `assert` statement](https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement)
    """

    code = "SCR803"
    name = "assert-used-for-security"
    cwe = 617
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Assert,)
    fix = "Check the condition with `if` and raise an exception; `python -O` removes asserts."
    bandit = ("B101",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Assert)
        if _narrowing(node.test, ctx):
            return
        strong, weak = _security_names(node.test)
        shown = strong or weak
        if shown is None:
            return
        message = f"`assert` on `{shown}` is removed when Python runs with `-O`"
        yield self.hit(node, message, confidence=None if strong else Confidence.LOW)


def _narrowing(test: ast.expr, ctx: Context) -> bool:
    """`isinstance(...)`, `name is (not) None` and their `not`/`and` combinations."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return all(_narrowing(value, ctx) for value in test.values)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _narrowing(test.operand, ctx)
    if isinstance(test, ast.Call):
        return ctx.call_name(test) in _NARROWING
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is | ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    )


def _security_names(test: ast.expr) -> tuple[str | None, str | None]:
    """The first identifier in `test` with a strong security word, and one with a weak word."""
    strong: str | None = None
    weak: str | None = None
    for sub in ast.walk(test):
        if isinstance(sub, ast.Name):
            text = sub.id
        elif isinstance(sub, ast.Attribute):
            text = sub.attr
        elif (
            isinstance(sub, ast.Constant) and isinstance(sub.value, str) and _IDENTIFIER.fullmatch(sub.value)
        ):
            text = sub.value
        else:
            continue
        words = {w.lower() for w in _WORD.findall(text)}
        if strong is None and words & _STRONG:
            strong = text
        elif weak is None and words & _WEAK:
            weak = text
    return strong, weak
