"""Rule SCR908: attacker-controlled data used as the source of a template."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class TemplateInjection(DataflowRule):
    """Checks for attacker-controlled data that becomes the source text of a template.

    ## Why is this bad?
    Template languages are programming languages: `{{ config }}` leaks the application's
    secrets and `{{ ''.__class__.__mro__[1].__subclasses__() }}` reaches `subprocess`. Request data
    must be passed to a template as a variable, never concatenated into its source.

    ## Example
    ```python
    from flask import render_template_string, request

    def hello():
        name = request.args["name"]
        return render_template_string("<h1>Hello " + name + "</h1>")
    ```

    ## Use instead
    ```python
    from flask import render_template_string, request

    def hello():
        name = request.args["name"]
        return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    ```

    ## Known problems
    Sources are web requests and sockets (`remote`); templates read from files are trusted.

    ## References
    - [CWE-1336: Template Injection](https://cwe.mitre.org/data/definitions/1336.html)
    - [PortSwigger: Server-side template injection](https://portswigger.net/web-security/server-side-template-injection)
    """

    code = "SCR908"
    name = "template-injection"
    cwe = 1336
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    sink_kind = "template-injection"
    fix = "Keep the template source constant and pass request data as template variables."
    twins = ()
