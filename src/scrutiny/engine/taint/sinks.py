"""Recording the calls where tainted data would do harm, with the arguments that matter."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from scrutiny.engine.context import argument, keyword
from scrutiny.engine.model import Entry, Models
from scrutiny.engine.names import UNKNOWN
from scrutiny.engine.source import char_column
from scrutiny.engine.taint.ir import SinkHit, Taint, union
from scrutiny.engine.taint.sink_filters import applies
from scrutiny.engine.walker import statement_lines

if TYPE_CHECKING:
    from scrutiny.engine.taint.local import FunctionAnalysis

_FALSY = (False, 0, None, "")


def _rows(analysis: FunctionAnalysis, call: ast.Call, name: str | None) -> tuple[str, list[Entry]]:
    """Sink rows by qualified name, else by method name on an object of unknown type: rows marked
    `method = true` lend the last part of their name (`*.xpath`, `sqlite3.Cursor.execute`)."""
    models = analysis.ctx.models
    rows = models.lookup_all("sink", name)
    if rows or not isinstance(call.func, ast.Attribute):
        return name or "", rows
    holder = call.func.value
    if isinstance(holder, ast.Attribute):
        # `wrapper.netns.execute(cmd)`: rows with `via = "netns"` name the attribute the method is
        # reached through, which says more than the method name alone (`execute` is also SQL's).
        via = _by_method(models, "via").get(f"{holder.attr}.{call.func.attr}")
        if via:
            return via[0].name, via
    by_name = _by_method(models).get(call.func.attr, [])
    if not by_name:
        return name or "", []
    receiver = call.func.value
    if (
        isinstance(receiver, ast.Name)
        and receiver.id == analysis.self_name
        and _own_method(analysis, call.func.attr)
    ):
        return name or "", []  # `self.execute()` may be the project's own method, not a driver's
    return f".{call.func.attr}", by_name


def _own_method(analysis: FunctionAnalysis, method: str) -> bool:
    """The class defines `method`, or has a base in the project that may."""
    cls = analysis.cls
    if cls is None:
        return False
    if any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == method for n in cls.body):
        return True
    for base in cls.bases:
        qualified = analysis.ctx.qualified_name(base)
        if (
            qualified is None
            or qualified.startswith(".")
            or qualified.split(".", 1)[0] in analysis.owner.project
        ):
            return True
    return False


_METHODS: dict[tuple[int, str], tuple[Models, dict[str, list[Entry]]]] = {}


def _by_method(models: Models, field: str = "method") -> dict[str, list[Entry]]:
    """Method name (`via.method` for `via` rows) -> the first such sink row of each kind."""
    known = _METHODS.get((id(models), field))
    if known is not None and known[0] is models:
        return known[1]
    index: dict[str, dict[str, Entry]] = {}
    for entry in models.all("sink"):
        if entry.get(field):
            method = entry.name.rsplit(".", 1)[-1]
            key = f"{entry.get(field)}.{method}" if field == "via" else method
            index.setdefault(key, {}).setdefault(entry.kind, entry)
    out = {method: list(kinds.values()) for method, kinds in index.items()}
    _METHODS[(id(models), field)] = (models, out)
    return out


def check_sink(
    analysis: FunctionAnalysis,
    call: ast.Call,
    name: str | None,
    args: list[Taint],
    kwargs: dict[str, Taint],
    receiver: Taint,
) -> list[SinkHit]:
    api, rows = _rows(analysis, call, name)
    hits: list[SinkHit] = []
    for entry in rows:
        if entry.kind == "command-injection":
            found = _command_hits(analysis, call, api, entry, args, kwargs)
            hits += _privileged(analysis, call, entry, found)
            continue
        taint = (
            receiver if entry.get("receiver") else _arguments(call, args, kwargs, entry.args, entry.kwargs)
        )
        # Row conditions on the other arguments are checked only once something tainted arrives.
        if taint and applies(analysis, call, entry):
            shown = _shorten(ast.unparse(call.func)) if entry.get("show_call") else api
            hits.append(_hit(analysis, call, entry.kind, shown, entry.get("detail", ""), taint))
    return hits


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _arguments(call: ast.Call, args: list[Taint], kwargs: dict[str, Taint],
               positions: tuple[int, ...], names: tuple[str, ...]) -> Taint:  # fmt: skip
    if not positions and not names:  # every argument matters
        return union(*args, *kwargs.values())
    picked = [args[p] for p in positions if p < len(args) and not _starred_before(call, p)]
    picked += [kwargs[n] for n in names if n in kwargs]
    if "**" in kwargs:
        picked.append(kwargs["**"])
    return union(*picked)


def _starred_before(call: ast.Call, position: int) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args[:position])


def _command_hits(analysis: FunctionAnalysis, call: ast.Call, api: str, entry: Entry,
                  args: list[Taint], kwargs: dict[str, Taint]) -> list[SinkHit]:  # fmt: skip
    shell = entry.get("shell", "never")
    if shell == "kwarg":
        shell = "always" if _flag_set(analysis, call, "shell") else "never"
    if entry.get("argv") == "varargs":
        start = entry.args[0] if entry.args else 0
        return _varargs(analysis, call, api, shell, args, start, entry.get("joined", False))
    return _command(analysis, call, api, shell, args, kwargs, entry.args, entry.kwargs)


def _flag_set(analysis: FunctionAnalysis, call: ast.Call, name: str) -> bool:
    """The keyword is passed with a value that is not a falsy constant (`shell=True`, `shell=x`)."""
    flag = keyword(call, name)
    value = analysis.ctx.const(flag) if flag is not None else False
    return flag is not None and (value is UNKNOWN or value not in _FALSY)


def _varargs(analysis: FunctionAnalysis, call: ast.Call, name: str, shell: str,
             args: list[Taint], start: int, joined: bool) -> list[SinkHit]:  # fmt: skip
    """`execute("ip", "link", "set", dev)`: the program, then its arguments, as positional
    arguments from `start` on (oslo.concurrency's `execute(*cmd)`). Through a shell only the
    first one is the command line, unless the words are `joined` into one (ssh); a `*cmd`
    hides where the program ends."""
    words = args[start:]
    if not words:
        return []
    if shell == "always":
        line = union(*words) if joined else words[0]
        return [_hit(analysis, call, "command-injection", name, "through a shell", line)] if line else []
    if any(isinstance(a, ast.Starred) for a in call.args[: start + 1]):
        taint = union(*words)
        if not taint:
            return []
        return [_hit(analysis, call, "argument-injection", name, "as the command line", taint)]
    hits = []
    if words[0]:
        hits.append(_hit(analysis, call, "command-injection", name, "as the program to run", words[0]))
    rest = union(*words[1:])
    if rest:
        hits.append(_hit(analysis, call, "argument-injection", name, "as a command-line argument", rest))
    return hits


def _privileged(analysis: FunctionAnalysis, call: ast.Call, entry: Entry,
                hits: list[SinkHit]) -> list[SinkHit]:  # fmt: skip
    """Say so when the command runs as root: a model row's `privileged` is `always`, or
    `kwarg:NAME` for a keyword that asks for it (`run_as_root=True`)."""
    fact = entry.get("privileged")
    if not hits or not isinstance(fact, str):
        return hits
    if fact == "always":
        why = "as root"
    elif fact.startswith("kwarg:") and _flag_set(analysis, call, fact[6:]):
        flag = keyword(call, fact[6:])
        why = f"as root (`{fact[6:]}={ast.unparse(flag) if flag is not None else ''}`)"
    else:
        return hits
    for hit in hits:
        hit.detail = f"{hit.detail}, in a command run {why}"
    return hits


def _command(
    analysis: FunctionAnalysis,
    call: ast.Call,
    name: str,
    shell: str,
    args: list[Taint],
    kwargs: dict[str, Taint],
    positions: tuple[int, ...],
    names: tuple[str, ...],
) -> list[SinkHit]:
    node = argument(call, positions[0] if positions else 0, names[0] if names else None)
    if node is None:
        return []
    taint = _arguments(call, args, kwargs, positions[:1], names[:1])
    if shell == "always":
        detail = "with shell=True" if keyword(call, "shell") is not None else "through a shell"
        return [_hit(analysis, call, "command-injection", name, detail, taint)] if taint else []
    parts = analysis.parts.get(id(node))
    if parts:
        hits = []
        if parts[0]:
            hits.append(_hit(analysis, call, "command-injection", name, "as the program to run", parts[0]))
        rest = union(*parts[1:])
        if rest:
            hits.append(_hit(analysis, call, "argument-injection", name, "as a command-line argument", rest))
        return hits
    if not taint:
        return []
    if isinstance(node, ast.JoinedStr | ast.BinOp) or isinstance(analysis.ctx.const(node), str):
        return [_hit(analysis, call, "command-injection", name, "as the program to run", taint)]
    return [_hit(analysis, call, "argument-injection", name, "as the command line", taint)]


def _hit(
    analysis: FunctionAnalysis, call: ast.Call, kind: str, name: str, detail: str, taint: Taint
) -> SinkHit:
    ctx = analysis.ctx
    stmt = analysis.current
    span = statement_lines(stmt) if stmt is not None else (call.lineno, call.end_lineno or call.lineno)
    lines = ctx.source.lines[call.lineno - 1 : (call.end_lineno or call.lineno)]
    end_line = call.end_lineno or call.lineno
    column = char_column(ctx.source.line(call.lineno), call.col_offset)
    end_column = char_column(ctx.source.line(end_line), call.end_col_offset or call.col_offset)
    return SinkHit(
        kind=kind, api=name, detail=detail, path=ctx.path, line=call.lineno, column=column,
        end_line=end_line, end_column=end_column,
        statement=span, scope=ctx.scope_path, snippet="\n".join(lines).strip(),
        source_line=ctx.source.line(call.lineno), taint=taint,
    )  # fmt: skip
