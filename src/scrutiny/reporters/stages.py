"""What every reporter says about optional stages (the LLM review): how far each got, which files
it covered, what it noted, what it cost; and how a finding's origin is marked. Kept apart so the
reporters each need one call, and the wording is the same in every format."""

from __future__ import annotations

from typing import Any

from scrutiny.findings import Finding
from scrutiny.reporters.common import display_path
from scrutiny.review import Review, StageNote, StageStatus

_MAX_LISTED = 20  # files named per list; the rest are counted


def origin(f: Finding) -> str:
    """`(LLM finding, quote verified)`, `(static and LLM agree)`, or "" for a rule's finding."""
    if f.source == "llm":
        return "(LLM finding, quote verified, re-anchored)" if f.moved else "(LLM finding, quote verified)"
    if f.source == "static+llm":
        return "(static and LLM agree)"
    return ""


def uncovered(review: Review) -> set[str]:
    """Files some enabled stage did not review in full: never called clean."""
    return {p for s in review.stages for p in s.not_covered}


def _files(paths: list[str]) -> str:
    shown = ", ".join(display_path(p) for p in paths[:_MAX_LISTED])
    more = f" and {len(paths) - _MAX_LISTED} more" if len(paths) > _MAX_LISTED else ""
    return shown + more


def headline(s: StageStatus) -> str:
    covered = f"{len(s.covered)} of {len(s.covered) + len(s.not_covered)} file(s) covered"
    return f"{s.name.upper()} stage {s.state}: {covered}"


def usage(s: StageStatus) -> str:
    return (
        f"{s.requests} request(s), {s.cached} cached answer(s), {s.prompt_tokens:,} prompt + "
        f"{s.completion_tokens:,} answer tokens, estimated cost {s.cost:.4f}"
    )


def note_text(n: StageNote) -> str:
    where = display_path(n.path) + (f":{n.line}" if n.line else "") if n.path else "stage"
    return f"{where}: {n.kind}: {n.message}"


def text_lines(review: Review) -> list[str]:
    out: list[str] = []
    for s in review.stages:
        out.append(f"{headline(s)}; {usage(s)}.")
        if s.covered:
            out.append(f"  Covered: {_files(s.covered)}.")
        if s.not_covered:
            out.append(f"  Not covered: {_files(s.not_covered)}.")
        out.extend(f"  {note_text(n)}" for n in s.notes)
        out.append("")
    return out


def stage_dict(s: StageStatus) -> dict[str, Any]:
    return {
        "name": s.name,
        "state": s.state,
        "covered": [display_path(p) for p in s.covered],
        "not_covered": [display_path(p) for p in s.not_covered],
        "notes": [
            {"path": display_path(n.path), "line": n.line, "kind": n.kind, "message": n.message}
            for n in s.notes
        ],
        "requests": s.requests,
        "cached": s.cached,
        "prompt_tokens": s.prompt_tokens,
        "completion_tokens": s.completion_tokens,
        "cost": s.cost,
    }
