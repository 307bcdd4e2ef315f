"""Rule SCR101: code built at run time passed to `eval`, `exec` or `compile`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class EvalUsed(Rule):
    """Checks for `eval`, `exec` and `compile` called on code that is not a literal.

    ## Why is this bad?
    These functions run whatever Python they are given with the program's privileges. If any
    part of the string comes from outside (a request, a file, a message), an attacker runs
    their own code. `ast.literal_eval` covers the usual need: turning text into a value.

    ## Example
    ```python
    def parse(expr):
        return eval(expr)
    ```

    ## Use instead
    ```python
    import ast

    def parse(expr):
        return ast.literal_eval(expr)
    ```

    ## Known problems
    A literal argument (`eval("1 + 2")`) is not reported. Code that builds the string from
    trusted constants through a function call is still reported, at the rule's confidence.

    ## References
    - [CWE-95: Eval Injection](https://cwe.mitre.org/data/definitions/95.html)
    - [Python docs: `ast.literal_eval`](https://docs.python.org/3/library/ast.html#ast.literal_eval)
    """

    code = "SCR101"
    name = "eval-used"
    cwe = 95
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:code-injection",)),)
    fix = "Parse data with `ast.literal_eval` or `json.loads`; never evaluate text as code."
    bandit = ("B307", "B102")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        name = ctx.call_name(node)
        if name not in ("builtins.eval", "builtins.exec", "builtins.compile"):
            return
        sink = ctx.sink(node, "code-injection")
        if sink is None:
            return
        code = argument(node, sink.args[0], sink.kwargs[0] if sink.kwargs else None)
        if code is None or ctx.is_literal(code):
            return
        func = name.removeprefix("builtins.")
        yield self.hit(node, f"`{func}` runs code built at run time")
