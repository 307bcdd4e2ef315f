"""Rule SCR901: attacker-controlled data reaching a command that runs through a shell or as the program."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class CommandInjection(DataflowRule):
    """Checks for attacker-controlled data that reaches an OS command.

    ## Why is this bad?
    When request data becomes part of a command line run through a shell, or chooses the program
    to run, an attacker runs commands of their own with the service's privileges: a host name of
    `example.com; rm -rf /` does both things it says. scrutiny follows the data from where it
    enters (a request, a socket, an RPC message) through assignments, string building and calls
    across the project's functions, and shows the path. When the command runs as root
    (`processutils.execute(..., run_as_root=True)`, neutron's `ip netns exec` wrappers), the
    message says so: the attacker's command then runs with root privileges (CWE-250).

    ## Example
    ```python
    import subprocess
    from flask import request

    def ping():
        host = request.args["host"]
        return subprocess.check_output("ping -c 1 " + host, shell=True)
    ```

    ## Use instead
    ```python
    import subprocess
    from flask import request

    def ping():
        host = request.args["host"]
        return subprocess.check_output(["ping", "-c", "1", "--", host])
    ```

    ## Known problems
    Sources are web requests and sockets (`remote`); command-line arguments, the environment and
    files are trusted by default. Data stored in a database and read back is not followed.

    ## References
    - [CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)
    - [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html)
    - [OWASP: Command Injection](https://owasp.org/www-community/attacks/Command_Injection)
    """

    code = "SCR901"
    name = "command-injection"
    cwe = 78
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    sink_kind = "command-injection"
    fix = (
        "Pass an argument list without a shell, validate the value against an allow-list, or quote "
        "it with `shlex.quote`."
    )
    twins = ("SCR102", "SCR103", "SCR104")
