"""The one walk over a file's tree: scopes and bindings, and rule dispatch by node type.

Function bodies are walked after the scope that defines them is complete (as pyflakes does),
so a function sees every module-level import and constant, wherever it stands in the file.
A rule that raises is reported once per file with its code and switched off for that file;
`strict` re-raises, for tests.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from scrutiny.engine.context import Context
from scrutiny.engine.model import Models
from scrutiny.engine.scopes import Binding, BindingKind, Scope, ScopeKind
from scrutiny.engine.source import Source, char_column
from scrutiny.findings import FileError, Finding, Location
from scrutiny.rules.base import Hit, Rule

_COMPOUND = (
    ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar,
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match,
)  # fmt: skip
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


class Observer(Protocol):
    """Sees each function once its body's scope is complete, then the module (the taint stage)."""

    def function_done(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None: ...

    def module_done(self) -> None: ...


# Fields that never hold a node worth visiting: `ctx` (Load/Store, a third of all nodes),
# identifiers, and flags. Skipping them is the cheapest speed-up the walk has.
_LEAF_FIELDS = frozenset({"ctx", "id", "attr", "arg", "module", "level", "type_comment", "kind", "is_async",
                          "conversion", "simple", "tag", "kwd_attrs"})  # fmt: skip
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(node_type)
    if fields is None:
        fields = tuple(f for f in node_type._fields if f not in _LEAF_FIELDS)
        if node_type in (ast.Constant, ast.Global, ast.Nonlocal):  # values and names, no nodes
            fields = ()
        _CHILD_FIELDS[node_type] = fields
    return fields


# (ungated, gated, tail-gated rules, binding handler, is a statement, child fields) of a type.
_Plan = tuple[
    "list[Rule] | None",
    "list[tuple[Rule, frozenset[str]]] | None",
    "list[Rule] | None",
    "Callable[[Walker, ast.AST], None] | None",
    bool,
    tuple[str, ...],
]


def _present(rules: Sequence[Rule], source: Source, models: Models) -> list[Rule]:
    """The rules whose `needles` the file's text holds (or that declare none): a rule without
    any of its words in the file cannot report there, and skipping it skips its dispatch."""
    lowered: str | None = None
    seen: dict[str, bool] = {}
    kept = []
    for rule in rules:
        if rule.needles:
            if lowered is None:
                lowered = source.lowered()
            found = False
            for needle in models.needles(rule.needles):
                hit = seen.get(needle)
                if hit is None:
                    hit = seen[needle] = needle in lowered
                if hit:
                    found = True
                    break
            if not found:
                continue
        kept.append(rule)
    return kept


_Tables = tuple[
    dict[type[ast.AST], list[Rule]],
    dict[type[ast.AST], list[tuple[Rule, frozenset[str]]]],
    dict[type[ast.AST], list[Rule]],
    frozenset[str],
    frozenset[str],
    frozenset[str],
    "dict[type[ast.AST], _Plan]",
]
_TABLES: dict[tuple[tuple[Rule, ...], int], tuple[Models, _Tables]] = {}


def _tables(rules: tuple[Rule, ...], models: Models) -> _Tables:
    """Dispatch tables for a set of rules, built once per distinct set (files differ only in
    which rules their needles keep, so a project has a handful of sets)."""
    key = (rules, id(models))
    found = _TABLES.get(key)
    if found is not None and found[0] is models:  # the id of a live object: never reused
        return found[1]
    table: dict[type[ast.AST], list[Rule]] = {}
    gated: dict[type[ast.AST], list[tuple[Rule, frozenset[str]]]] = {}
    tails: dict[type[ast.AST], list[Rule]] = {}
    tail_kinds: set[str] = set()
    for rule in rules:
        gates = dict(rule.gate)
        for node_type in rule.nodes:
            gate = gates.get(node_type)
            if gate and node_type is ast.Call and all(k.startswith("tail:") for k in gate):
                tails.setdefault(node_type, []).append(rule)
                tail_kinds.update(k.removeprefix("tail:") for k in gate)
            elif gate:
                gated.setdefault(node_type, []).append((rule, frozenset(gate)))
            else:
                table.setdefault(node_type, []).append(rule)
    # Last components of the model names the Name/Attribute gates look for, and the local
    # names bound to one of them (`P = ssl.PROTOCOL_SSLv2`, `from ssl import X as P`): a
    # loaded name outside both cannot resolve to a gated row, so it is never resolved.
    wanted = {k for t in (ast.Name, ast.Attribute) for _, gate in gated.get(t, ()) for k in gate}
    # Tail gates: a call whose last name (`x.chmod`, `chmod`) is no row's last name or
    # method of the kinds cannot be one, whatever its receiver's type turns out to be.
    terminals = models.callable_names(frozenset(wanted))
    tail_names = models.callable_names(frozenset(tail_kinds))
    built: _Tables = (table, gated, tails, terminals, tail_names, terminals | tail_names, {})
    if len(_TABLES) > 256:  # many rule sets or model sets in one process (tests)
        _TABLES.clear()
    _TABLES[key] = (models, built)
    return built


@dataclass(frozen=True, slots=True)
class RawFinding:
    """A finding plus the lines of its statement, which suppression comments may stand on."""

    finding: Finding
    statement: tuple[int, int]


def statement_lines(stmt: ast.stmt) -> tuple[int, int]:
    """The lines a suppression comment for a statement may stand on: a compound statement's
    header only (decorators through the line before its body), a simple statement whole."""
    start = stmt.lineno
    decorators = getattr(stmt, "decorator_list", None)
    if decorators:
        start = min(start, *(d.lineno for d in decorators))
    if isinstance(stmt, _COMPOUND):
        body = getattr(stmt, "body", None) or getattr(stmt, "cases", None)
        first = body[0].lineno if body else stmt.lineno
        return start, max(stmt.lineno, first - 1)
    return start, stmt.end_lineno or stmt.lineno


class Walker:
    def __init__(
        self, rules: Sequence[Rule], ctx: Context, strict: bool = False, observer: Observer | None = None
    ) -> None:
        self.ctx = ctx
        self.observer = observer
        self.strict = strict
        self.findings: list[RawFinding] = []
        self.errors: list[FileError] = []
        tables = _tables(tuple(_present(rules, ctx.source, ctx.models)), ctx.models)
        self._table, self._gated, self._tails, self._terminals, self._tail_names = tables[:5]
        self._alias_targets, self._plans = tables[5:]  # plans: per rule set, filled as types come
        self._aliases: set[str] = set()
        self._disabled: set[str] = set()
        self._stmt: ast.stmt | None = None
        self._deferred: deque[tuple[ast.AST, list[Scope], list[ast.AST]]] = deque()

    # -- driving ----------------------------------------------------------------------------
    def run(self) -> None:
        module = self.ctx.source.tree
        self.ctx.stack = [Scope(ScopeKind.MODULE, "", module)]
        self.ctx.parents = []
        if self.observer is None and not self._gated and not self._tails and set(self._table) <= {ast.Module}:
            # Only whole-module rules (test code's quiet profile): they are sent the root before
            # any binding exists, as in a full walk, and nothing else needs the walk.
            self.ctx.parents.append(module)
            self._dispatch(self._table.get(ast.Module, []), module)
            return
        self.visit(module)
        module_stack = list(self.ctx.stack)
        deferred = self._deferred
        while deferred:  # functions found while walking a body are appended as it goes
            node, stack, parents = deferred.popleft()
            self.ctx.stack, self.ctx.parents = stack, parents
            self._function_body(node)
        if self.observer is not None:
            self.ctx.stack, self.ctx.parents = module_stack, []
            self.ctx.names_cache.clear()
            self.observer.module_done()

    def _plan(self, kind: type[ast.AST]) -> _Plan:
        """What visiting a node of this type takes, looked up once per type and file: the
        walk's inner loop then does one dict lookup per node instead of five."""
        plan = (
            self._table.get(kind),
            self._gated.get(kind),
            self._tails.get(kind),
            _HANDLERS.get(kind),
            issubclass(kind, ast.stmt),
            _child_fields(kind),
        )
        self._plans[kind] = plan
        return plan

    def visit(self, node: ast.AST) -> None:
        ctx = self.ctx
        parents = ctx.parents
        parents.append(node)
        kind = type(node)
        plan = self._plans.get(kind) or self._plan(kind)
        rules, gated, tails, handler, is_stmt, fields = plan
        outer_stmt = self._stmt
        if is_stmt:
            self._stmt = node  # type: ignore[assignment]
        if rules or gated or tails:
            ctx.names_cache.clear()
            ctx.node_memo.clear()
            if tails and self._tail_passes(node):
                rules = [*(rules or ()), *tails]
            if gated:
                rules = self._open_gates(node, gated, rules)
            if rules:
                self._dispatch(rules, node)
        if handler is not None:
            handler(self, node)
        else:
            visit = self.visit
            for name in fields:
                value = getattr(node, name, None)
                if type(value) is list:
                    for item in value:
                        if isinstance(item, ast.AST):
                            visit(item)
                elif isinstance(value, ast.AST):
                    visit(value)
        self._stmt = outer_stmt
        parents.pop()

    def generic_visit(self, node: ast.AST) -> None:
        for name in _child_fields(type(node)):
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def _visit_all(self, nodes: Sequence[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    # -- rules ------------------------------------------------------------------------------
    def _tail_passes(self, node: ast.AST) -> bool:
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute):
            return func.attr in self._tail_names
        if isinstance(func, ast.Name):
            return func.id in self._tail_names or func.id in self._aliases
        return False

    def _open_gates(
        self, node: ast.AST, gated: list[tuple[Rule, frozenset[str]]], rules: list[Rule] | None
    ) -> list[Rule] | None:
        """The ungated rules plus the gated ones whose model kinds the node's name has."""
        if isinstance(node, ast.Call):
            target: ast.expr = node.func
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id not in self._terminals and node.id not in self._aliases:
                return rules
            target = node
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            if node.attr not in self._terminals:
                return rules
            target = node
        else:
            return rules
        name = self.ctx.qualified_name(target)
        if name is None:
            return rules
        kinds = self.ctx.models.kinds_of(name)
        if not kinds:
            return rules
        passed = [rule for rule, gate in gated if not gate.isdisjoint(kinds)]
        return [*(rules or ()), *passed] if passed else rules

    def _dispatch(self, rules: list[Rule], node: ast.AST) -> None:
        for rule in rules:
            if rule.code in self._disabled:
                continue
            try:
                for hit in rule.check(node, self.ctx):
                    self._record(rule, hit)
            except Exception as exc:  # a broken rule must not cost the file its review
                if self.strict:
                    raise
                self._disabled.add(rule.code)
                line = getattr(node, "lineno", None)
                self.errors.append(
                    FileError(
                        self.ctx.path, "rule-error",
                        f"rule {rule.code} ({rule.name}) failed: {type(exc).__name__}: {exc}",
                        line=line, rule=rule.code,
                    )
                )  # fmt: skip

    def _record(self, rule: Rule, hit: Hit) -> None:
        node = hit.node
        source = self.ctx.source
        line = getattr(node, "lineno", 1)
        col = char_column(source.line(line), getattr(node, "col_offset", 0))
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        end_col = col if end_col is None else char_column(source.line(end_line), end_col)
        confidence = rule.confidence
        if hit.confidence is not None and hit.confidence < confidence:
            confidence = hit.confidence
        finding = Finding(
            code=rule.code, name=rule.name, cwe=rule.cwe, severity=rule.severity,
            confidence=confidence, path=self.ctx.path,
            location=Location(line, col, end_line, end_col), message=hit.message,
            fix=hit.fix or rule.fix, source_line=self.ctx.source.line(line),
            scope=self.ctx.scope_path, snippet=self._snippet(line, col, end_line, end_col),
        )  # fmt: skip
        stmt = self._stmt
        span = statement_lines(stmt) if stmt is not None else (line, end_line)
        self.findings.append(RawFinding(finding, (min(span[0], line), max(span[1], line))))

    def _snippet(self, line: int, col: int, end_line: int, end_col: int) -> str:
        lines = self.ctx.source.lines[line - 1 : end_line]
        if not lines:
            return ""
        if len(lines) == 1:
            return lines[0][col:end_col] if end_col > col else lines[0]
        return "\n".join([lines[0][col:], *lines[1:-1], lines[-1][:end_col]])

    # -- bindings ---------------------------------------------------------------------------
    def _bind(self, name: str, kind: BindingKind, node: ast.AST, **facts: object) -> None:
        scope = self.ctx.stack[-1]
        if name in scope.globals:
            scope = self.ctx.stack[0]
        binding = Binding(name, kind, node)
        qualname, value = facts.get("qualname"), facts.get("value")
        if isinstance(qualname, str):
            binding.qualname = qualname
            if qualname.rpartition(".")[2] in self._alias_targets:
                self._aliases.add(name)
        if isinstance(value, ast.expr):
            binding.value = value
            terminal = value.id if isinstance(value, ast.Name) else getattr(value, "attr", None)
            if terminal is not None and (terminal in self._alias_targets or terminal in self._aliases):
                self._aliases.add(name)
        scope.bind(binding)

    def _bind_target(self, target: ast.expr, value: ast.expr | None) -> None:
        """Bind names in an assignment target; visit the parts that are expressions."""
        if isinstance(target, ast.Name):
            kind = BindingKind.ASSIGN if value is not None else BindingKind.OTHER
            self._bind(target.id, kind, target, value=value)
        elif isinstance(target, ast.Tuple | ast.List):
            values: list[ast.expr] | None = None
            if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts):
                values = value.elts
            for i, element in enumerate(target.elts):
                self._bind_target(element, values[i] if values else None)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None)
        else:  # attribute or subscript stores: their parts are reads
            self.visit(target)

    def _import(self, node: ast.AST) -> None:
        assert isinstance(node, ast.Import)
        for alias in node.names:
            if alias.asname:
                self._bind(alias.asname, BindingKind.IMPORT, node, qualname=alias.name)
            else:
                top = alias.name.split(".", 1)[0]
                self._bind(top, BindingKind.IMPORT, node, qualname=top)

    def _import_from(self, node: ast.AST) -> None:
        assert isinstance(node, ast.ImportFrom)
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            prefix = module if module.endswith(".") else module + "."
            self._bind(alias.asname or alias.name, BindingKind.IMPORT, node, qualname=prefix + alias.name)

    def _assign(self, node: ast.AST) -> None:
        assert isinstance(node, ast.Assign)
        self.visit(node.value)
        for target in node.targets:
            self._bind_target(target, node.value)

    def _ann_assign(self, node: ast.AST) -> None:
        assert isinstance(node, ast.AnnAssign)
        self._visit_all([node.value, node.annotation])
        self._bind_target(node.target, node.value)

    def _aug_assign(self, node: ast.AST) -> None:
        assert isinstance(node, ast.AugAssign)
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            previous = self.ctx.binding(node.target.id)
            left = previous.value if previous is not None and previous.value is not None else None
            value = None
            if left is not None:
                value = ast.BinOp(left=left, op=node.op, right=node.value)
                ast.copy_location(value, node)
            self._bind_target(node.target, value)
        else:
            self.visit(node.target)

    def _named_expr(self, node: ast.AST) -> None:
        assert isinstance(node, ast.NamedExpr)
        self.visit(node.value)
        # PEP 572: the target binds in the enclosing non-comprehension scope.
        stack = self.ctx.stack
        index = len(stack) - 1
        while index > 0 and stack[index].kind is ScopeKind.COMPREHENSION:
            index -= 1
        stack[index].bind(Binding(node.target.id, BindingKind.ASSIGN, node.target, value=node.value))

    def _for(self, node: ast.AST) -> None:
        assert isinstance(node, ast.For | ast.AsyncFor)
        self.visit(node.iter)
        self._bind_target(node.target, None)
        self._visit_all([*node.body, *node.orelse])

    def _withitem(self, node: ast.AST) -> None:
        assert isinstance(node, ast.withitem)
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            self._bind_target(node.optional_vars, None)

    def _except_handler(self, node: ast.AST) -> None:
        assert isinstance(node, ast.ExceptHandler)
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self._bind(node.name, BindingKind.OTHER, node)
        self._visit_all(node.body)

    def _global(self, node: ast.AST) -> None:
        assert isinstance(node, ast.Global)
        self.ctx.stack[-1].globals.update(node.names)

    def _nonlocal(self, node: ast.AST) -> None:
        assert isinstance(node, ast.Nonlocal)
        self.ctx.stack[-1].nonlocals.update(node.names)

    def _match_name(self, node: ast.AST) -> None:
        assert isinstance(node, ast.MatchAs | ast.MatchStar)
        self.generic_visit(node)
        if node.name:
            self._bind(node.name, BindingKind.OTHER, node)

    # -- scopes -----------------------------------------------------------------------------
    def _function(self, node: ast.AST) -> None:
        assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        self._visit_all(node.decorator_list)
        self._arguments_outside(node.args)
        self._visit_all([node.returns])
        self._bind(node.name, BindingKind.DEF, node)
        self._defer(node)

    def _lambda(self, node: ast.AST) -> None:
        assert isinstance(node, ast.Lambda)
        self._arguments_outside(node.args)
        self._defer(node)

    def _arguments_outside(self, args: ast.arguments) -> None:
        """Defaults and annotations are evaluated where the function is defined."""
        self._visit_all([*args.defaults, *args.kw_defaults])
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)

    def _defer(self, node: ast.AST) -> None:
        self._deferred.append((node, list(self.ctx.stack), list(self.ctx.parents)))

    def _function_body(self, node: ast.AST) -> None:
        assert isinstance(node, _FUNCTIONS)
        kind = ScopeKind.LAMBDA if isinstance(node, ast.Lambda) else ScopeKind.FUNCTION
        name = getattr(node, "name", "<lambda>")
        self.ctx.stack.append(Scope(kind, name, node))
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                self._bind(arg.arg, BindingKind.PARAM, arg)
        self._stmt = None
        if isinstance(node, ast.Lambda):
            self.visit(node.body)
        else:
            self._visit_all(node.body)
        if self.observer is not None:
            self.ctx.names_cache.clear()
            self.observer.function_done(node)
            self.ctx.names_cache.clear()
        self.ctx.stack.pop()

    def _class(self, node: ast.AST) -> None:
        assert isinstance(node, ast.ClassDef)
        self._visit_all([*node.decorator_list, *node.bases, *node.keywords])
        self.ctx.stack.append(Scope(ScopeKind.CLASS, node.name, node))
        self._visit_all(node.body)
        self.ctx.stack.pop()
        self._bind(node.name, BindingKind.CLASS, node)

    def _comprehension(self, node: ast.AST) -> None:
        assert isinstance(node, _COMPREHENSIONS)
        self.ctx.stack.append(Scope(ScopeKind.COMPREHENSION, "", node))
        for generator in node.generators:
            self.visit(generator.iter)
            self._bind_target(generator.target, None)
            self._visit_all(generator.ifs)
        if isinstance(node, ast.DictComp):
            self._visit_all([node.key, node.value])
        else:
            self.visit(node.elt)
        self.ctx.stack.pop()


