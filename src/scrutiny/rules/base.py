"""The one base class every rule derives from.

A rule declares its identity and metadata as class attributes (so the catalogue can be listed
without running anything), names the node types the walker should send it, and yields `Hit`s.
The walker turns hits into `Finding`s with the file, the line, the scope and the fingerprint.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity


@dataclass(frozen=True, slots=True)
class Hit:
    node: ast.AST
    message: str
    confidence: Confidence | None = None  # only ever lowers the rule's declared confidence
    fix: str | None = None  # a more specific fix than the rule's, when the rule knows one


class Rule:
    """Checks one pattern. Subclasses set the metadata and implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    cwe: ClassVar[int]
    severity: ClassVar[Severity]
    confidence: ClassVar[Confidence]
    nodes: ClassVar[tuple[type[ast.AST], ...]]
    fix: ClassVar[str]  # one sentence: what to do instead
    bandit: ClassVar[tuple[str, ...]] = ()  # Bandit tests this rule is the twin of
    preview: ClassVar[bool] = False  # preview rules are off unless selected or enabled
    # Test code gets a quiet profile: only rules that say so run there (a Trojan-source character
    # is as dangerous in a test as anywhere; a weak hash or a fixed password in a test is not).
    in_tests: ClassVar[bool] = False
    dataflow: ClassVar[bool] = False  # dataflow findings are never silenced by a Bandit nosec comment
    # Model rows (`section:kind`) the node must name for the rule to have anything to say, by
    # node type: a call's callee, or a loaded name or attribute. The walker resolves the name
    # once and sends the node only to the rules whose gate it passes; node types not listed
    # here reach the rule always. Declare a gate only when `check` returns at once without it.
    # `tail:section:kind` gates a call on its last name only (`p.chmod(...)`, `chmod(...)`): the
    # rule resolves the receiver's type itself, and rows' `methods` count as last names.
    gate: ClassVar[tuple[tuple[type[ast.AST], tuple[str, ...]], ...]] = ()
    # Words of which the file's text (case-insensitively) must hold one for the rule to have
    # anything to say there: `("csrf", "api:csrf-exempt")` is the word and the last names,
    # `setting` keys and `method(s)` of that kind's rows (users' rows included). A file without
    # any never reaches the rule. Declare only what `check` implies: a finding a needle hides
    # is a missed finding, and the rule's fixtures must exercise each word. Needles read the
    # text as written: a name spelled with string escapes or split into pieces (`"DEB" +
    # "UG"`) is not seen, so rules that fold strings from pieces (SCR108) declare none.
    needles: ClassVar[tuple[str, ...]] = ()
    # The rule reads only the file's text and lines, never its tree (it is sent the module and
    # looks at `ctx.source.text`): a file whose rules are all text-only is not parsed at all,
    # which is what test code's quiet profile amounts to.
    text_only: ClassVar[bool] = False

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        raise NotImplementedError

    def hit(
        self,
        node: ast.AST,
        message: str,
        *,
        confidence: Confidence | None = None,
        fix: str | None = None,
    ) -> Hit:
        return Hit(node, message, confidence, fix)

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""


class DataflowRule(Rule):
    """A rule the taint engine reports: attacker-controlled data of `sources` kinds reaching a
    sink of `sink_kind`. Rules of this shape are data plus a docstring; the engine finds flows."""

    sink_kind: ClassVar[str]
    # Further sink kinds, for a rule about a source rather than a weakness (SCR917: privsep
    # parameters reaching commands, paths or file modes). A flow goes to the rule that names
    # both its sink kind and its source kind.
    more_sink_kinds: ClassVar[tuple[str, ...]] = ()
    # The finding's message; fields: kind (of source), source (its API), sink (API), detail.
    flow_message: ClassVar[str] = "{kind} input from `{source}` reaches `{sink}`{detail}"
    sources: ClassVar[tuple[str, ...]] = ("remote",)
    # Pattern rules this one supersedes on the same line: a proven flow replaces the guess.
    twins: ClassVar[tuple[str, ...]] = ()
    # Sink kinds this rule reports at low confidence: the flow is real, its harm often is not.
    doubtful_sinks: ClassVar[tuple[str, ...]] = ()
    nodes: ClassVar[tuple[type[ast.AST], ...]] = ()
    dataflow = True

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:  # pragma: no cover - never dispatched
        yield from ()
