"""Rule SCR902: attacker-controlled data reaching an element of a command's argument list."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class ArgumentInjection(DataflowRule):
    """Checks for attacker-controlled data that becomes an argument of a command run without a shell.

    ## Why is this bad?
    Passing an argument list instead of a shell string stops shell injection, but the program
    still parses its own options: a branch name of `--upload-pack=touch /tmp/pwned` makes `git`
    run a command, and `-oProxyCommand=...` does the same for `ssh`. Any argument that can start
    with `-` can change what the program does. When the command runs as root
    (`run_as_root=True`, `IPWrapper(namespace=...).netns.execute`), the message says so: an
    option such as `--config=/tmp/evil` is then read with root privileges (CWE-250).

    ## Example
    ```python
    import subprocess
    from flask import request

    def checkout():
        branch = request.args["branch"]
        return subprocess.run(["git", "checkout", branch], capture_output=True).stdout
    ```

    ## Use instead
    ```python
    import re
    import subprocess
    from flask import abort, request

    def checkout():
        branch = request.args["branch"]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,99}", branch):
            abort(400)
        return subprocess.run(["git", "checkout", branch], capture_output=True).stdout
    ```

    ## Known problems
    A `--` before the value ends option parsing for most programs, but scrutiny does not know
    which programs honour it, so such calls are still reported. Sources are web requests and
    sockets (`remote`).

    ## References
    - [CWE-88: Argument Injection](https://cwe.mitre.org/data/definitions/88.html)
    - [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html)
    - [Argument injection vectors (Sonar)](https://sonarsource.github.io/argument-injection-vectors/)
    """

    code = "SCR902"
    name = "argument-injection"
    cwe = 88
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    sink_kind = "argument-injection"
    fix = (
        "Validate the value against an allow-list or an anchored pattern that cannot start with "
        "`-`, and put `--` before it."
    )
    twins = ("SCR104",)
