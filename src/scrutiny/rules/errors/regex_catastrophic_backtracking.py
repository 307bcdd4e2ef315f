"""Rule SCR813: a regular expression whose nested repetition backtracks exponentially."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

try:  # the parser moved in Python 3.11; it is the one `re` itself uses
    from re import _parser as sre_parse  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - Python < 3.11 is not supported
    import sre_parse  # type: ignore[no-redef,unused-ignore]

_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT}


class RegexCatastrophicBacktracking(Rule):
    """Checks for regular expressions with an unbounded repetition inside another (`(a+)+`, `(\\w+\\s?)*`).

    ## Why is this bad?
    When the inner repetition can match the same text in many ways, Python's backtracking
    engine tries every way before it reports a failed match: a string of a few dozen
    characters that almost matches takes hours. One request with such a value ties up a
    worker for good (ReDoS, CWE-1333).

    ## Example
    ```python
    import re

    WORDS = re.compile(r"^(\\w+\\s?)+$")
    ```

    ## Use instead
    ```python
    import re

    WORDS = re.compile(r"^\\w+(\\s\\w+)*$")
    ```

    ## Known problems
    Reported when the body of an unbounded repetition needs nothing but one unbounded
    repetition (the rest optional), so that its text can be split between iterations in many
    ways; `(?:,[0-9]+)*` and `([0-9]+[.])+` are safe: each iteration needs its separator.
    Overlapping alternatives (`(a|a)+`) are not detected. Whether the text matched comes from outside is
    not checked: the pattern is the defect, and a later caller may feed it a request value.

    ## References
    - [CWE-1333: Inefficient Regular Expression Complexity](https://cwe.mitre.org/data/definitions/1333.html)
    - [OWASP: Regular expression Denial of Service](https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS)
    """

    code = "SCR813"
    name = "regex-catastrophic-backtracking"
    cwe = 1333
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:regex-injection",)),)
    fix = "Make each repetition match text in one way only, or bound the input length first."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.sink(node, "regex-injection")
        if entry is None or not entry.args:
            return
        pattern = ctx.const(argument(node, entry.args[0], "pattern"))
        if not isinstance(pattern, str | bytes) or len(pattern) > 2000:
            return
        try:
            parsed = sre_parse.parse(pattern if isinstance(pattern, str) else pattern.decode("latin-1"))
        except (re.error, RecursionError, OverflowError):
            return
        if _nested(list(parsed)):
            shown = pattern if len(pattern) <= 60 else f"{pattern[:57]!s}..."
            yield self.hit(
                node,
                f"`{ast.unparse(node.func)}` pattern `{shown!s}` repeats a group that can match the same "
                "text in many ways; input that almost matches backtracks exponentially",
            )


def _unwrap(item: tuple[Any, Any]) -> tuple[Any, Any]:
    """A group holding one element is that element."""
    while item[0] is sre_parse.SUBPATTERN and len(item[1][3]) == 1:
        item = item[1][3][0]
    return item


def _kind(item: tuple[Any, Any]) -> str:
    """`loop` (unbounded, may match nothing), `loop1` (unbounded, at least once), `optional`, `required`."""
    op, av = _unwrap(item)
    if op in _REPEATS:
        if av[1] is sre_parse.MAXREPEAT:
            return "loop" if av[0] == 0 else "loop1"
        return "optional" if av[0] == 0 else "required"
    return "optional" if op is sre_parse.AT else "required"


def _ambiguous(body: list[tuple[Any, Any]]) -> bool:
    """One unbounded repetition with nothing else required: its text splits between iterations."""
    while len(body) == 1 and body[0][0] is sre_parse.SUBPATTERN:
        body = list(body[0][1][3])
    kinds = [_kind(item) for item in body]
    loops = kinds.count("loop") + kinds.count("loop1")
    return loops >= 1 and "required" not in kinds and kinds.count("loop1") <= 1


def _nested(items: list[tuple[Any, Any]], depth: int = 0) -> bool:
    """An unbounded repetition whose body can split the same text between iterations."""
    if depth > 50:
        return False
    for op, av in items:
        subs: list[list[tuple[Any, Any]]] = []
        if op in _REPEATS:
            if av[1] is sre_parse.MAXREPEAT and _ambiguous(list(av[2])):
                return True
            subs = [list(av[2])]
        elif op is sre_parse.SUBPATTERN:
            subs = [list(av[3])]
        elif op is sre_parse.BRANCH:
            subs = [list(b) for b in av[1]]
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            subs = [list(av[1])]
        if any(_nested(sub, depth + 1) for sub in subs):
            return True
    return False
