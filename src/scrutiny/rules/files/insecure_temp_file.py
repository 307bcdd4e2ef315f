"""Rule SCR602: a temporary file name made without creating the file."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class InsecureTempFile(Rule):
    """Checks for `tempfile.mktemp` and kin, which return a name for a file that does not exist yet.

    ## Why is this bad?
    Between the moment the name is chosen and the moment the program creates the file,
    another local user can create it first, often as a symbolic link to a file the program
    can write. The program then writes where the attacker chose, or reads what the attacker
    planted. Python deprecated `tempfile.mktemp` for this reason.

    ## Example
    ```python
    import tempfile

    path = tempfile.mktemp()
    with open(path, "w") as handle:
        handle.write("data")
    ```

    ## Use instead
    ```python
    import tempfile

    with tempfile.NamedTemporaryFile("w", delete=False) as handle:
        handle.write("data")
    ```

    ## References
    - [CWE-377: Insecure Temporary File](https://cwe.mitre.org/data/definitions/377.html)
    - [Python docs: `tempfile.mktemp`](https://docs.python.org/3/library/tempfile.html#tempfile.mktemp)
    """

    code = "SCR602"
    name = "insecure-temp-file"
    cwe = 377
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:temp-name",)),)
    fix = "Create the file atomically with `tempfile.mkstemp`, `NamedTemporaryFile` or `mkdtemp`."
    bandit = ("B306",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        if ctx.api(node.func, "temp-name") is None:
            return
        func = ctx.call_name(node)
        yield self.hit(node, f"`{func}` returns a file name without creating the file")
