"""The terminal report, in a reviewer's voice: verdict first, then each defect with its line
quoted, why it matters and how to fix it; then what could not be reviewed, and what was checked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from scrutiny import __version__
from scrutiny.findings import Finding, Observation
from scrutiny.observations import title, where
from scrutiny.reporters.common import SUPPRESSION_COMMENTS, RenderOptions, display_path, why
from scrutiny.reporters.stages import origin, text_lines, uncovered
from scrutiny.review import CLEAN_CHANGE_VERDICT, CLEAN_VERDICT, NO_PYTHON_CHANGED, Review, verdict_for


def render(review: Review, options: RenderOptions) -> str:
    out: list[str] = _change_head(review)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in review.findings:
        by_file[finding.path].append(finding)
    failed = {e.path for e in review.errors if e.kind != "rule-error"} | uncovered(review)
    for path in sorted(by_file):
        out.extend(_file_section(path, by_file[path], review))
    candidates = review.files if review.change is None else list(review.change.files)
    clean = [p for p in candidates if p not in by_file and p not in failed]
    # A clean file with a narrative gets its own section: verdict, then the observations.
    clean_verdict = CLEAN_VERDICT if review.change is None else CLEAN_CHANGE_VERDICT
    for path in [p for p in clean if p in review.observations]:
        out.extend([display_path(path), f"  {clean_verdict}", "", *_observations(review.observations[path])])
    clean = [p for p in clean if p not in review.observations]
    if not options.quiet and clean:
        if len(candidates) <= options.list_clean_files:
            for path in clean:
                out.extend([display_path(path), f"  {clean_verdict}", ""])
        else:
            out.extend([f"{len(clean)} other files: {clean_verdict}", ""])
    out.extend(_errors(review))
    out.extend(_notices(review))
    out.extend(_preexisting(review))
    out.extend(_baseline(review))
    out.extend(text_lines(review))  # optional stages: what they covered and noted
    out.extend(_summary(review, options))
    return "\n".join(out).rstrip("\n") + "\n"


def _file_section(path: str, findings: list[Finding], review: Review) -> list[str]:
    active = [f for f in findings if f.suppressed is None]
    lines = [display_path(path), f"  {verdict_for(active, 'file')}", ""]
    for finding in findings:
        lines.extend(_finding(finding))
    return lines + _observations(review.observations.get(path, ()))


def _observations(observations: Sequence[Observation]) -> list[str]:
    """The narrative after the findings, grouped by category (observations.CATEGORIES)."""
    if not observations:
        return []
    lines = ["  Observations:"]
    category = None
    for o in observations:
        if o.category != category:
            category = o.category
            lines.append(f"    {title(category)}")
        place = where(o.lines)
        lines.append(f"      - {place}: {o.text}" if place else f"      - {o.text}")
    return [*lines, ""]


def _finding(f: Finding) -> list[str]:
    loc = f.location
    head = (
        f"  {display_path(f.path)}:{loc.line}:{loc.column + 1}  {f.code} {f.name}  "
        f"[{f.severity.value} severity, {f.confidence.value} confidence, {f.cwe_id}]"
    )
    if f.suppressed:
        head += f"  (suppressed by `{SUPPRESSION_COMMENTS[f.suppressed]}`)"
    if f.source != "static":
        head += f"  {origin(f)}"
    gutter = len(str(loc.line))
    source = f.source_line.rstrip().expandtabs(4)
    lines = [head, f"    {loc.line} | {source}"]
    if loc.end_line == loc.line and loc.end_column > loc.column:
        prefix = f.source_line[: loc.column].expandtabs(4)
        width = len(f.source_line[loc.column : loc.end_column].expandtabs(4))
        lines.append(f"    {' ' * gutter} | {' ' * len(prefix)}{'^' * max(1, width)}")
    lines.append(f"    {f.message}.")
    reason = why(f.code)
    if reason:
        lines.append(f"    Why it matters: {reason}")
    lines.append(f"    Fix: {f.fix}")
    if f.opinion:
        lines.append(f"    LLM: {f.opinion}.")
    for step in f.evidence:
        lines.append(f"      -> {display_path(step.path)}:{step.line}: {step.description}")
    lines.append("")
    return lines


def _change_head(review: Review) -> list[str]:
    """A change review opens with what was compared and the change's verdict."""
    c = review.change
    if c is None:
        return []
    what = f"{c.python} Python file(s) changed" if c.python else NO_PYTHON_CHANGED.rstrip(".").lower()
    lines = [f"Change: {c.description}: {what}.", f"Verdict: {review.verdict}"]
    if not c.python:
        lines.append(f"  {NO_PYTHON_CHANGED}")
    lines.extend(f"  Note: {note}." for note in c.notes)
    if c.deleted:
        lines.append(f"  Deleted: {', '.join(c.deleted)}.")
    return [*lines, ""]


def _preexisting(review: Review) -> list[str]:
    """Collapsed: one line each, apart from the change's findings and never counted."""
    if not review.preexisting:
        return []
    lines = [f"Pre-existing findings in touched functions ({len(review.preexisting)}, not counted):"]
    lines.extend(
        f"  {display_path(f.path)}:{f.line}:{f.location.column + 1}  {f.code} {f.name}  "
        f"[{f.severity.value} severity]  {f.message}."
        for f in review.preexisting
    )
    return [*lines, ""]


def _baseline(review: Review) -> list[str]:
    b = review.baseline
    if b is None:
        return []
    lines = [f"Baseline {display_path(b.path)}: {b.matched} accepted finding(s) not shown."]
    if b.stale:
        lines.append(f"  {len(b.stale)} stale entr{'y' if len(b.stale) == 1 else 'ies'} (no longer found; "
                     "rewrite it with `scrutiny baseline write`):")  # fmt: skip
        lines.extend(f"    {e.path}: {e.rule} x{e.count} ({e.fingerprint})" for e in b.stale)
    return [*lines, ""]


def _errors(review: Review) -> list[str]:
    if not review.errors:
        return []
    count = review.stats.errors
    noun = "file" if count == 1 else "files"
    head = f"Not reviewed ({count} {noun}):" if count else "Errors:"
    lines = [head]
    for e in review.errors:
        where = f"{display_path(e.path)}:{e.line}" if e.line else display_path(e.path)
        lines.append(f"  {where}: {e.kind}: {e.message}")
    return [*lines, ""]


def _notices(review: Review) -> list[str]:
    if not review.notices:
        return []
    lines = ["Suppression notices:"]
    lines.extend(f"  {display_path(n.path)}:{n.line}: {n.kind}: {n.message}" for n in review.notices)
    return [*lines, ""]


def _summary(review: Review, options: RenderOptions) -> list[str]:
    s = review.stats
    lines = [f"Verdict: {review.verdict}"]
    if review.suppressed:
        lines.append(f"  ({len(review.suppressed)} suppressed finding(s) are listed above and not counted.)")
    if s.errors:
        lines.append(f"  {s.errors} file(s) could not be reviewed; the verdict covers the others only.")
    if not options.quiet:
        profile = (
            "quiet profile: text checks only" if s.test_profile == "quiet" else f"{s.test_profile} profile"
        )
        tests = f", {s.test_files} of them test code ({profile})" if s.test_files else ""
        checked = f"Checked: {s.files} file(s), {s.lines:,} lines{tests}, with {s.rules} rules"
        checked += f" (scrutiny {__version__})"
        if options.timing:
            checked += f" in {s.seconds:.2f}s"
        lines.append(checked + ".")
    return lines
