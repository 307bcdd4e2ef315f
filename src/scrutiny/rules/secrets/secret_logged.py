"""Rule SCR711: a credential formatted into a log record without masking."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.secrets._logging import leaks, message_arguments
from scrutiny.rules.secrets._vocabulary import PASSWORD, Vocabulary, vocabulary, words

_POLICY_WORDS = "secrets-vocabulary.policy-check-words"


class SecretLogged(Rule):
    """Checks for log records that carry a value named as a password, secret or token: a
    `%(password)s` key of the arguments' dict, an f-string field, or a `%s` argument, unless
    it goes through `oslo_utils.strutils.mask_password` or `mask_dict_password`.

    ## Why is this bad?
    Logs are kept long, shipped to aggregators and pasted into bug reports, and are readable by
    far more people than the service's configuration. A credential written there is disclosed
    to all of them. OpenStack's `strutils.mask_password` replaces the values of password-like
    keys with `***`.

    ## Example
    ```python
    from oslo_log import log as logging

    LOG = logging.getLogger(__name__)

    def connect(user, password):
        LOG.debug("Connecting as %(user)s with %(password)s", {"user": user, "password": password})
    ```

    ## Use instead
    ```python
    from oslo_log import log as logging
    from oslo_utils import strutils

    LOG = logging.getLogger(__name__)

    def connect(user, password):
        LOG.debug("Connecting as %(user)s with %(password)s",
                  {"user": user, "password": strutils.mask_password(password)})
    ```

    ## Known problems
    The value's name decides (the credential words of `models/secrets.toml`); a credential under
    another name, or inside a larger object (`LOG.debug("%s", request)`), is not found. A value
    whose only credential word is `token` or `pass` is reported at low confidence. A value the
    same function passes to a policy check (`policy.enforce(credentials, action, target)`) is
    oslo.policy's `creds`, the caller's roles and ids, and is not reported whatever its name.

    ## References
    - [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
    - [oslo.utils: strutils.mask_password](https://docs.openstack.org/oslo.utils/latest/reference/strutils.html)
    """

    code = "SCR711"
    name = "secret-logged"
    cwe = 532
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    fix = "Leave the credential out of the record, or pass it through `strutils.mask_password`."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        found = message_arguments(node, ctx)
        if found is None:
            return
        vocab = vocabulary(ctx.models)
        for leak in leaks(*found, ctx, vocab):
            if _policy_credentials(leak.node, ctx, vocab):
                continue
            noun = (
                "password" if leak.category == PASSWORD else "secret"
            )  # scrutiny: ignore[SCR306] -- a category tag
            sole = [w for w in words(leak.name) if vocab.category(w)]
            doubt = bool(sole) and all(w in vocab.ambiguous for w in sole)
            yield self.hit(
                leak.node,
                f"`{leak.name}` is written to the log, and its name says it holds a {noun}",
                confidence=Confidence.LOW if doubt else None,
            )


def _policy_credentials(value: ast.expr, ctx: Context, vocab: Vocabulary) -> bool:
    """`value` is also an argument of a policy check in the same function: the credentials
    policy rules are matched against (roles, user and project ids), not a secret."""
    function = ctx.enclosing_function()
    if function is None:
        return False
    shown = ast.dump(value)
    return any(
        isinstance(node, ast.Call)
        and any(ast.dump(a) == shown for a in (*node.args, *(k.value for k in node.keywords)))
        and _policy_check(node, ctx, vocab)
        for node in ast.walk(function)
    )


def _policy_check(call: ast.Call, ctx: Context, vocab: Vocabulary) -> bool:
    if ctx.api(call.func, "authz-check") is not None:
        return True
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    ws = words(name)
    row = ctx.models.lookup("api", _POLICY_WORDS, "credential")
    if row is None or not set(ws) & set(row.get("words", ())):
        return False
    joined = f" {' '.join(ws)} "
    return not (vocab.password.match(ws, joined) or vocab.secret.match(ws, joined))
