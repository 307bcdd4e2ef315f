"""Rule SCR710: an oslo.config option named as a credential but not declared `secret=True`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking, keyword
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.secrets._vocabulary import PASSWORD, vocabulary, words

_EXCLUSIONS = "secrets-vocabulary.not-secret-option-names"


class SecretOptionNotMarkedSecret(Rule):
    """Checks for oslo.config options whose name says password, secret, token or key, declared
    without `secret=True`.

    ## Why is this bad?
    oslo.config prints every option's value when a service starts with `debug = True`
    (`log_opt_values`), and in some error paths; only options declared `secret=True` are
    printed as `****`. A password option without it ends up in the service's log, and from
    there in log aggregation, bug reports and support bundles.

    ## Example
    ```python
    from oslo_config import cfg

    opts = [cfg.StrOpt("admin_password", help="Password of the admin user.")]
    ```

    ## Use instead
    ```python
    from oslo_config import cfg

    opts = [cfg.StrOpt("admin_password", secret=True, help="Password of the admin user.")]
    ```

    ## Known problems
    The option's name decides, with the credential words of `models/secrets.toml`; names that
    only mention a credential (`password_length`, `token_expiration`, `key_file`) are not
    reported. Names whose only credential word is `token` or `pass` are reported at low
    confidence.

    ## References
    - [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
    - [oslo.config: secret options](https://docs.openstack.org/oslo.config/latest/reference/opts.html)
    """

    code = "SCR710"
    name = "secret-option-not-marked-secret"
    cwe = 532
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:config-option",)),)
    fix = "Declare the option with `secret=True`."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "config-option")
        if entry is None or has_kwargs_unpacking(node):
            return
        secret = keyword(node, str(entry.get("secret_kwarg", "secret")))
        if secret is not None and ctx.const(secret) is not False:
            return  # `secret=True`, or a value the reader cannot see: not a finding either way
        name = ctx.const(argument(node, 0, "name"))
        if not isinstance(name, str):
            return
        vocab = vocabulary(ctx.models)
        category = vocab.category(name)
        if category is None or _excluded(name, keyword(node, "help"), ctx):
            return
        ws = words(name)
        credential = [w for w in ws if w not in vocab.not_last]
        doubt = all(w in vocab.ambiguous for w in credential if vocab.category(w))
        noun = "password" if category == PASSWORD else "secret"  # scrutiny: ignore[SCR306] -- a category tag
        api = ".".join(entry.name.split(".")[-2:])
        yield self.hit(
            node,
            f"`{api}` option `{name}` holds a {noun} but is not declared `secret=True`",
            confidence=Confidence.LOW if doubt else None,
        )


def _excluded(name: str, help_text: ast.expr | None, ctx: Context) -> bool:
    """The option holds a path, a plugin's name or a function's, by its name or its help."""
    row = ctx.models.lookup("api", _EXCLUSIONS, "credential")
    if row is None:
        return False
    ws = words(name)
    if ws and ws[-1] in row.get("last", ()):
        return True
    # `help=_("...")` or `help=utils.fmt("""...""")`: the literal text inside, lower-cased.
    pieces = [n.value for n in ast.walk(help_text) if isinstance(n, ast.Constant)] if help_text else []
    text = " ".join(" ".join(p.split()) for p in pieces if isinstance(p, str)).lower()
    return any(phrase in text for phrase in row.get("help_phrases", ()))
