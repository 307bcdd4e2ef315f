"""Rule SCR407: models and datasets downloaded from a hub without a pinned commit."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.deserialization._util import is_unknown, keyword_value

_KIND: Final = "model-download"
_COMMIT: Final = re.compile(r"[0-9a-fA-F]{7,40}")  # full or abbreviated git commit id
_LOCAL: Final = re.compile(r"(\.{1,2}[/\\]|[/\\~]|[A-Za-z]:[/\\])|\.{1,2}$")  # ./ ../ / ~ C:\


class ModelDownloadUnpinned(Rule):
    """Checks for Hugging Face models and datasets downloaded without a pinned commit.

    ## Why is this bad?
    `from_pretrained`, `hf_hub_download`, `snapshot_download` and `load_dataset` fetch
    whatever the repository's branch or tag points to when they run. Whoever controls the
    repository (or an account that takes it over) can change that content, and model files
    can carry pickles and custom code. A commit hash names content that cannot change.

    ## Example
    ```python
    from transformers import AutoModel

    model = AutoModel.from_pretrained("org/model", revision="main")
    ```

    ## Use instead
    ```python
    from transformers import AutoModel

    model = AutoModel.from_pretrained(
        "org/model", revision="5d0f2e8a7f1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d"
    )
    ```

    ## Known problems
    A revision of 7 to 40 hexadecimal digits is taken as a commit, as Bandit does, although
    a branch could be named that way. A revision that is not a constant is not reported. A
    repository name that is not a constant may be a local directory, so it is reported with
    low confidence. Calls on classes defined in the project (subclasses of
    `PreTrainedModel`) are not followed. Not reported in test code.

    ## References
    - [CWE-494: Download of Code Without Integrity Check](https://cwe.mitre.org/data/definitions/494.html)
    - [Hugging Face Hub: download files](https://huggingface.co/docs/huggingface_hub/en/guides/download)
    """

    code = "SCR407"
    name = "model-download-unpinned"
    cwe = 494
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:model-download",)),)
    fix = "Pass `revision=` a full commit hash of the repository."
    bandit = ("B615",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = _download_entry(node, ctx)
        if entry is None or keyword_value(ctx, node, "local_files_only") is True:
            return
        repo = argument(node, entry.args[0], entry.kwargs[0])
        if repo is None:
            return  # no repository named: a default (pinned by the library) or **kwargs
        value = ctx.const(repo)
        if isinstance(value, str) and (_LOCAL.match(value) or value in entry.get("local_builders", ())):
            return
        api = ctx.call_name(node) or entry.name
        revision = keyword_value(ctx, node, str(entry.get("revision")))
        if is_unknown(revision) or (isinstance(revision, str) and _COMMIT.fullmatch(revision)):
            return
        if isinstance(revision, str):
            yield self.hit(node, f"`{api}` downloads revision {revision!r}, which can be moved")
        elif not has_kwargs_unpacking(node):
            doubt = Confidence.LOW if is_unknown(value) else None
            yield self.hit(
                node, f"`{api}` downloads the repository's current default branch", confidence=doubt
            )


def _download_entry(node: ast.Call, ctx: Context) -> Entry | None:
    entry = ctx.api(node.func, _KIND)
    if entry is not None:
        return entry
    func = node.func
    owner = ctx.qualified_name(func.value) if isinstance(func, ast.Attribute) else None
    if owner is None or not isinstance(func, ast.Attribute):
        return None
    for row in ctx.models.all("api", _KIND):  # `transformers.<any class>.from_pretrained`
        if (
            row.get("scope") == "package"
            and row.get("method") == func.attr
            and owner.startswith(row.name + ".")
        ):
            return row
    return None
