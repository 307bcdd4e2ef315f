"""Rule SCR512: a CGI handler, where the client's `Proxy:` header becomes `HTTP_PROXY`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class Httpoxy(Rule):
    """Checks for CGI handlers exposed to httpoxy: `wsgiref.handlers.CGIHandler` and
    Twisted's `twcgi.CGIScript` and `twcgi.CGIDirectory`.

    ## Why is this bad?
    CGI passes each request header to the script as an `HTTP_*` environment variable, so a
    client that sends `Proxy: http://attacker:8080` sets `HTTP_PROXY`. HTTP clients that read
    their proxy from the environment then send the application's outgoing requests, with
    their credentials and responses, through the attacker's proxy (httpoxy, CVE-2016-5385 and
    kin). The WSGI or Twisted application itself, or the CGI script it runs, can be any
    language.

    ## Example
    ```python
    from wsgiref.handlers import CGIHandler

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    CGIHandler().run(app)
    ```

    ## Use instead
    ```python
    from wsgiref.simple_server import make_server

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    make_server("127.0.0.1", 8000, app).serve_forever()
    ```

    ## Known problems
    Low confidence: Python's own `urllib` (and `requests`, `httpx`, which use its proxy
    lookup) ignores `HTTP_PROXY` under CGI since 3.5.3, and Twisted strips the header since
    16.3.1; the risk remains for other clients and for CGI scripts in other languages, or
    where the web server in front does not drop the `Proxy` header.

    ## References
    - [CWE-20: Improper Input Validation](https://cwe.mitre.org/data/definitions/20.html)
    - [httpoxy.org](https://httpoxy.org/)
    """

    code = "SCR512"
    name = "httpoxy"
    cwe = 20
    severity = Severity.MEDIUM
    confidence = Confidence.LOW
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:cgi-handler",)),)
    fix = "Serve the application through WSGI or ASGI instead of CGI, or drop the `Proxy` header in front."
    bandit = ("B412",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "cgi-handler")
        if entry is not None:
            yield self.hit(
                node, f"`{entry.name}` runs CGI, where a `Proxy` request header becomes `HTTP_PROXY`"
            )
