"""Rule SCR702: a string literal in the format of a well-known credential."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.secrets._vocabulary import vocabulary


class HardcodedCredentialFormat(Rule):
    """Checks for string literals that hold a credential in a well-known format, whatever
    name they are given: cloud and SaaS keys, private keys, tokens, passwords in URLs.

    ## Why is this bad?
    These formats are issued by a provider and grant access by themselves: an AWS access key,
    a GitHub token, a Slack token, a Stripe live key, a PEM private key. Once committed, the
    credential is in the history for good and bots find public ones within minutes. It must
    be revoked, not just deleted.

    ## Example
    ```python
    GITHUB = "ghp_8f3KzQ1vR7yT2mW9pL4xN6bC0dH5jS1aE3uG"
    ```

    ## Use instead
    ```python
    import os

    GITHUB = os.environ["GITHUB_TOKEN"]
    ```

    ## Known problems
    JSON Web Tokens are reported at low confidence (often expired samples), passwords in
    URLs at medium; a URL whose password is a placeholder (`user:password@`, `:${PW}@`) is not
    reported. Docstrings and documentation values containing `EXAMPLE` are skipped. The formats are data in
    `models/secrets.toml`.

    ## References
    - [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
    - [GitHub: About secret scanning](https://docs.github.com/en/code-security/secret-scanning)
    """

    code = "SCR702"
    name = "hardcoded-credential-format"
    cwe = 798
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Constant,)
    fix = "Revoke the credential, then load its replacement from the environment or a vault."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Constant)
        value = node.value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if not isinstance(value, str) or len(value) < 16:
            return
        if isinstance(ctx.parent(), ast.Expr):  # a docstring: documentation shows examples
            return
        found = vocabulary(ctx.models).find_format(value)
        if found is not None:
            fmt, confidence = found
            yield self.hit(node, f"The string holds {fmt.label}", confidence=confidence)
