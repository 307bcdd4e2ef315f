"""Rule SCR801: a handler that catches every exception and does nothing."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.errors._util import caught, is_broad


class TryExceptPass(Rule):
    """Checks for `except:` or `except Exception:` handlers whose whole body is `pass`.

    ## Why is this bad?
    A handler that catches every exception and does nothing hides every failure: a refused
    permission, a failed signature check, a lost connection or a bug all look like success,
    and nothing is left in the logs for anyone investigating an attack. Catching one specific
    exception that the code expects is a deliberate choice and is not reported.

    ## Example
    ```python
    def load(path):
        try:
            return open(path).read()
        except Exception:
            pass
    ```

    ## Use instead
    ```python
    import logging

    def load(path):
        try:
            return open(path).read()
        except FileNotFoundError:
            logging.warning("no file at %s", path)
    ```

    ## Known problems
    Like Bandit's B110 with its default `check_typed_exception: False`, handlers for specific
    exceptions are not reported; unlike Bandit, `BaseException` and tuples that include
    `Exception` are. Quiet in test code.

    ## References
    - [CWE-390: Detection of Error Condition Without Action](https://cwe.mitre.org/data/definitions/390.html)
    """

    code = "SCR801"
    name = "try-except-pass"
    cwe = 390
    severity = Severity.LOW
    confidence = Confidence.HIGH
    nodes = (ast.ExceptHandler,)
    fix = "Catch the specific exceptions you expect, and log or handle the others."
    bandit = ("B110",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.ExceptHandler)
        if len(node.body) != 1 or not is_broad(node, ctx):
            return
        stmt = node.body[0]
        ellipsis = (
            isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt.value.value is ...
        )
        if isinstance(stmt, ast.Pass) or ellipsis:
            yield self.hit(node, f"`{caught(node)}` discards every error without acting on it")
