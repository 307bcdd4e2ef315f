"""A review with its paths relative to the repository's top level.

Reports then do not depend on where a repository was checked out (fingerprints include the
path), so a rerun elsewhere, or on another executor, gives the same files byte for byte. The
walk is generic on purpose: any string in the review that *is* a path inside the repository is
rewritten, wherever it sits (findings, evidence, errors, notices, file lists, dicts keyed by
path), so a field added to `Review` later is covered without a change here. Text that merely
mentions a path (a message) is left as it is.
"""

from __future__ import annotations

import os
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

T = TypeVar("T")


def relative(value: T, root: str) -> T:
    prefix = os.path.join(os.path.abspath(root), "")  # with the trailing separator
    result: T = _walk(value, prefix)
    return result


def _walk(value: Any, prefix: str) -> Any:
    if isinstance(value, str):
        if value.startswith(prefix):
            return value[len(prefix) :].replace(os.sep, "/")
        return value
    if isinstance(value, list | tuple):
        items = [_walk(item, prefix) for item in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {_walk(k, prefix): _walk(v, prefix) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), prefix) for f in fields(value) if f.init}
        return replace(value, **changes)
    return value  # numbers, enums, None
