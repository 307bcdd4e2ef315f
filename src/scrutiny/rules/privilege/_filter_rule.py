"""The shape of a rule that reviews oslo.rootwrap filter entries instead of Python nodes."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from scrutiny.findings import Confidence
from scrutiny.rootwrap.facts import Facts
from scrutiny.rootwrap.ini import Arg, Entry
from scrutiny.rules.base import Rule


@dataclass(frozen=True, slots=True)
class FilterHit:
    arg: Arg  # where the finding starts: the argument at fault
    message: str
    confidence: Confidence | None = None  # only ever lowers the rule's


class FilterRule(Rule):
    """A rule the rootwrap reviewer sends each `[Filters]` entry; the Python walker sends it
    nothing (`nodes` is empty). Docstring examples are ```ini blocks of a filter file."""

    nodes: ClassVar[tuple[type[ast.AST], ...]] = ()

    def check_entry(self, entry: Entry, facts: Facts) -> Iterator[FilterHit]:
        raise NotImplementedError

    def filter_hit(self, arg: Arg, message: str, *, confidence: Confidence | None = None) -> FilterHit:
        return FilterHit(arg, message, confidence)
