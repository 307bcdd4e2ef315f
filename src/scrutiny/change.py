"""A change review: the whole project is reviewed, then split by what the change touched.

A finding belongs to the change when its span, or any step of its evidence path, lies on an
added or edited line: a new call that feeds an old sink is the change's defect. Findings that
are not on changed lines but sit in a function the change touched (by its enclosing `scope`)
are *pre-existing*: shown apart and collapsed, never counted. Everything else is left out.
Errors and suppression notices are kept for changed files (notices: on touched lines) only.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, replace

from scrutiny import baseline as baselines
from scrutiny.diff import Change, FileChange
from scrutiny.findings import Finding
from scrutiny.review import ChangeSummary, Review

_DECLARATIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class ChangeScope:
    """What narrows a review after it ran: a change, a baseline, or both."""

    change: Change | None = None
    baseline: baselines.Baseline | None = None

    def paths(self, given: tuple[str, ...]) -> tuple[str, ...]:
        """What to review: the paths given, else the repository; nothing if no Python changed."""
        if self.change is None:
            return given
        if not self.change.python_files:
            return ()
        if given:
            return given
        here = os.path.realpath(".") == os.path.realpath(self.change.root)
        return (".",) if here else (self.change.root,)

    def apply(self, review: Review) -> Review:
        index = _Index(self.change) if self.change is not None else None
        if self.baseline is not None:
            review = baselines.apply(review, self.baseline, index.on_change if index else lambda f: False)
        if index is None:
            return review
        return split(review, index)


class _Index:
    """Changed files by real path, and the scopes each change touched."""

    def __init__(self, change: Change) -> None:
        self.change = change
        self.files: dict[str, FileChange] = {
            os.path.realpath(os.path.join(change.root, f.path)): f for f in change.files if f.python
        }
        self._real: dict[str, str] = {}
        self._scopes: dict[str, frozenset[str]] = {}

    def lookup(self, path: str) -> FileChange | None:
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = os.path.realpath(path)
        return self.files.get(real)

    def on_change(self, finding: Finding) -> bool:
        changed = self.lookup(finding.path)
        loc = finding.location
        if changed is not None and any(n in changed.added for n in range(loc.line, loc.end_line + 1)):
            return True
        for step in finding.evidence:
            at = self.lookup(step.path)
            if at is not None and step.line in at.added:
                return True
        return False

    def in_touched_scope(self, finding: Finding) -> bool:
        changed = self.lookup(finding.path)
        if changed is None or not finding.scope:
            return False
        scopes = self._scopes.get(changed.path)
        if scopes is None:
            scopes = self._scopes[changed.path] = touched_scopes(finding.path, changed.touched)
        return finding.scope in scopes


def touched_scopes(path: str, lines: frozenset[int]) -> frozenset[str]:
    """Dotted names (`Class.method`, as `Finding.scope` spells them) of the innermost functions
    and classes that contain one of `lines`."""
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError, RecursionError):
        return frozenset()
    spans: list[tuple[int, int, str]] = []
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, _DECLARATIONS):
                name = f"{prefix}.{child.name}" if prefix else child.name
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                spans.append((start, child.end_lineno or child.lineno, name))
            stack.append((child, name))
    found = set()
    for line in lines:
        inside = [(end - start, name) for start, end, name in spans if start <= line <= end]
        if inside:
            found.add(min(inside)[1])
    return frozenset(found)


def split(review: Review, index: _Index) -> Review:
    """The change's findings, the pre-existing ones in touched functions, and a summary."""
    change = index.change
    mine = [f for f in review.findings if index.on_change(f)]
    taken = set(map(id, mine))
    preexisting = [f for f in review.findings if id(f) not in taken and index.in_touched_scope(f)]
    errors = [e for e in review.errors if index.lookup(e.path) is not None]
    notices = [n for n in review.notices if (at := index.lookup(n.path)) is not None and n.line in at.touched]
    stats = replace(review.stats, errors=len({e.path for e in errors if e.kind != "rule-error"}))
    summary = ChangeSummary(
        description=change.description,
        root=change.root,
        files=tuple(p for p in review.files if index.lookup(p) is not None),
        deleted=tuple(f.path for f in change.files if f.status == "deleted"),
        other=sum(1 for f in change.files if not f.python and f.status != "deleted"),
        notes=change.notes,
        base=change.base,
        head=change.head,
        repository=change.repository,
        python=len(change.python_files),
    )
    return replace(
        review, findings=mine, preexisting=preexisting, errors=errors, notices=notices, stats=stats,
        change=summary,
    )  # fmt: skip
