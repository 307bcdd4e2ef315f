"""Rule SCR510: a URL built at run time opened with `urllib`, which follows any scheme."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.network._util import constructed_by, literal_prefix, method_call

_WEB_SCHEMES = frozenset({"http", "https"})


class UrlOpenAnyScheme(Rule):
    """Checks for `urllib.request` openers (`urlopen`, `urlretrieve`, `Request`, `URLopener`)
    given a URL whose scheme is not fixed in the code.

    ## Why is this bad?
    `urllib` opens `file:` URLs (and `ftp:`, `data:` and any scheme a handler is installed
    for) as readily as `https:`. When the URL comes from outside, `file:///etc/passwd` or
    `file:///proc/self/environ` makes the program read and often return its own files; other
    schemes reach internal services. Fixing the scheme in the code (`f"https://{host}/..."`)
    or checking `urllib.parse.urlsplit(url).scheme` before opening closes that door.

    ## Example
    ```python
    from urllib.request import urlopen

    def fetch(url):
        return urlopen(url).read()
    ```

    ## Use instead
    ```python
    from urllib.parse import urlsplit
    from urllib.request import urlopen

    def fetch(url):
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(url)
        return urlopen("https://" + url.split("://", 1)[1]).read()
    ```

    ## Known problems
    A scheme check made elsewhere before the call is not seen, hence medium confidence.
    Wholly literal URLs are not reported, `file:` ones included (Bandit's B310 reports every
    call): a fixed URL is the author's choice, not an attacker's.

    ## References
    - [CWE-918: Server-Side Request Forgery (SSRF)](https://cwe.mitre.org/data/definitions/918.html)
    - [Python docs: `urllib.request.urlopen`](https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen)
    """

    code = "SCR510"
    name = "url-open-any-scheme"
    cwe = 918
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:url-open",)),)
    fix = "Fix the scheme in the code or check `urlsplit(url).scheme` is http(s) before opening the URL."
    bandit = ("B310",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "url-open")
        if entry is not None and entry.get("url_arg") is not None:
            label, url = entry.name, argument(node, entry.get("url_arg"), "url")
        else:
            found = method_call(node, ctx, "url-open")
            if found is None:
                return
            label, url = f"{found[0].name}.{found[1]}", argument(node, 0, "fullurl")
        if url is None or ctx.is_literal(url) or _is_request(url, ctx) or _web_scheme(url, ctx):
            return
        yield self.hit(node, f"`{label}` opens a URL built at run time, with any scheme including `file:`")


def _is_request(url: ast.expr, ctx: Context) -> bool:
    """A `Request` object: its URL was checked where it was built."""
    maker = constructed_by(url, ctx)
    entry = None if maker is None else ctx.models.lookup("api", ctx.call_name(maker), "url-open")
    return entry is not None and bool(entry.get("request"))


def _web_scheme(url: ast.expr, ctx: Context) -> bool:
    prefix = literal_prefix(url, ctx)
    if prefix is None or "://" not in prefix:
        return False
    return prefix.split("://", 1)[0].lower() in _WEB_SCHEMES
