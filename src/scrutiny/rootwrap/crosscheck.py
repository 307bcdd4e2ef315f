"""SCR122 across the project: a privileged call is reported only when the review includes
filter files and none of them allows its program.

The rule flags every privileged call with a literal program during the per-file walk; this
pass runs in the parent once all files are analysed (like the dataflow solve) and returns
copies of the works without the calls some filter allows. The works themselves stay as
analysed, so the cache never stores a verdict that depends on other files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from scrutiny.engine.model import load_models
from scrutiny.rootwrap.facts import allows, facts
from scrutiny.rootwrap.ini import Entry
from scrutiny.rootwrap.review import is_filters
from scrutiny.rules.privilege.privileged_call_without_filter import PrivilegedCallWithoutFilter, program_of

if TYPE_CHECKING:
    from scrutiny.pipeline import FileWork

CODE = PrivilegedCallWithoutFilter.code


Filters = tuple[bool, tuple[Entry, ...]]  # whether any filter file was reviewed; its entries


def project_filters(works: Sequence[FileWork]) -> Filters:
    """What SCR122 needs to know of the whole project: kept with a solve, for an edit."""
    reviewed = any(is_filters(w.result.path) and w.result.reviewed for w in works)
    return reviewed, tuple(e for w in works for e in w.filters)


def cross_check(
    works: Sequence[FileWork], models: Sequence[str] = (), project: Filters | None = None
) -> list[FileWork]:
    """`works` without the SCR122 calls a filter allows; the filters are the works' own, or
    `project`'s (when only edited files are finished again)."""
    if not any(CODE in w.active for w in works):
        return list(works)
    reviewed, entries = project if project is not None else project_filters(works)
    always = facts(load_models(models)).always_allowed
    out: list[FileWork] = []
    for work in works:
        calls = [r for r in work.raw if r.finding.code == CODE]
        if not calls:
            out.append(work)
            continue
        kept = [
            r for r in work.raw
            if r.finding.code != CODE or (reviewed and _unfiltered(program_of(r.finding), entries, always))
        ]  # fmt: skip
        out.append(replace(work, raw=kept))
    return out


def _unfiltered(program: str | None, entries: Sequence[Entry], always: frozenset[str]) -> bool:
    if program is None or program in always:
        return False
    return not any(allows(entry, program) for entry in entries)
