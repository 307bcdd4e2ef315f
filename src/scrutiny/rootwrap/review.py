"""Review one rootwrap filter file: read it, send each entry to the filter rules, keep the
suppression comments. Returns the same `FileWork` a Python file's review does, so the pipeline
finishes both alike (suppressions, the project-wide SCR122 check, the cache)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scrutiny import suppress
from scrutiny.config import Settings
from scrutiny.discovery import is_test_path
from scrutiny.engine.model import load_models
from scrutiny.engine.source import decode, read_bytes
from scrutiny.engine.walker import RawFinding
from scrutiny.findings import FileError, FileResult, Finding, Location
from scrutiny.rootwrap.facts import facts
from scrutiny.rootwrap.ini import Entry, IniError, looks_like_filters, parse
from scrutiny.rules import ALL_RULES, Rule
from scrutiny.rules.privilege._filter_rule import FilterHit, FilterRule
from scrutiny.selection import for_file, selected

if TYPE_CHECKING:
    from scrutiny.pipeline import FileWork

SUFFIX = ".filters"
# `# scrutiny: ignore[SCR120]` in an INI comment: on a comment line of the block directly above
# the entry (the form rootwrap itself reads correctly), or after the entry on its own line.
_COMMENT = re.compile(r"(?:^\s*|\s)[#;](?P<text>.*)$")


def is_filters(path: str) -> bool:
    return path.endswith(SUFFIX)


def analyze_file(path: str, settings: Settings, data: bytes | None = None) -> FileWork:
    from scrutiny.pipeline import FileWork  # the pipeline imports this module

    raw = read_bytes(path, settings.max_file_bytes) if data is None else data
    text = decode(path, raw) if isinstance(raw, bytes) else raw
    if isinstance(text, FileError):
        return FileWork(FileResult(path, errors=[text], is_test=is_test_path(path)))
    return analyze_text(path, text, settings)


def analyze_text(
    path: str, text: str, settings: Settings, rules: Sequence[type[Rule]] | None = None
) -> FileWork:
    from scrutiny.pipeline import FileWork

    lines = text.splitlines()
    is_test = is_test_path(path)
    work = FileWork(FileResult(path, lines=len(lines), reviewed=True, is_test=is_test))
    try:
        if not looks_like_filters(text):
            raise IniError("no [Filters] section: not an oslo.rootwrap filter file")
        entries = parse(text)
    except IniError as exc:
        work.result.errors.append(FileError(path, "syntax", f"invalid rootwrap filter file: {exc}", exc.line))
        work.result.reviewed = False
        return work
    chosen = for_file(selected(settings) if rules is None else rules, is_test, settings)
    known = facts(load_models(settings.models))
    for rule in (r() for r in chosen if issubclass(r, FilterRule)):
        for entry in entries:
            try:
                hits = list(rule.check_entry(entry, known))
            except Exception as exc:  # one rule, one file: never the run
                if settings.strict:
                    raise
                message = f"rule {rule.code} ({rule.name}) failed: {type(exc).__name__}: {exc}"
                work.result.errors.append(FileError(path, "rule-error", message, entry.line, rule.code))
                break
            work.raw.extend(_raw(rule, entry, hit, path, lines) for hit in hits)
    work.suppressions = _suppressions(lines)
    work.active = frozenset(rule.code for rule in chosen)
    work.extra_rules = tuple(r for r in chosen if r not in ALL_RULES)
    work.filters = tuple(entries)
    return work


def _raw(rule: FilterRule, entry: Entry, hit: FilterHit, path: str, lines: list[str]) -> RawFinding:
    arg = hit.arg
    confidence = rule.confidence if hit.confidence is None else min(rule.confidence, hit.confidence)
    source_line = lines[arg.line - 1] if 0 < arg.line <= len(lines) else ""
    finding = Finding(
        code=rule.code, name=rule.name, cwe=rule.cwe, severity=rule.severity,
        confidence=confidence, path=path,
        location=Location(arg.line, arg.column, arg.line, arg.end_column),
        message=hit.message, fix=rule.fix, source_line=source_line,
        scope=entry.name, snippet=arg.text,
    )  # fmt: skip
    return RawFinding(finding, (entry.comments_from, entry.end_line))


def _suppressions(lines: list[str]) -> list[suppress.Suppression]:
    """The suppression comments of an INI file, read by the same parser as Python's."""
    found: list[suppress.Suppression] = []
    for number, line in enumerate(lines, start=1):
        match = _COMMENT.search(line)
        if match is not None and "scrutiny" in match.group("text").lower():
            for sup in suppress.parse("#" + match.group("text")):
                found.append(suppress.Suppression(number, sup.kind, sup.codes))
    return found


__all__ = ["analyze_file", "analyze_text", "is_filters"]
