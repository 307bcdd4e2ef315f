"""Rule SCR305: the `random` module generating a token, password, key or other secret."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.engine.model import Entry
from scrutiny.engine.scopes import BindingKind, ScopeKind
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.crypto._flow import SINKLESS, Label, callee, follow, target_name
from scrutiny.rules.crypto._words import is_secret


class InsecureRandomSecret(Rule):
    """Checks for secrets (tokens, passwords, keys, salts, nonces, OTPs) made with `random`.

    ## Why is this bad?
    The `random` module is a Mersenne Twister: after 624 outputs an observer can compute every
    later (and earlier) value. A password reset token, session id, API key or one-time code
    drawn from it can be predicted by anyone who has seen a few others. The `secrets` module
    draws from the operating system's secure generator.

    ## Example
    ```python
    import random
    import string

    def make_reset_token():
        return "".join(random.choice(string.ascii_letters) for _ in range(32))
    ```

    ## Use instead
    ```python
    import random
    import secrets

    def make_reset_token():
        return secrets.token_urlsafe(32)

    def backoff(attempt):
        return 2**attempt + random.uniform(0, 1)
    ```

    ## Known problems
    Unlike Bandit, which reports every call to `random`, this rule reports a call only when
    its result is given, in the same function, a name that says it is a secret (`token`,
    `password`, `api_key`, `salt`, `otp`, `session_id`, ...): through variables, keyword
    arguments, dict keys, attributes, and the return value of a function so named. A call
    that merely sits in such a function is reported with low confidence. Simulations,
    jitter, sampling and shuffling are not reported. A generic helper (`random_string()`)
    whose caller names the result a token is not followed across functions, and generators
    kept in attributes (`self.rng = random.Random()`) are not recognised.

    ## References
    - [CWE-338: Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)](https://cwe.mitre.org/data/definitions/338.html)
    - [Python docs: `secrets`](https://docs.python.org/3/library/secrets.html)
    """

    code = "SCR305"
    name = "insecure-random-secret"
    cwe = 338
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:insecure-random",)),)
    fix = "Use the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`) or `random.SystemRandom`."
    bandit = ("B311",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        found = _generator_call(node, ctx)
        if found is None:
            return
        shown = ast.unparse(node.func)
        first: list[Label] | None = None
        mutated = found[1]
        if mutated is not None:  # `shuffle(x)`: what is randomised is `x`
            arg = argument(node, mutated)
            name = target_name(arg) if arg is not None else None
            if arg is None or name is None:
                return
            first = [Label(name, f"`{name}`", arg.id if isinstance(arg, ast.Name) else None)]
        label = follow(node, _scope(ctx), is_secret, first)
        if label is not None:
            yield self.hit(node, f"`{shown}` is not cryptographically secure and generates {label.display}")
            return
        function = ctx.enclosing_function()
        parent = ctx.parent()
        if function is None or not is_secret(function.name):
            return
        if isinstance(parent, ast.Call) and callee(parent) in SINKLESS:
            return
        message = f"`{shown}` is not cryptographically secure and is called in `{function.name}`"
        yield self.hit(node, message, confidence=Confidence.LOW)


def _generator_call(call: ast.Call, ctx: Context) -> tuple[Entry, int | None] | None:
    """The model row for a call on `random` or on a `random.Random()`, and the position of
    the argument it randomises in place (`shuffle`), if any."""
    entry = ctx.api(call.func, "insecure-random")
    if entry is not None:
        if entry.get("methods") is not None:  # the constructor itself makes no value
            return None
        return entry, entry.get("mutates")
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    made: ast.expr | None = func.value
    if isinstance(made, ast.Name):
        binding = ctx.binding(made.id)
        if binding is None or binding.kind is not BindingKind.ASSIGN:
            return None
        made = binding.value
    if not isinstance(made, ast.Call):
        return None
    generator = ctx.api(made.func, "insecure-random")
    if generator is None or func.attr not in generator.get("methods", ()):
        return None
    return generator, generator.get("mutates_by_method", {}).get(func.attr)


def _scope(ctx: Context) -> ast.AST:
    """The function, class body or module whose statements the value is followed through."""
    for scope in reversed(ctx.stack):
        if scope.kind in (ScopeKind.FUNCTION, ScopeKind.CLASS, ScopeKind.MODULE):
            return scope.node
    return ctx.stack[0].node
