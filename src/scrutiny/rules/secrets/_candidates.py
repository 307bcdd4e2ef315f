"""Where a string literal stands as a credential: assigned to a credential's name, passed as
one, a parameter's default, compared with one, mapped by a dict key, or given to an API that
takes one. Shared by the password and secret rules, which differ in the words they report."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from scrutiny.engine.context import Context, argument
from scrutiny.engine.scopes import ScopeKind
from scrutiny.findings import Confidence
from scrutiny.rules.secrets._vocabulary import PASSWORD, SECRET, Vocabulary, vocabulary

NODES = (
    ast.Assign, ast.AnnAssign, ast.Call, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
    ast.Compare, ast.Dict,
)  # fmt: skip

_JUDGED = (ast.Constant, ast.Tuple)  # a keyword's literal, or an auth pair holding one
_TEXT = (str, bytes)

# Message templates by place; `{name}` names the credential, `{noun}` its category.
ASSIGNED = "`{name}` is assigned a hard-coded {noun}"
KEYWORD = "Keyword `{name}` is given a hard-coded {noun}"
DEFAULT = "Parameter `{name}` defaults to a hard-coded {noun}"
COMPARED = "`{name}` is compared with a hard-coded {noun}"
MAPPED = "Key `{name}` maps to a hard-coded {noun}"
PASSED = "`{name}` is given a hard-coded {noun}"
FALLBACK = "`{name}` falls back to a hard-coded {noun}"


@dataclass(frozen=True, slots=True)
class Candidate:
    node: ast.expr  # the literal
    message: str
    category: str
    confidence: Confidence


def candidates(node: ast.AST, ctx: Context) -> list[Candidate]:
    """The node's candidates, judged once for both rules that report them (password, secret)."""
    found = ctx.node_memo.get("secret-candidates")
    if found is None:
        found = ctx.node_memo["secret-candidates"] = list(_candidates(node, ctx))
    return found


def _candidates(node: ast.AST, ctx: Context) -> Iterator[Candidate]:
    vocab = vocabulary(ctx.models)
    if isinstance(node, ast.Assign | ast.AnnAssign):
        yield from _assignment(node, ctx, vocab)
    elif isinstance(node, ast.Call):
        yield from _call(node, ctx, vocab)
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        yield from _defaults(node.args, vocab)
    elif isinstance(node, ast.Compare):
        yield from _compare(node, vocab)
    elif isinstance(node, ast.Dict) and not _maps_names(node):
        for key, value in zip(node.keys, node.values, strict=True):
            name = _text(key)
            if name is not None:
                yield from _judge(vocab, value, name, MAPPED, namelike=True)


def _maps_names(node: ast.Dict) -> bool:
    """A dict mapping field names to field names: entries map names to themselves
    (`{"password": "pass", "name": "name", "enabled": "enabled"}`, an LDAP attribute map).
    Two are asked for, so `{"user": "user", "password": "s3cret"}` is still judged."""
    same = 0
    for key, value in zip(node.keys, node.values, strict=True):
        text = _text(key)
        same += text is not None and text == _text(value) and text.isidentifier()
    return same >= 2


def _text(expr: ast.expr | None) -> str | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str | bytes):
        value = expr.value
        return value.decode("latin-1") if isinstance(value, bytes) else value
    return None


def _judge(
    vocab: Vocabulary,
    value: ast.expr | None,
    name: str,
    template: str,
    *,
    namelike: bool = False,
    category: str | None = None,
) -> Iterator[Candidate]:
    text = _text(value)
    if text is None or value is None:
        return
    category = category or vocab.category(name)
    if category is None:
        return
    confidence = vocab.judge(text, name, namelike)
    if confidence is not None:
        noun = "password" if category == PASSWORD else "secret"  # scrutiny: ignore[SCR306] -- a category tag
        yield Candidate(value, template.format(name=name, noun=noun), category, confidence)


