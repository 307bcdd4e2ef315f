"""What every reporter shares: options, and rule metadata looked up by code."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from scrutiny.rules import ALL_RULES, Rule
from scrutiny.rules.docs import sections


@dataclass(frozen=True, slots=True)
class RenderOptions:
    timing: bool = False  # include wall-clock seconds (off: output is byte-identical across runs)
    quiet: bool = False
    list_clean_files: int = 10  # name each clean file when at most this many were reviewed
    root: str | None = None  # SARIF: paths are made relative to this directory


@cache
def rules_by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in ALL_RULES}


@cache
def why(code: str) -> str:
    """The first sentence of a rule's `## Why is this bad?` section."""
    rule = rules_by_code().get(code)
    if rule is None:
        return ""
    text = " ".join(sections(rule).get("Why is this bad?", "").split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def display_path(path: str) -> str:
    return path.replace(os.sep, "/")


SUPPRESSION_COMMENTS = {"scrutiny": "# scrutiny: ignore", "nosec": "# nosec", "noqa": "# noqa: S..."}
