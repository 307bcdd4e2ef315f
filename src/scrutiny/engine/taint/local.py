"""Intra-procedural taint: interpret one function body into symbolic taint.

Flow-sensitive over statements: assignments replace a name's taint, branches are analysed on
copies of the environment and joined, loop bodies run twice so values carried around the loop
are seen, `try` handlers start from everything the body may have done. Guards in `if` tests
(`re.fullmatch`, `x in ALLOWED`, `x.isdigit()`, a containment check after `realpath`) clear the
checked name on the branch where the check passed, and after the `if` when the other branch
leaves the function.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.engine.model import Entry, Models
from scrutiny.engine.names import UNKNOWN
from scrutiny.engine.scopes import BindingKind
from scrutiny.engine.source import char_column
from scrutiny.engine.taint import frameworks as fw
from scrutiny.engine.taint import urls
from scrutiny.engine.taint.guards import guard_effects
from scrutiny.engine.taint.ir import (
    CallSite,
    FileSummary,
    FunctionSummary,
    Taint,
    clear,
    union,
    with_step,
)
from scrutiny.engine.taint.sinks import check_sink

Env = dict[str, Taint]
_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_ABORTS = frozenset({"flask.abort", "sys.exit", "builtins.exit", "os._exit", "werkzeug.exceptions.abort"})


def short(ctx: Context, node: ast.AST, limit: int = 60) -> str:
    """The code of `node` as written, on one line, cut to `limit` characters."""
    lines = ctx.source.lines
    line, end = getattr(node, "lineno", 0), getattr(node, "end_lineno", 0)
    if not (0 < line <= len(lines)) or end != line:
        text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    else:
        row = lines[line - 1]
        start = char_column(row, getattr(node, "col_offset", 0))
        text = row[start : char_column(row, getattr(node, "end_col_offset", len(row)))]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FunctionAnalysis:
    """Interprets one function (or a module body) with the walker's scopes for names."""

    def __init__(self, owner: FileAnalysis, node: ast.AST, qualname: str, outer: Env | None) -> None:
        self.owner = owner
        self.ctx = owner.ctx
        self.node = node
        self.qualname = qualname
        self.outer = outer or {}
        self.env: Env = {}
        self.returns: Taint = {}
        self.cls = self.ctx.enclosing_class() if not isinstance(node, ast.Module) else None
        self.self_name: str | None = None
        self.parts: dict[int, list[Taint]] = {}  # id(list literal argument) -> element taints
        self.current: ast.stmt | None = None  # the statement being interpreted
        # Parameters whose listed attributes, not the whole object, carry attacker data
        # (`req.GET` of a request whose `req.environ` holds the service's own context).
        self.attr_sources: dict[str, Entry] = {}

    # -- expressions ------------------------------------------------------------------------
    def expr(self, e: ast.expr | None) -> Taint:  # noqa: PLR0912 - one case per node type
        if e is None or isinstance(e, ast.Constant | ast.Lambda):
            return {}
        if isinstance(e, ast.Name):
            return self.name(e)
        if isinstance(e, ast.Attribute):
            return self.attribute(e)
        if isinstance(e, ast.Subscript):
            source = self.source_of(e)
            if source:
                return source
            self.expr(e.slice)
            return self.expr(e.value)
        if isinstance(e, ast.Call):
            return self.call(e)
        if isinstance(e, ast.JoinedStr):
            taint = self.fstring(e)
            return with_step(taint, self.step(e, "formatted into a string")) if taint else taint
        if isinstance(e, ast.FormattedValue):
            return self.expr(e.value)
        if isinstance(e, ast.BinOp):
            taint = self.binop(e)
            if taint and isinstance(e.op, ast.Add | ast.Mod):
                taint = with_step(taint, self.step(e, "concatenated or formatted into a value"))
            return taint
        if isinstance(e, ast.BoolOp):
            return union(*(self.expr(v) for v in e.values))
        if isinstance(e, ast.IfExp):
            self.expr(e.test)
            return union(self.expr(e.body), self.expr(e.orelse))
        if isinstance(e, ast.Compare):
            for part in (e.left, *e.comparators):
                self.expr(part)
            return {}  # a comparison yields a bool, which carries no injection
        if isinstance(e, ast.List | ast.Tuple | ast.Set):
            return union(*(self.expr(x) for x in e.elts))
        if isinstance(e, ast.Dict):
            return union(*(self.expr(x) for x in (*e.keys, *e.values) if x is not None))
        if isinstance(e, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            return self.comprehension(e)
        if isinstance(e, ast.Starred | ast.Await | ast.YieldFrom):
            return self.expr(e.value)
        if isinstance(e, ast.Yield):
            taint = self.expr(e.value)
            self.returns = union(self.returns, taint)
            return {}
        if isinstance(e, ast.NamedExpr):
            taint = self.expr(e.value)
            self.env[e.target.id] = taint
            return taint
        if isinstance(e, ast.UnaryOp):
            return self.expr(e.operand) if isinstance(e.op, ast.UAdd | ast.USub | ast.Invert) else {}
        return {}

    def fstring(self, e: ast.JoinedStr) -> Taint:
        """Parts after a fixed `scheme://host/` cannot choose where a URL points."""
        parts, prefix = [], ""
        for value in e.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                prefix += value.value
                continue
            taint = self.expr(value)
            cleared = urls.cleared_by(prefix)
            parts.append(clear(taint, cleared) if taint and cleared else taint)
            prefix += "{}"
        return union(*parts)

    def binop(self, e: ast.BinOp) -> Taint:
        left, right = self.expr(e.left), self.expr(e.right)
        if right and isinstance(e.op, ast.Add):
            right = clear(right, urls.cleared_by(urls.literal_prefix(self.ctx, e.left)))
        elif right and isinstance(e.op, ast.Mod):
            template = self.ctx.const(e.left)
            if isinstance(template, str):
                right = clear(right, urls.cleared_by(urls.format_prefix(template, "%")))
        return union(left, right)

    def name(self, e: ast.Name) -> Taint:
        if e.id in self.env:
            return self.env[e.id]
        source = self.source_of(e)
        if source:
            return source
        if e.id in self.outer:
            return self.outer[e.id]
        binding = self.ctx.binding(e.id)
        if (
            binding is not None
            and binding.kind is BindingKind.ASSIGN
            and self.ctx.stack[0].bindings.get(e.id) is binding
        ):
            return {(("global", self.owner.module, e.id), frozenset()): ()}
        return {}

    def attribute(self, e: ast.Attribute) -> Taint:
        source = self.source_of(e)
        if source:
            return source
        holder = self.attr_sources.get(e.value.id) if isinstance(e.value, ast.Name) else None
        if holder is not None and e.attr in holder.get("attrs", ()):
            return self.new_source(holder.kind, f"{holder.name}.{e.attr}", e)
        if isinstance(e.value, ast.Name) and e.value.id == self.self_name and self.cls is not None:
            key = f"self.{e.attr}"
            base = self.owner.base_attr_source(self, e)
            if base:
                return base
            field: Taint = {(("field", self.owner.class_qual(self.cls), e.attr), frozenset()): ()}
            return union(self.env.get(key, {}), field)
        return self.expr(e.value)

    def source_of(self, e: ast.expr) -> Taint:
        """A new label when `e`, or the object it reads from, is a modelled source.

        `request.args["host"]` is described whole, though the model names `flask.request`.
        """
        if not self.owner.may_be_source(e):
            return {}
        cur: ast.expr = e
        while True:
            if isinstance(cur, ast.Name | ast.Attribute):
                name = self.ctx.qualified_name(cur)
                entry = self.ctx.models.lookup("source", name)
                if entry is not None and not entry.get("entrypoint"):
                    return self.new_source(entry.kind, name or "", e)
            if isinstance(cur, ast.Attribute | ast.Subscript):
                cur = cur.value
            elif isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
                cur = cur.func.value
            else:
                return {}

    def new_source(self, kind: str, api: str, node: ast.AST) -> Taint:
        step = self.step(node, f"`{short(self.ctx, node)}` is {kind} input")
        return {(("source", kind, api), frozenset()): (step,)}

    def call(self, e: ast.Call) -> Taint:
        ctx = self.ctx
        models = ctx.models
        args = [self.arg(a) for a in e.args]
        kwargs = {kw.arg or "**": self.arg(kw.value) for kw in e.keywords}
        func = e.func
        if isinstance(func, ast.Attribute):
            receiver = self.expr(func.value)
        elif isinstance(func, ast.Name):
            receiver = {}
        else:  # `getattr(obj, name)()`, `handlers[key](x)`: the callee is computed; look inside
            receiver = self.expr(func)
        name = fw.member_name(ctx, func)
        if name in _ABORTS:
            return {}
        # Before the source check: `open(path)` reads a file (a source) and takes a path (a sink).
        hits = check_sink(self, e, name, args, kwargs, receiver)
        if hits:
            self.owner.summary.sinks.extend(hits)
        source = models.lookup("source", name)
        if source is not None and not source.get("entrypoint"):
            return self.new_source(source.kind, name or "", e)
        if source is None and isinstance(func, ast.Attribute):
            read = self.source_of(func)
            if read:
                return read  # request.args.get(...): a method of a source object
        sanitizer = fw.named_sanitizer(ctx, e, name)
        if sanitizer is not None and not sanitizer.get("guard"):
            return clear(union(receiver, *args, *kwargs.values()), frozenset({self._clears(sanitizer.kind)}))
        if models.lookup("propagator", name, "none") is not None:
            return {}  # a query's rows: the filters chose which rows, they do not make them
        args, kwargs = self._url_parts(e, name, args, kwargs)
        self._fill_container(e, args, kwargs)
        # A project function the models name as a sink (`neutron.agent.linux.utils.execute` when
        # reviewing neutron) is reported here, where the data is chosen; following it into its
        # body would report the same flow again at every command it runs.
        modelled = hits and models.lookup_all("sink", name)
        callees = () if modelled else self.owner.callees(self, e)
        if callees:
            flows = self._arguments_flow(e, name)
            return self.owner.call_site(self, e, callees, args, kwargs, receiver, flows)
        tainted = any(args) or any(kwargs.values())
        if tainted and self._arguments_flow(e, name):  # asked only when it can matter
            return union(receiver, *args, *kwargs.values())
        return receiver

    def _arguments_flow(self, e: ast.Call, name: str | None) -> bool:
        """Whether an unknown call's result carries its arguments' taint.

        Functions named through imports (`os.path.join`, `json.loads`) and builtins transform
        their arguments, and so do string methods (`"-".join(parts)`, `tmpl.format(x)`). A method
        of an object we cannot type (`self.db.get_user(user_id)`, `api.validate(token)`) is a
        service: its result is data from elsewhere, looked up by the argument, not made of it.
        The object's own taint always flows (`tainted.strip()`).
        """
        func = e.func
        if isinstance(func, ast.Name):
            return True
        if not isinstance(func, ast.Attribute):
            return False
        if self._module_function(func):
            return True
        if isinstance(func.value, ast.JoinedStr) or isinstance(self.ctx.const(func.value), str | bytes):
            return True
        row = self.ctx.models.lookup("propagator", f"str.{func.attr}")
        return row is not None and bool(row.get("method"))

    def _fill_container(self, e: ast.Call, args: list[Taint], kwargs: dict[str, Taint]) -> None:
        """`items.append(x)`, `opts.update(extra)`: the container now holds the argument."""
        func = e.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        if func.attr not in self.owner.fill_methods:  # most method calls: no row to look for
            return
        models = self.ctx.models
        typed = fw.instance_type(self.ctx, func.value)  # `buf = io.StringIO()`: `io.StringIO.write`
        for owner in ("list", "set", "dict", *((typed,) if typed else ())):
            row = models.lookup("propagator", f"{owner}.{func.attr}")
            if row is not None and row.get("into") == "receiver":
                added = union(*args, *kwargs.values())
                if added:
                    name = func.value.id
                    self.env[name] = union(self.env.get(name, {}), added)
                return

    def _module_function(self, func: ast.Attribute) -> bool:
        """`os.path.join`, `utils.execute`: the chain starts at an imported module, not at an
        object held in a variable (`PROVIDERS.token_api.validate`, `self.driver.get`)."""
        base: ast.expr = func
        while isinstance(base, ast.Attribute):
            base = base.value
        if not isinstance(base, ast.Name):
            return False
        binding = self.ctx.binding(base.id)
        return binding is not None and binding.kind is BindingKind.IMPORT

    def _url_parts(
        self, e: ast.Call, name: str | None, args: list[Taint], kwargs: dict[str, Taint]
    ) -> tuple[list[Taint], dict[str, Taint]]:
        """`"https://h/{}".format(x)` and `urlunsplit((scheme, host, path, ...))`: only the
        scheme and the host decide where a URL points (propagator rows name the host parts)."""
        if isinstance(e.func, ast.Attribute) and e.func.attr == "format":
            template = self.ctx.const(e.func.value)
            cleared = (
                urls.cleared_by(urls.format_prefix(template, "{")) if isinstance(template, str) else None
            )
            if cleared:
                return [clear(a, cleared) for a in args], {k: clear(v, cleared) for k, v in kwargs.items()}
        row = self.ctx.models.lookup("propagator", name)
        parts = self.parts.get(id(e.args[0])) if row is not None and e.args else None
        if row is not None and parts is not None and row.get("host_parts") is not None:
            hosts = set(row.get("host_parts"))
            kept = [p if i in hosts else clear(p, urls.PATH_ONLY) for i, p in enumerate(parts)]
            return [union(*kept), *args[1:]], kwargs
        return args, kwargs

    def arg(self, a: ast.expr) -> Taint:
        """An argument's taint; a literal list's elements are kept apart for argv sinks."""
        if isinstance(a, ast.List | ast.Tuple):
            parts = [self.expr(x) for x in a.elts]
            self.parts[id(a)] = parts
            return union(*parts)
        return self.expr(a)

    @staticmethod
    def _clears(kind: str) -> str:
        return "*" if kind == "all" else kind

    def comprehension(self, e: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> Taint:
        saved = dict(self.env)
        for gen in e.generators:
            self.bind(gen.target, self.expr(gen.iter))
            for cond in gen.ifs:
                self.expr(cond)
        if isinstance(e, ast.DictComp):
            taint = union(self.expr(e.key), self.expr(e.value))
        else:
            taint = self.expr(e.elt)
        self.env = saved
        return taint

    def step(self, node: ast.AST, text: str) -> tuple[str, int, int, str]:
        line = getattr(node, "lineno", 0)
        return (
            self.ctx.path,
            line,
            char_column(self.ctx.source.line(line), getattr(node, "col_offset", 0)),
            text,
        )

    # -- statements -------------------------------------------------------------------------
    def bind(self, target: ast.expr, taint: Taint, node: ast.AST | None = None) -> None:
        if isinstance(target, ast.Name):
            self.attr_sources.pop(target.id, None)
            if taint and node is not None:
                taint = with_step(taint, self.step(node, f"assigned to `{target.id}`"))
            self.env[target.id] = taint
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(element, taint)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, taint)
        elif isinstance(target, ast.Attribute):
            if (
                isinstance(target.value, ast.Name)
                and target.value.id == self.self_name
                and self.cls is not None
            ):
                if taint and node is not None:
                    taint = with_step(taint, self.step(node, f"stored in `self.{target.attr}`"))
                self.env[f"self.{target.attr}"] = taint
                self.owner.store_field(self.cls, target.attr, taint)
            else:
                self._weak_update(target.value, taint)
        elif isinstance(target, ast.Subscript):
            self.expr(target.slice)
            self._weak_update(target.value, taint)

    def _weak_update(self, container: ast.expr, taint: Taint) -> None:
        """`d[k] = v`, `obj.x = v`: the container now may hold tainted data too."""
        if isinstance(container, ast.Name) and taint:
            self.env[container.id] = union(self.env.get(container.id, {}), taint)

    def run(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.stmt(stmt)

    def stmt(self, s: ast.stmt) -> None:
        outer, self.current = self.current, s
        self._stmt(s)
        self.current = outer

    def _stmt(self, s: ast.stmt) -> None:  # noqa: PLR0912 - one case per statement type
        if isinstance(s, ast.Assign):
            taint = self.expr(s.value)
            for target in s.targets:
                self.bind(target, taint, s)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.bind(s.target, self.expr(s.value), s)
        elif isinstance(s, ast.AugAssign):
            taint = union(self.expr(s.target), self.expr(s.value))
            self.bind(s.target, taint, s)
        elif isinstance(s, ast.Expr):
            self.expr(s.value)
        elif isinstance(s, ast.Return):
            taint = self.expr(s.value)
            if taint:
                self.returns = union(
                    self.returns, with_step(taint, self.step(s, f"returned by `{self.display}`"))
                )
        elif isinstance(s, ast.If):
            self.if_stmt(s)
        elif isinstance(s, ast.For | ast.AsyncFor):
            self.loop(s.body, s.orelse, target=s.target, iterable=s.iter)
        elif isinstance(s, ast.While):
            self.expr(s.test)
            self.loop(s.body, s.orelse)
        elif isinstance(s, ast.With | ast.AsyncWith):
            for item in s.items:
                taint = self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, taint, item.context_expr)
            self.run(s.body)
        elif isinstance(s, ast.Try | ast.TryStar):
            self.try_stmt(s)
        elif isinstance(s, ast.Match):
            self.match_stmt(s)
        elif isinstance(s, ast.Raise | ast.Assert | ast.Delete):
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.expr):
                    self.expr(child)

    @property
    def display(self) -> str:
        return self.qualname.rsplit(".", 1)[-1] + "()"

    def if_stmt(self, s: ast.If) -> None:
        self.expr(s.test)
        passed, failed = guard_effects(self, s.test)
        before = self.env
        self.env = self._apply(dict(before), passed)
        self.run(s.body)
        after_body, body_exits = self.env, _always_exits(s.body, self.ctx)
        self.env = self._apply(dict(before), failed)
        self.run(s.orelse)
        after_else, else_exits = self.env, bool(s.orelse) and _always_exits(s.orelse, self.ctx)
        if body_exits and not else_exits:
            self.env = after_else
        elif else_exits and not body_exits:
            self.env = after_body
        else:
            self.env = _join(after_body, after_else)

    @staticmethod
    def _apply(env: Env, effects: dict[str, frozenset[str]]) -> Env:
        for name, kinds in effects.items():
            if name in env:
                env[name] = clear(env[name], kinds)
        return env

    def loop(self, body: list[ast.stmt], orelse: list[ast.stmt], target: ast.expr | None = None,
             iterable: ast.expr | None = None) -> None:  # fmt: skip
        before = dict(self.env)
        iter_taint = self.expr(iterable) if iterable is not None else {}
        for _ in range(2):  # twice: values carried around the loop reach the top again
            if target is not None:
                self.bind(target, iter_taint, target)
            self.run(body)
            after, self.env = self.env, _join(before, self.env)
            if not _grew(before, after):
                break  # nothing new is carried around: a second pass would find the same
        self.run(orelse)

    def try_stmt(self, s: ast.Try | ast.TryStar) -> None:
        before = dict(self.env)
        self.run(s.body)
        self.run(s.orelse)
        merged = _join(before, self.env)
        outs = [self.env]
        for handler in s.handlers:
            self.env = dict(merged)
            if handler.type is not None:
                self.expr(handler.type)
            if handler.name:
                self.env[handler.name] = {}
            self.run(handler.body)
            outs.append(self.env)
        self.env = _join(*outs)
        self.run(s.finalbody)

    def match_stmt(self, s: ast.Match) -> None:
        subject = self.expr(s.subject)
        before = self.env
        outs = []
        for case in s.cases:
            self.env = dict(before)
            for node in ast.walk(case.pattern):
                if isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
                    self.env[node.name] = subject
            self.run(case.body)
            outs.append(self.env)
        self.env = _join(before, *outs)