# Binding and scope handlers by node type: plain functions, not bound methods, so a walker holds
# no reference cycle and its file's tree is freed by reference counting the moment the review
# of the file ends (a cycle left each tree to the cycle collector: seconds on a large project).
_HANDLERS: dict[type[ast.AST], Callable[[Walker, ast.AST], None]] = {
    ast.FunctionDef: Walker._function, ast.AsyncFunctionDef: Walker._function,
    ast.Lambda: Walker._lambda, ast.ClassDef: Walker._class,
    ast.Import: Walker._import, ast.ImportFrom: Walker._import_from,
    ast.Assign: Walker._assign, ast.AnnAssign: Walker._ann_assign,
    ast.AugAssign: Walker._aug_assign, ast.NamedExpr: Walker._named_expr,
    ast.For: Walker._for, ast.AsyncFor: Walker._for,
    ast.withitem: Walker._withitem, ast.ExceptHandler: Walker._except_handler,
    ast.Global: Walker._global, ast.Nonlocal: Walker._nonlocal,
    ast.ListComp: Walker._comprehension, ast.SetComp: Walker._comprehension,
    ast.GeneratorExp: Walker._comprehension, ast.DictComp: Walker._comprehension,
    ast.MatchAs: Walker._match_name, ast.MatchStar: Walker._match_name,
}  # fmt: skip