def _target_name(expr: ast.expr) -> str | None:
    """The name a credential is stored under or read from: `pw`, `self.pw`, `cfg["pw"]`,
    `form.get("pw")`."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        return _text(expr.slice)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.args:
        return _text(expr.args[0]) if expr.func.attr == "get" else None
    return None


def _in_enum_body(ctx: Context, vocab: Vocabulary) -> bool:
    if ctx.scope.kind is not ScopeKind.CLASS or not isinstance(ctx.scope.node, ast.ClassDef):
        return False
    bases = [ctx.qualified_name(b) or ast.unparse(b) for b in ctx.scope.node.bases]
    return vocab.is_enum_base(bases)


def _assignment(node: ast.Assign | ast.AnnAssign, ctx: Context, vocab: Vocabulary) -> Iterator[Candidate]:
    value = node.value
    if value is None:
        return
    values = value.elts if isinstance(value, ast.Tuple | ast.List) else [value]
    if not any(_text(v) is not None for v in values):
        return  # only a text literal, or one unpacked from a tuple, is judged below
    if _in_enum_body(ctx, vocab):  # enum members name things
        return
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        pairs: list[tuple[ast.expr, ast.expr]] = [(target, value)]
        if (
            isinstance(target, ast.Tuple | ast.List)
            and isinstance(value, ast.Tuple | ast.List)
            and len(target.elts) == len(value.elts)
        ):
            pairs = list(zip(target.elts, value.elts, strict=True))
        for left, right in pairs:
            name = _target_name(left)
            if name is not None:
                # An UPPER_CASE constant may hold a key's name (`PASSWORD = "password"`).
                namelike = not isinstance(left, ast.Subscript) and name.isupper()
                yield from _judge(vocab, right, name, ASSIGNED, namelike=namelike)


def _call(node: ast.Call, ctx: Context, vocab: Vocabulary) -> Iterator[Candidate]:
    for kw in node.keywords:
        if kw.arg is None or not isinstance(kw.value, _JUDGED):
            continue  # only a literal, or an auth pair holding one, can be judged
        if kw.arg in vocab.auth_pairs and isinstance(kw.value, ast.Tuple) and len(kw.value.elts) == 2:
            yield from _judge(vocab, kw.value.elts[1], kw.arg, KEYWORD, category=PASSWORD)
        else:
            yield from _judge(vocab, kw.value, kw.arg, KEYWORD)
    if not _text_argument(node):
        return
    entry = ctx.api(node.func, "credential")
    if entry is None or not entry.args:
        return
    named_by = entry.get("named_by")
    if isinstance(named_by, int):
        # `os.getenv("DB_PASSWORD", "hunter2")`: the fallback is the credential.
        name = _text(argument(node, named_by))
        value = argument(node, entry.args[0], entry.kwargs[0] if entry.kwargs else None)
        if name is not None:
            yield from _judge(vocab, value, name, FALLBACK)
        return
    # Positional only: a keyword was judged by its own name above.
    category = PASSWORD if entry.get("secret") == "password" else SECRET
    api = ctx.call_name(node) or entry.name
    yield from _judge(vocab, argument(node, entry.args[0]), api, PASSED, category=category)


def _text_argument(call: ast.Call) -> bool:
    """A positional text literal: both uses of a credential API row need one (the credential,
    or the name of the variable it falls back for), so without one the callee is not resolved."""
    return any(isinstance(arg, ast.Constant) and isinstance(arg.value, _TEXT) for arg in call.args)


def _defaults(args: ast.arguments, vocab: Vocabulary) -> Iterator[Candidate]:
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
    for arg, default in pairs:
        yield from _judge(vocab, default, arg.arg, DEFAULT)


def _compare(node: ast.Compare, vocab: Vocabulary) -> Iterator[Candidate]:
    if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
        return
    left, right = node.left, node.comparators[0]
    for side, other in ((left, right), (right, left)):
        text = _text(other)
        if text is not None and text.isalpha() and vocab.category(text):
            continue  # `cfg.get("auth") == "token"` tests a kind, not a credential
        name = _target_name(side)
        if name is not None and _text(side) is None:
            yield from _judge(vocab, other, name, COMPARED)
