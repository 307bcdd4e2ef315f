"""Rule SCR511: `logging.config.listen` accepting configuration without verifying it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class LoggingConfigListen(Rule):
    """Checks for `logging.config.listen` without a `verify` function.

    ## Why is this bad?
    `logging.config.listen` starts a socket server that applies any logging configuration
    sent to it. A configuration can name arbitrary callables and classes to build handlers,
    filters and formatters, so whoever can connect runs code in the process. The socket
    listens on localhost, but every local user and every process that can be tricked into
    connecting (SSRF) qualifies. `verify` lets the application check a signature, or
    decrypt, before anything is applied.

    ## Example
    ```python
    import logging.config

    thread = logging.config.listen(9999)
    ```

    ## Use instead
    ```python
    import hmac
    import logging.config

    KEY = b"loaded from a secret store"

    def verify(data):
        signature, body = data[:32], data[32:]
        digest = hmac.digest(KEY, body, "sha256")
        return body if hmac.compare_digest(signature, digest) else None

    thread = logging.config.listen(9999, verify=verify)
    ```

    ## References
    - [CWE-94: Improper Control of Generation of Code ('Code Injection')](https://cwe.mitre.org/data/definitions/94.html)
    - [Python docs: `logging.config.listen`](https://docs.python.org/3/library/logging.config.html#logging.config.listen)
    """

    code = "SCR511"
    name = "logging-config-listen"
    cwe = 94
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:logging-listen",)),)
    fix = "Pass `verify=` a function that checks a signature on the received configuration, or do not listen."
    bandit = ("B612",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "logging-listen")
        if entry is None:
            return
        verify = argument(
            node, entry.args[0] if entry.args else None, entry.kwargs[0] if entry.kwargs else None
        )
        if verify is None or ctx.const(verify) is None:
            yield self.hit(
                node, f"`{entry.name}` applies logging configuration from a socket without verifying it"
            )
