"""Rule SCR701: a password written into the code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.secrets._candidates import NODES, candidates
from scrutiny.rules.secrets._vocabulary import PASSWORD


class HardcodedPassword(Rule):
    """Checks for string literals used as a password: assigned to a password's name, passed as
    a password keyword, a password parameter's default, or compared with a password.

    ## Why is this bad?
    A password in the source is known to everyone who can read the repository, its history,
    its packages and its backups, and it cannot be rotated without a release. Attackers scan
    public code for exactly this. A weak default (`"admin"`, `"changeme"`) that reaches
    production is the first thing they try.

    Unlike Bandit (B105, B106, B107), the value is judged as well as the name: empty strings,
    placeholders (`"<password>"`, `"${DB_PASSWORD}"`, `"%(password)s"`, `"***"`), environment
    variable names, URLs, paths, labels and messages are not passwords, nor are names that only
    contain the word (`password_field`, `PASSWORD_MIN_LENGTH`, `password_reset_url`).

    ## Example
    ```python
    import psycopg2

    conn = psycopg2.connect(host="db", user="app", password="hunter2")
    ```

    ## Use instead
    ```python
    import os

    import psycopg2

    conn = psycopg2.connect(host="db", user="app", password=os.environ["DB_PASSWORD"])
    ```

    ## Known problems
    Weak defaults (`"changeme"`, `"password"`) and values that look like identifiers are
    reported at low confidence. Passphrases of four words or more read as prose and are not
    reported. Names and placeholders are data in `models/secrets.toml`.

    ## References
    - [CWE-259: Use of Hard-coded Password](https://cwe.mitre.org/data/definitions/259.html)
    - [OWASP: Use of hard-coded password](https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password)
    """

    code = "SCR701"
    name = "hardcoded-password"
    cwe = 259
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = NODES
    fix = "Read the password at run time from the environment, a secrets manager or a prompt."
    bandit = ("B105", "B106", "B107")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        for found in candidates(node, ctx):
            if found.category == PASSWORD:  # scrutiny: ignore[SCR306] -- a category tag
                yield self.hit(found.node, found.message, confidence=found.confidence)
