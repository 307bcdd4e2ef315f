"""Module names from file paths, as Python would import them."""

from __future__ import annotations

import os
from functools import cache


@cache
def _is_package(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def module_name(path: str) -> tuple[str, bool]:
    """(`pkg.sub.mod`, False) for `.../pkg/sub/mod.py` where pkg and sub have `__init__.py`;
    a package's `__init__.py` is the package itself (`pkg.sub`, True)."""
    directory, filename = os.path.split(os.path.abspath(path))
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    parts = [] if stem == "__init__" else [stem]
    while directory and _is_package(directory):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
        if not package:
            break
    if not parts:
        parts = [os.path.basename(os.path.dirname(os.path.abspath(path))) or "__main__"]
    return ".".join(p.replace("-", "_") for p in parts), stem == "__init__"