_SOURCE_ROOTS: dict[int, frozenset[str]] = {}


def source_roots(models: Models) -> frozenset[str]:
    """Top-level modules of the sources read as objects or attributes (`flask`, `os`, `sys`)."""
    key = id(models)
    if key not in _SOURCE_ROOTS:
        roots = {e.name.split(".", 1)[0] for e in models.all("source") if not e.get("entrypoint")}
        _SOURCE_ROOTS[key] = frozenset(roots)
    return _SOURCE_ROOTS[key]


def _grew(before: Env, after: Env) -> bool:
    """Did a name that existed before the loop gain labels in its body?"""
    return any(name in before and not taint.keys() <= before[name].keys() for name, taint in after.items())


def _join(*envs: Env) -> Env:
    out: Env = {}
    for env in envs:
        for name, taint in env.items():
            out[name] = union(out[name], taint) if name in out else taint
    return out


def _always_exits(body: list[ast.stmt], ctx: Context) -> bool:
    """The block leaves the function or loop on every path (return, raise, abort())."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, _EXITS):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        return ctx.call_name(last.value) in _ABORTS
    if isinstance(last, ast.If):
        return _always_exits(last.body, ctx) and _always_exits(last.orelse, ctx)
    return False


def iter_params(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Iterator[ast.arg]:
    args = node.args
    yield from (*args.posonlyargs, *args.args)
    if args.vararg is not None:
        yield args.vararg
    yield from args.kwonlyargs
    if args.kwarg is not None:
        yield args.kwarg


class FileAnalysis:
    """Collects one file's summaries; the walker calls `function()` as each body completes."""

    def __init__(self, ctx: Context, module: str, project: frozenset[str], is_package: bool = False) -> None:
        self.ctx = ctx
        self.module = module
        self.is_package = is_package
        self.project = project  # top-level package names of the reviewed project
        self.summary = FileSummary(ctx.path, module)
        self.finals: dict[int, Env] = {}  # id(function node) -> environment at its end
        self.source_roots = source_roots(ctx.models)
        # Method names of propagator rows that put their arguments into the receiver.
        self.fill_methods = ctx.models.last_names("propagator", None, where=("into", "receiver"))
        self._roots: dict[str, bool] = {}  # name -> may start a source chain (per function)

    def may_be_source(self, e: ast.expr) -> bool:
        """A cheap test before resolving names: does the chain start at a module some source
        lives in? Most reads (`self.x`, locals, parameters) do not, and are answered at once."""
        while True:
            if isinstance(e, ast.Attribute | ast.Subscript):
                e = e.value
            elif isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute):
                e = e.func.value
            else:
                break
        if not isinstance(e, ast.Name):
            return False
        known = self._roots.get(e.id)
        if known is None:
            name = self.ctx.qualified_name(e)
            known = self._roots[e.id] = name is not None and name.split(".", 1)[0] in self.source_roots
        return known

    def class_qual(self, cls: ast.ClassDef) -> str:
        names = [
            s.name
            for s in self.ctx.stack[1:]
            if isinstance(s.node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        if cls.name in names:
            names = names[: names.index(cls.name) + 1]
        return ".".join([self.module, *names])

    def function_done(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        from scrutiny.engine.taint.calls import enter_function

        self._roots.clear()  # names resolve per scope
        enter_function(self, node)

    def module_done(self) -> None:
        from scrutiny.engine.taint.calls import class_bases

        self._roots.clear()
        tree = self.ctx.source.tree
        analysis = FunctionAnalysis(self, tree, f"{self.module}.<module>", None)
        analysis.run(tree.body)
        self.summary.globals = {f"{self.module}.{k}": v for k, v in analysis.env.items() if v}
        self.summary.classes = class_bases(self)

    def store_field(self, cls: ast.ClassDef, attr: str, taint: Taint) -> None:
        if taint:
            key = f"{self.class_qual(cls)}.{attr}"
            self.summary.fields[key] = union(self.summary.fields.get(key, {}), taint)

    def base_attr_source(self, analysis: FunctionAnalysis, e: ast.Attribute) -> Taint:
        entry = fw.base_class_entry(self.ctx, analysis.cls)
        if entry is not None and e.attr in entry.get("attrs", ()):
            return analysis.new_source(entry.kind, f"{entry.name}.{e.attr}", e)
        return {}

    def callees(self, analysis: FunctionAnalysis, call: ast.Call) -> tuple[tuple[str, bool], ...]:
        from scrutiny.engine.taint.calls import callees

        return callees(self, analysis, call)

    def call_site(
        self,
        analysis: FunctionAnalysis,
        call: ast.Call,
        callees: tuple[tuple[str, bool], ...],
        args: list[Taint],
        kwargs: dict[str, Taint],
        receiver: Taint,
        flows: bool,
    ) -> Taint:
        index = len(self.summary.calls)
        display = short(self.ctx, call.func, 40) + "()"
        site = CallSite(
            self.ctx.path, index, callees, call.lineno, call.col_offset, display, args, kwargs, receiver
        )
        site.arguments_flow = flows
        self.summary.calls.append(site)
        return {(("call", self.ctx.path, index), frozenset()): ()}

    def add_function(self, summary: FunctionSummary) -> None:
        self.summary.functions.append(summary)


__all__ = ["UNKNOWN", "FileAnalysis", "FunctionAnalysis", "iter_params", "short"]
