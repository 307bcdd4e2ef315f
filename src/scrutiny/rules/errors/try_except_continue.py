"""Rule SCR802: a loop handler that catches every exception and moves on."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.errors._util import caught, is_broad


class TryExceptContinue(Rule):
    """Checks for `except:` or `except Exception:` handlers in loops whose whole body is `continue`.

    ## Why is this bad?
    Every failure in the loop body is skipped without a trace: a record that failed
    validation, an unauthorised item or a bug all silently drop out of the loop, and nothing
    is left in the logs for anyone investigating an attack. Skipping one specific exception
    that the code expects is a deliberate choice and is not reported.

    ## Example
    ```python
    def total(values):
        result = 0
        for value in values:
            try:
                result += int(value)
            except Exception:
                continue
        return result
    ```

    ## Use instead
    ```python
    def total(values):
        result = 0
        for value in values:
            try:
                result += int(value)
            except ValueError:
                continue
        return result
    ```

    ## Known problems
    Like Bandit's B112 with its default `check_typed_exception: False`, handlers for specific
    exceptions are not reported; unlike Bandit, `BaseException` and tuples that include
    `Exception` are. Quiet in test code.

    ## References
    - [CWE-390: Detection of Error Condition Without Action](https://cwe.mitre.org/data/definitions/390.html)
    """

    code = "SCR802"
    name = "try-except-continue"
    cwe = 390
    severity = Severity.LOW
    confidence = Confidence.HIGH
    nodes = (ast.ExceptHandler,)
    fix = "Catch the specific exceptions you expect, and log or handle the others."
    bandit = ("B112",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.ExceptHandler)
        if len(node.body) == 1 and isinstance(node.body[0], ast.Continue) and is_broad(node, ctx):
            yield self.hit(node, f"`{caught(node)}` skips every error without acting on it")
