"""Rule SCR904: attacker-controlled data reaching `eval`, `exec`, `compile` or a dynamic import."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class CodeInjection(DataflowRule):
    """Checks for attacker-controlled data that is evaluated, compiled or imported as code.

    ## Why is this bad?
    `eval`, `exec` and `compile` run whatever Python they are given, and `importlib.import_module`
    runs the top level of any module the attacker names: request data that reaches them runs with
    the service's privileges. There is no safe way to sandbox `eval`.

    ## Example
    ```python
    from flask import request

    def calculate():
        expression = request.args["expr"]
        return str(eval(expression))
    ```

    ## Use instead
    ```python
    import ast
    from flask import request

    def calculate():
        expression = request.args["expr"]
        return str(ast.literal_eval(expression))
    ```

    ## Known problems
    Sources are web requests and sockets (`remote`). Code read from files or the environment is
    trusted by default. Of a WebOb request (`webob.dec.wsgify`) only the attributes that carry
    the client's data are sources (`params`, `body`, `headers`, ...): not `request.environ`,
    where the routes middleware puts the matched route's `action`, and not a request passed
    whole to a helper.

    ## References
    - [CWE-94: Code Injection](https://cwe.mitre.org/data/definitions/94.html)
    - [OWASP: Code Injection](https://owasp.org/www-community/attacks/Code_Injection)
    """

    code = "SCR904"
    name = "code-injection"
    cwe = 94
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    sink_kind = "code-injection"
    fix = "Parse the value with `ast.literal_eval` or `json.loads`, or map it to code through an allow-list."
    twins = ("SCR101",)
