"""Rule SCR402: PyYAML loading with a loader that builds Python objects."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.deserialization._util import module_class

_MAX_BASES = 4  # how far a custom loader's base classes are followed


class UnsafeYamlLoad(Rule):
    """Checks for PyYAML loading without a safe loader (`yaml.load`, `unsafe_load`, `full_load`).

    ## Why is this bad?
    PyYAML's `Loader` and `UnsafeLoader` build any Python object a document names with tags
    such as `!!python/object/apply:os.system`, so loading a document from outside runs the
    author's code. `FullLoader` (behind `yaml.full_load`) was meant to be safer, but needed
    several fixes for code execution (CVE-2020-1747, CVE-2020-14343) and still instantiates
    classes that are already imported. `SafeLoader` builds only plain data.

    ## Example
    ```python
    import yaml

    def read_config(text):
        return yaml.load(text, Loader=yaml.Loader)
    ```

    ## Use instead
    ```python
    import yaml

    def read_config(text):
        return yaml.safe_load(text)
    ```

    ## Known problems
    Loaders are recognised by qualified name (`SafeLoader`, `CSafeLoader`, `BaseLoader`,
    `CBaseLoader`), through aliases, `getattr(yaml, "CSafeLoader", yaml.SafeLoader)` and
    classes in the same file derived from them. `yaml.load` without a `Loader` is reported
    with low confidence: PyYAML 6 rejects the call, 5.1 to 5.4 use `FullLoader`, older
    versions the unsafe loader. `FullLoader` and loaders the rule cannot resolve are reported
    with low confidence. The bytes' origin is not known yet.

    ## References
    - [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
    - [PyYAML: `yaml.load` deprecation](https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation)
    """

    code = "SCR402"
    name = "unsafe-yaml-load"
    cwe = 502
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:yaml-load",)),)
    fix = "Use `yaml.safe_load` or pass `Loader=yaml.SafeLoader` (`CSafeLoader` for speed)."
    bandit = ("B506",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "yaml-load")
        if entry is None or entry.get("role") != "function":
            return
        api = f"`{entry.name}`"
        loader = entry.get("loader")
        if loader is None:  # yaml.load / load_all take the loader as an argument
            arg = argument(node, entry.args[0], entry.kwargs[0])
            if arg is None or ctx.const(arg) is None:
                if not has_kwargs_unpacking(node):
                    yield self.hit(
                        node, f"{api} is called without a `Loader`, which PyYAML before 5.1 "
                        "treats as the unsafe loader", confidence=Confidence.LOW,
                    )  # fmt: skip
                return
            loader = _loader_kind(ctx, arg, 0)
            api = f"{api} with `Loader={ast.unparse(arg)}`"
        if loader == "unsafe":
            yield self.hit(node, f"{api} builds arbitrary Python objects named in the document")
        elif loader == "full":
            yield self.hit(
                node, f"{api} builds instances of classes named in the document",
                confidence=Confidence.LOW,
            )  # fmt: skip
        elif loader is None:
            yield self.hit(node, f"{api} uses a loader not known to be safe", confidence=Confidence.LOW)


def _loader_kind(ctx: Context, expr: ast.expr, depth: int) -> str | None:
    """`safe`, `full` or `unsafe` for a loader class expression; None when unknown."""
    entry = _loader_entry(ctx, expr)
    if entry is not None:
        return str(entry.get("loader"))
    if isinstance(expr, ast.Call) and ctx.call_name(expr) == "builtins.getattr":
        # getattr(yaml, "CSafeLoader", yaml.SafeLoader): safe only if both choices are
        if len(expr.args) == 3 and ctx.qualified_name(expr.args[0]) == "yaml":
            first = ctx.models.lookup("api", f"yaml.{ctx.const(expr.args[1])}", "yaml-load")
            second = _loader_kind(ctx, expr.args[2], depth + 1)
            return second if first is not None and first.get("loader") == second else None
        return None
    if isinstance(expr, ast.Name) and depth < _MAX_BASES:
        binding = ctx.binding(expr.id)
        if binding is not None and binding.value is not None and binding.value is not expr:
            return _loader_kind(ctx, binding.value, depth + 1)  # Fast = getattr(...)
        cls = binding.node if binding is not None else module_class(ctx, expr.id)
        if isinstance(cls, ast.ClassDef):
            kinds = {_loader_kind(ctx, base, depth + 1) for base in cls.bases}
            return "unsafe" if "unsafe" in kinds else kinds.pop() if len(kinds) == 1 else None
    return None


def _loader_entry(ctx: Context, expr: ast.expr) -> Entry | None:
    entry = ctx.api(expr, "yaml-load")
    return entry if entry is not None and entry.get("role") == "loader" else None
