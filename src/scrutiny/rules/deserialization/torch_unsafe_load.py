"""Rule SCR406: `torch.load` unpickling a checkpoint without `weights_only=True`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, has_kwargs_unpacking, keyword
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.deserialization._util import is_unknown, keyword_value


class TorchUnsafeLoad(Rule):
    """Checks for `torch.load` without `weights_only=True`.

    ## Why is this bad?
    A PyTorch checkpoint is a zip of pickles. Without `weights_only=True`, `torch.load`
    unpickles it with the full `pickle` machinery, so a checkpoint downloaded from a model hub
    or received from a user runs its author's code when loaded. `weights_only=True` restricts
    unpickling to tensors and plain containers.

    ## Example
    ```python
    import torch

    def restore(path):
        return torch.load(path, weights_only=False)
    ```

    ## Use instead
    ```python
    import torch

    def restore(path):
        return torch.load(path, weights_only=True)
    ```

    ## Known problems
    PyTorch 2.6 made `weights_only=True` the default (unless `pickle_module` is given or the
    `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` environment variable is set), so a call that omits it
    is reported with low confidence: it is unsafe only on older PyTorch. Explicit
    `weights_only=False` and a custom `pickle_module` are reported at the rule's confidence.
    The checkpoint's origin is not known yet.

    ## References
    - [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
    - [PyTorch docs: `torch.load`](https://pytorch.org/docs/stable/generated/torch.load.html)
    - [safetensors](https://github.com/huggingface/safetensors)
    """

    code = "SCR406"
    name = "torch-unsafe-load"
    cwe = 502
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:deserialization",)),)
    fix = "Pass `weights_only=True` to `torch.load`, or store weights with `safetensors`."
    bandit = ("B614",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        sink = ctx.sink(node, "deserialization")
        if sink is None or sink.get("family") != "torch":
            return
        api, option = f"`{sink.name}`", str(sink.get("safe_kwarg"))
        value = keyword_value(ctx, node, option)
        if value is True:
            return
        if value is False:
            yield self.hit(node, f"{api} with `{option}=False` unpickles arbitrary objects")
        elif is_unknown(value):
            shown = ast.unparse(keyword(node, option) or node)
            yield self.hit(node, f"{api} is given `{option}={shown}`", confidence=Confidence.LOW)
        elif keyword(node, str(sink.get("unsafe_with"))) is not None:
            yield self.hit(
                node, f"{api} with `{sink.get('unsafe_with')}` and no `{option}` unpickles arbitrary objects"
            )
        elif not has_kwargs_unpacking(node):
            yield self.hit(
                node, f"{api} without `{option}` unpickles arbitrary objects before PyTorch 2.6",
                confidence=Confidence.LOW,
            )  # fmt: skip
