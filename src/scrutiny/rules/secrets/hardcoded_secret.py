"""Rule SCR703: a token, API key or secret key written into the code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.secrets._candidates import NODES, candidates
from scrutiny.rules.secrets._vocabulary import SECRET


class HardcodedSecret(Rule):
    """Checks for string literals used as a token, API key or secret key: assigned to such a
    name, passed as such a keyword, a parameter's default, or compared with one.

    ## Why is this bad?
    A token or key in the source is known to everyone who can read the repository, its history
    and its packages, and it cannot be rotated without a release. A hard-coded `SECRET_KEY`
    lets anyone forge session cookies and signed tokens; an API key lets anyone spend the
    account it belongs to.

    Unlike Bandit (B105, B106, B107), the value is judged as well as the name: placeholders,
    environment variable names, URLs, paths and key names are not secrets, nor are names that
    only contain the word (`TOKEN_URL`, `token_type`, `pad_token`, `next_token`).

    ## Example
    ```python
    SECRET_KEY = "t8#kq2!vz0w9m1x4p7r3"
    ```

    ## Use instead
    ```python
    import os

    SECRET_KEY = os.environ["SECRET_KEY"]
    ```

    ## Known problems
    Values in a well-known format (GitHub, AWS, Stripe keys...) are left to
    `hardcoded-credential-format` (SCR702). Names and placeholders are data in
    `models/secrets.toml`.

    ## References
    - [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
    - [OWASP: Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)
    """

    code = "SCR703"
    name = "hardcoded-secret"
    cwe = 798
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = NODES
    fix = "Read the secret at run time from the environment or a secrets manager, and rotate it."
    bandit = ("B105", "B106", "B107")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        for found in candidates(node, ctx):
            if found.category == SECRET:  # scrutiny: ignore[SCR306] -- a category tag
                yield self.hit(found.node, found.message, confidence=found.confidence)
