"""Log records and the credentials formatted into them (SCR711).

A call writes a log record when it resolves to a logging sink of the models, or when it calls a
log method (`secrets-vocabulary.log-methods`) on a logger: a name bound to a `logger` API's
result (`LOG = logging.getLogger(__name__)`), or one of the conventional logger names.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from scrutiny.engine.context import Context
from scrutiny.rules.secrets._vocabulary import Vocabulary

_NAMED = re.compile(r"%\((?P<key>\w+)\)")
_MASK = "secret-mask"
_METHODS = "secret-log-methods"


@dataclass(frozen=True, slots=True)
class Leak:
    node: ast.expr  # the expression that puts the credential in the record
    name: str  # the credential's name (variable, attribute, dict key)
    category: str


def message_arguments(call: ast.Call, ctx: Context) -> tuple[ast.expr, list[ast.expr]] | None:
    """The message and its formatting arguments, when `call` writes a log record."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    methods, level_firsts = _log_methods(ctx)
    level_first = func.attr in level_firsts
    if func.attr not in methods and not level_first:
        return None
    args = [a for a in call.args if not isinstance(a, ast.Starred)]
    start = 1 if level_first else 0
    if len(args) <= start:  # no message: nothing to resolve the receiver for
        return None
    if ctx.sink(call, "log-injection") is None and not _is_logger(func.value, ctx):
        return None
    return args[start], args[start + 1 :]


def _log_methods(ctx: Context) -> tuple[frozenset[str], frozenset[str]]:
    """The log method names and those taking the level first, read once per file: every call
    asks."""
    found: tuple[frozenset[str], frozenset[str]] | None = ctx.file_memo.get(_METHODS)
    if found is None:
        row = ctx.models.lookup("api", "secrets-vocabulary.log-methods", "credential")
        words = row.get("words", ()) if row is not None else ()
        firsts = row.get("level_first", ()) if row is not None else ()
        found = ctx.file_memo[_METHODS] = (frozenset(words), frozenset(firsts))
    return found


def _is_logger(receiver: ast.expr, ctx: Context) -> bool:
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
    if name is None:
        return False
    if isinstance(receiver, ast.Name):
        binding = ctx.binding(name)
        value = binding.value if binding is not None else None
        if isinstance(value, ast.Call) and ctx.api(value.func, "logger") is not None:
            return True
    row = ctx.models.lookup("api", "secrets-vocabulary.logger-receivers", "credential")
    return row is not None and name in row.get("words", ())


def masked(expr: ast.expr, ctx: Context) -> bool:
    return isinstance(expr, ast.Call) and ctx.api(expr.func, _MASK) is not None


def leaks(message: ast.expr, args: list[ast.expr], ctx: Context, vocab: Vocabulary) -> Iterator[Leak]:
    if masked(message, ctx):
        return  # `LOG.debug(mask_password(text))`: masked as a whole
    if isinstance(message, ast.BinOp) and isinstance(message.op, ast.Mod):  # "..." % values
        right = message.right
        yield from leaks(
            message.left, list(right.elts) if isinstance(right, ast.Tuple) else [right], ctx, vocab
        )
        return
    if isinstance(message, ast.JoinedStr):
        values = [v.value for v in message.values if isinstance(v, ast.FormattedValue)]
        yield from _named_values(values, ctx, vocab)
    text = ctx.const(message)
    if isinstance(text, str) and len(args) == 1 and isinstance(args[0], ast.Dict):
        yield from _dict_values(text, args[0], ctx, vocab)
    elif isinstance(text, str) and "%(" not in text:
        yield from _named_values(args, ctx, vocab)


def _dict_values(text: str, mapping: ast.Dict, ctx: Context, vocab: Vocabulary) -> Iterator[Leak]:
    used = set(_NAMED.findall(text))
    for key, value in zip(mapping.keys, mapping.values, strict=True):
        name = ctx.const(key) if key is not None else None
        if isinstance(name, str) and name in used and not masked(value, ctx):
            category = vocab.category(name)
            if category is not None and _may_hold_text(value):
                yield Leak(value, name, category)


def _named_values(values: list[ast.expr], ctx: Context, vocab: Vocabulary) -> Iterator[Leak]:
    for value in values:
        name = _name(value)
        if name is not None and not masked(value, ctx):
            category = vocab.category(name)
            if category is not None:
                yield Leak(value, name, category)


def _name(expr: ast.expr) -> str | None:
    """`password`, `self.password`, `creds["password"]`; a call or an operation names nothing."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
        return expr.slice.value if isinstance(expr.slice.value, str) else None
    return None


def _may_hold_text(value: ast.expr) -> bool:
    """A literal placeholder (`'***'`) or a call result (`len(pw)`) is not the credential."""
    return not isinstance(value, ast.Constant | ast.Call | ast.Compare | ast.BoolOp)
