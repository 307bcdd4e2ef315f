"""Conditions on sink rows that depend on the call's other arguments, read from the row's fields.

- `programs`: the row applies only when the command runs one of these programs
  (`subprocess.run(["iptables-restore"], input=rules)` feeds rules; other programs' input does not).
- `path_words` with `opened_by`: a `write` method applies only to a file opened by one of these
  functions at a path whose words name a configuration file (`open(haproxy_cfg, "w")`).
"""

from __future__ import annotations

import ast
import os
import re
from typing import TYPE_CHECKING

from scrutiny.engine.context import argument
from scrutiny.engine.model import Entry
from scrutiny.engine.taint import frameworks as fw

if TYPE_CHECKING:
    from scrutiny.engine.taint.local import FunctionAnalysis

_WORD = re.compile(r"[^a-z0-9]+")


def applies(analysis: FunctionAnalysis, call: ast.Call, entry: Entry) -> bool:
    programs = entry.get("programs")
    if programs and _program(analysis, call) not in programs:
        return False
    words = entry.get("path_words")
    return words is None or config_path(analysis, call, entry) is not None


def _program(analysis: FunctionAnalysis, call: ast.Call) -> str | None:
    """The program a command runs: the first element of an argv list, or the first word."""
    node = argument(call, 0, "args")
    if isinstance(node, ast.List | ast.Tuple):
        node = node.elts[0] if node.elts else None
    value = analysis.ctx.const(node) if node is not None else None
    if not isinstance(value, str) or not value.split():
        return None
    return os.path.basename(value.split()[0])


def config_path(analysis: FunctionAnalysis, call: ast.Call, entry: Entry) -> ast.expr | None:
    """The path expression of the file `call` writes, when the row's words name it a config file."""
    if not isinstance(call.func, ast.Attribute):
        return None
    opener = _opener(analysis, call.func.value, call.lineno)
    if opener is None or fw.member_name(analysis.ctx, opener.func) not in entry.get("opened_by", ()):
        return None
    path = argument(opener, 0, "file")
    if path is None:
        return None
    words = set(entry.get("path_words", ()))
    return path if words & _words(analysis, path) else None


def _opener(analysis: FunctionAnalysis, receiver: ast.expr, line: int) -> ast.Call | None:
    """The call that made the file object: `open(p).write`, `f = open(p)`, `with open(p) as f`."""
    if isinstance(receiver, ast.Call):
        return receiver
    if not isinstance(receiver, ast.Name):
        return None
    found: tuple[int, ast.Call] | None = None  # the latest binding above the write
    for node in ast.walk(analysis.node):
        for made in _made(node, receiver.id):
            at = made.lineno
            if at <= line and (found is None or at >= found[0]):
                found = (at, made)
    return found[1] if found is not None else None


def _made(node: ast.AST, name: str) -> list[ast.Call]:
    if isinstance(node, ast.With | ast.AsyncWith):
        return [
            item.context_expr
            for item in node.items
            if isinstance(item.optional_vars, ast.Name)
            and item.optional_vars.id == name
            and isinstance(item.context_expr, ast.Call)
        ]
    if (
        isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ):
        return [node.value]
    return []


def _words(analysis: FunctionAnalysis, path: ast.expr) -> set[str]:
    """Lower-case words of the string parts, names and attributes of a path expression."""
    texts: list[str] = []
    folded = analysis.ctx.const(path)
    if isinstance(folded, str):
        texts.append(folded)
    for node in ast.walk(path):
        if isinstance(node, ast.Name):
            texts.append(node.id)
        elif isinstance(node, ast.Attribute):
            texts.append(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append(node.value)
    return {w for text in texts for w in _WORD.split(text.lower()) if w}
