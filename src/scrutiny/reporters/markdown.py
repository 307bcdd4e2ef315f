"""A Markdown summary that fits a pull-request comment.

Reviewed code is hostile input here: anything taken from it is put in code spans or fenced
blocks whose fence is longer than any backtick run inside, table cells have `|` and `<`
escaped, and `@mentions` are broken so a comment cannot ping people.
"""

from __future__ import annotations

import re

from scrutiny import cwe
from scrutiny.findings import Finding
from scrutiny.observations import title, where
from scrutiny.reporters.common import RenderOptions, display_path, why
from scrutiny.reporters.stages import headline, note_text, origin, usage
from scrutiny.review import Review

_MAX_QUOTE = 300  # characters of a source line shown; longer lines are cut with a marker
_SEVERITY_ICON = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "⬜"}


def escape(text: str) -> str:
    """Plain Markdown text (table cells, list items) from untrusted input."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*_{}\[\]()#+!|~>])", r"\\\1", text)
    text = text.replace("<", "&lt;").replace("\r", " ").replace("\n", " ")
    return text.replace("@", "@\u200b")


def inline(text: str) -> str:
    """Our own messages: `quoted` parts become code spans, the rest is escaped text.

    Messages can quote names taken from the reviewed code, so neither part is trusted.
    """
    parts = text.split("`")
    if len(parts) % 2 == 0:  # unbalanced backticks: treat it all as plain text
        return escape(text)
    return "".join(code_span(part) if i % 2 else escape(part) for i, part in enumerate(parts))


def code_span(text: str) -> str:
    text = " ".join(text.split())[:_MAX_QUOTE].replace("@", "@\u200b")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(text: str) -> str:
    if len(text) > _MAX_QUOTE:
        text = text[:_MAX_QUOTE] + " …"
    text = text.replace("@", "@\u200b")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}python\n{text}\n{fence}"


def render(review: Review, options: RenderOptions) -> str:
    out = ["## scrutiny security review", "", f"**{review.verdict}**", ""]
    out.extend(_change(review))
    active = review.active
    if active:
        out += ["| Severity | Rule | Location | Finding |", "| --- | --- | --- | --- |"]
        for f in active:
            icon = _SEVERITY_ICON[f.severity.value]
            where = escape(f"{display_path(f.path)}:{f.line}")
            out.append(
                f"| {icon} {f.severity.value} | {f.code} {escape(f.name)} "
                f"([{f.cwe_id}]({cwe.url(f.cwe)})) | {where} | {inline(f.message)}{_origin(f)} |"
            )
        out += ["", "<details><summary>Details and fixes</summary>", ""]
        for f in active:
            out.extend(_detail(f))
        out += ["</details>", ""]
    out.extend(_observations(review))
    out.extend(_collapsed(review))
    out.extend(_preexisting(review))
    out.extend(_baseline(review))
    out.extend(_stages(review))
    s = review.stats
    out.append(
        f"<sub>Checked {s.files} file(s), {s.lines:,} lines, with {s.rules} rules."
        + (f" {s.errors} file(s) could not be reviewed." if s.errors else "")
        + "</sub>"
    )
    return "\n".join(out) + "\n"


def _origin(f: Finding) -> str:
    return f" {escape(origin(f))}" if f.source != "static" else ""


def _stages(review: Review) -> list[str]:
    out: list[str] = []
    for s in review.stages:
        out += [f"**{escape(headline(s))}**; {escape(usage(s))}.", ""]
        if s.not_covered:
            out += [f"Not covered: {', '.join(code_span(display_path(p)) for p in s.not_covered)}", ""]
        if s.notes:
            out += [f"<details><summary>{len(s.notes)} note(s) from the {s.name} stage</summary>", ""]
            out += [f"- {escape(note_text(n))}" for n in s.notes]
            out += ["", "</details>", ""]
    return out


def _detail(f: Finding) -> list[str]:
    lines = [
        f"#### {f.code} {escape(f.name)} at {escape(display_path(f.path))}:{f.line}",
        "",
        f"{f.severity.value} severity, {f.confidence.value} confidence, {f.cwe_id} {escape(cwe.name(f.cwe))}",
        "",
        code_block(f.source_line.rstrip()),
        "",
        f"{inline(f.message)}. {inline(why(f.code))}",
        "",
        f"**Fix:** {inline(f.fix)}",
        "",
    ]
    if f.opinion:  # model output: escaped like everything taken from the reviewed code
        lines += [f"**LLM:** {inline(f.opinion)}", ""]
    if f.evidence:
        lines += [
            f"{i}. {escape(display_path(s.path))}:{s.line}: {escape(s.description)}"
            for i, s in enumerate(f.evidence, 1)
        ]
        lines.append("")
    return lines


def _change(review: Review) -> list[str]:
    c = review.change
    if c is None:
        return []
    what = f"{c.python} Python file(s) changed" if c.python else "no Python file changed"
    lines = [f"Change: {escape(c.description)}: {what}."]
    lines += [f"- {escape(note)}" for note in c.notes]
    return [*lines, ""]


def _preexisting(review: Review) -> list[str]:
    if not review.preexisting:
        return []
    count = len(review.preexisting)
    out = [
        f"<details><summary>{count} pre-existing finding(s) in touched functions (not counted)</summary>",
        "",
    ]
    out += [
        f"- {f.severity.value} {f.code} {escape(f.name)} at {escape(display_path(f.path))}:{f.line}: "
        f"{inline(f.message)}"
        for f in review.preexisting
    ]
    return [*out, "", "</details>", ""]


def _baseline(review: Review) -> list[str]:
    b = review.baseline
    if b is None:
        return []
    out = [f"Baseline {escape(display_path(b.path))}: {b.matched} accepted finding(s) not shown.", ""]
    if b.stale:
        out += [f"<details><summary>{len(b.stale)} stale baseline entries</summary>", ""]
        out += [f"- {escape(e.path)}: {e.rule} x{e.count}" for e in b.stale]
        out += ["", "</details>", ""]
    return out


def _observations(review: Review) -> list[str]:
    """Each file's narrative, grouped by category (observations.CATEGORIES), collapsed."""
    out: list[str] = []
    for path, observations in sorted(review.observations.items()):
        out += [f"<details><summary>Observations: {escape(display_path(path))}</summary>", ""]
        category = None
        for o in observations:
            if o.category != category:
                category = o.category
                if out[-1]:
                    out.append("")
                out += [f"**{escape(title(category))}**", ""]
            place = where(o.lines)
            out.append(f"- {escape(place) + ': ' if place else ''}{inline(o.text)}")
        out += ["", "</details>", ""]
    return out


def _collapsed(review: Review) -> list[str]:
    out: list[str] = []
    if review.suppressed:
        out += [f"<details><summary>{len(review.suppressed)} suppressed finding(s)</summary>", ""]
        out += [
            f"- {f.code} at {escape(display_path(f.path))}:{f.line}: {inline(f.message)}"
            for f in review.suppressed
        ]
        out += ["", "</details>", ""]
    if review.errors:
        out += [f"<details><summary>{len(review.errors)} error(s)</summary>", ""]
        out += [
            f"- {escape(display_path(e.path))}: {escape(e.kind)}: {escape(e.message)}" for e in review.errors
        ]
        out += ["", "</details>", ""]
    return out
