"""Rule SCR505: an SSH client told to accept unknown host keys."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.network._util import constructed_by

_SETTER = "set_missing_host_key_policy"


class SshNoHostKeyVerification(Rule):
    """Checks for paramiko clients given a policy that accepts unknown host keys
    (`AutoAddPolicy`, `WarningPolicy`), as a class or an instance.

    ## Why is this bad?
    The host key is how an SSH client knows it reached the right server. A policy that
    accepts any key it has not seen lets an attacker on the path pose as the server on the
    first connection (or on every one, when keys are not saved), and collect the password or
    the commands and files sent.

    ## Example
    ```python
    import paramiko

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ```

    ## Use instead
    ```python
    import paramiko

    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    ```

    ## Known problems
    A policy class of the project's own that accepts every key is not recognised, nor are
    other SSH libraries (e.g. `asyncssh.connect(known_hosts=None)`).

    ## References
    - [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
    - [paramiko: `SSHClient.set_missing_host_key_policy`](https://docs.paramiko.org/en/stable/api/client.html)
    """

    code = "SCR505"
    name = "ssh-no-host-key-verification"
    cwe = 295
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    # The policy must resolve to a row: its last name is written in the file (an import or
    # the call itself); the setter is required too, but rows are what users extend.
    needles = ("api:ssh-host-key-policy",)
    fix = "Load known host keys and use `paramiko.RejectPolicy`; distribute new host keys out of band."
    bandit = ("B507",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        if not (isinstance(node.func, ast.Attribute) and node.func.attr == _SETTER):
            return
        policy = argument(node, 0, "policy")
        if policy is None:
            return
        entry = ctx.api(policy, "ssh-host-key-policy")
        if entry is None:
            maker = constructed_by(policy, ctx)  # an instance: `AutoAddPolicy()` or a name bound to one
            entry = (
                None
                if maker is None
                else ctx.models.lookup("api", ctx.call_name(maker), "ssh-host-key-policy")
            )
        if entry is not None:
            yield self.hit(
                node, f"`{entry.name}` accepts unknown SSH host keys, so the server is not authenticated"
            )
