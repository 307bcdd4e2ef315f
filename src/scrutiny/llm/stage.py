"""The LLM stage run after the rules: ask about every reviewed file, verify, merge, fail closed.

The stage can add findings (`source: llm`) and attach opinions to static findings; it never
removes one. Every file it could not review completely (a failed request, a refusal, a truncated
or unusable answer, the budget, a part too large for the model's context, a cache miss in replay
mode) is listed as not covered, and the stage is then `partial` or `failed`: never clean.
"""

from __future__ import annotations

import ast
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from scrutiny.config import Settings
from scrutiny.engine.source import decode, read_bytes
from scrutiny.findings import Finding
from scrutiny.llm import prompt as prompts
from scrutiny.llm.answer import ANSWER_SCHEMA, AnswerError, Checked, Verifier, parse
from scrutiny.llm.cache import Cache, cache_key
from scrutiny.llm.client import ChatClient, Completion, LLMError
from scrutiny.llm.options import LLMOptions
from scrutiny.review import Review, StageNote, StageStatus

STAGE = "llm"
REPAIR = (
    "Your answer could not be used: {error}. Reply again with only the JSON object described in "
    "the instructions, and nothing else."
)


@dataclass(slots=True)
class Task:
    chunk: prompts.Chunk
    prompt: prompts.Prompt
    lines: list[str]  # the file's real lines, what quotes are checked against


@dataclass(slots=True)
class Outcome:
    task: Task
    checked: Checked | None = None
    failure: StageNote | None = None


@dataclass(slots=True)
class FilePlan:
    path: str
    tasks: list[Task] = field(default_factory=list)
    problems: list[StageNote] = field(default_factory=list)  # reasons it cannot be covered in full
    notes: list[StageNote] = field(default_factory=list)  # reported, not disqualifying


class Stage:
    def __init__(self, options: LLMOptions, client: ChatClient | None = None) -> None:
        self.options = options
        self.client = client or ChatClient(options)
        self.cache = Cache(options.cache_dir)
        self.status = StageStatus(STAGE, "complete")
        self._lock = threading.Lock()
        self._committed = 0  # tokens reserved or spent, checked against the budget

    # --- planning -----------------------------------------------------------------------

    def plan(
        self, path: str, findings: list[Finding], max_bytes: int, only: frozenset[int] | None = None
    ) -> FilePlan:
        plan = FilePlan(path)
        data = read_bytes(path, max_bytes)
        text = decode(path, data) if isinstance(data, bytes) else data
        if not isinstance(text, str):
            plan.problems.append(StageNote(path, None, "unreadable", text.message))
            return plan
        real = text.splitlines()
        tree = ast.parse(text)  # the rules parsed it already, so this succeeds
        found = prompts.injections(text)
        for inj in found:
            message = f"instructions to the reviewer in the code; sent with comments stripped: `{inj.text}`"
            plan.notes.append(StageNote(path, inj.line, "prompt-injection", message))
        sent = prompts.strip(text, found) if found else real
        pillars = prompts.checklist(tree)
        limit = self.options.context - self.options.max_answer - prompts.overhead(findings, pillars)
        chunks, too_big = prompts.split(path, tree, sent, limit, only)
        for part in too_big:
            message = f"{part} does not fit the model's context of {self.options.context} tokens"
            plan.problems.append(StageNote(path, None, "too-large", message))
        for chunk in chunks:
            shown = set(chunk.lines)
            mine = [f for f in findings if f.line in shown]
            plan.tasks.append(Task(chunk, prompts.build(chunk, sent, mine, pillars), real))
        return plan

    # --- asking -------------------------------------------------------------------------

    def ask(self, task: Task) -> Outcome:
        path = task.chunk.path
        try:
            first = self._complete(task.prompt.messages, task.prompt.key_messages)
            try:
                data = parse(first)
            except AnswerError as error:
                if first.refusal:
                    raise
                data = parse(self._repair(task, first, error))
        except (LLMError, AnswerError) as exc:
            where = "" if task.chunk.label == "the whole file" else f" ({task.chunk.label})"
            return Outcome(task, failure=StageNote(path, None, exc.kind, exc.message + where))
        verifier = Verifier(path, task.lines, task.chunk.lines)
        return Outcome(task, checked=verifier.check(data, set(task.prompt.static_ids)))

    def _repair(self, task: Task, bad: Completion, error: AnswerError) -> Completion:
        extra = [
            {"role": "assistant", "content": bad.content},
            {"role": "user", "content": REPAIR.format(error=error.message)},
        ]
        return self._complete(task.prompt.messages + extra, task.prompt.key_messages + extra)

    def _complete(self, messages: list[dict[str, str]], key_messages: list[dict[str, str]]) -> Completion:
        opts = self.options
        key = cache_key(opts.url, opts.model, prompts.PROMPT_VERSION, key_messages, opts.cache_settings())
        hit = self.cache.get(key)
        if hit is not None:
            with self._lock:
                self.status.cached += 1
            return hit
        if opts.replay:
            raise LLMError("not-cached", "no cached answer for this request (--llm-replay sends none)")
        estimate = sum(prompts.estimate_tokens(m["content"]) for m in messages) + opts.max_answer
        self._reserve(estimate)
        try:
            completion = self.client.complete(messages, ANSWER_SCHEMA)
        except LLMError:
            self._settle(estimate, 0, 0)
            raise
        used_in = completion.prompt_tokens or estimate - opts.max_answer
        used_out = completion.completion_tokens or prompts.estimate_tokens(completion.content)
        self._settle(estimate, used_in, used_out)
        self.cache.put(key, completion)
        return completion

    def _reserve(self, tokens: int) -> None:
        with self._lock:
            budget = self.options.budget
            if budget is not None and self._committed + tokens > budget:
                raise LLMError("budget", f"the token budget of {budget:,} would be exceeded")
            self._committed += tokens

    def _settle(self, reserved: int, used_in: int, used_out: int) -> None:
        with self._lock:
            self._committed += used_in + used_out - reserved
            self.status.prompt_tokens += used_in
            self.status.completion_tokens += used_out

    # --- running ------------------------------------------------------------------------

    def run(
        self, review: Review, settings: Settings, changed: dict[str, frozenset[int]] | None = None
    ) -> Review:
        """`changed` (a change review): real paths -> changed lines; only the functions those
        lines touch are sent, one request per changed function or group that fits."""
        failed = {e.path for e in review.errors if e.kind != "rule-error"}
        paths = [p for p in review.files if p not in failed]
        if changed is not None:
            paths = [p for p in paths if os.path.realpath(p) in changed]
        plans = [
            self.plan(
                p,
                [f for f in review.findings if f.path == p],
                settings.max_file_bytes,
                changed.get(os.path.realpath(p)) if changed is not None else None,
            )
            for p in paths
        ]
        tasks = [t for plan in plans for t in plan.tasks]
        with ThreadPoolExecutor(max_workers=self.options.jobs) as pool:
            outcomes = list(pool.map(self.ask, tasks))
        self.status.requests = self.client.sent
        self.status.cost = round(
            (
                self.status.prompt_tokens * self.options.price_in
                + self.status.completion_tokens * self.options.price_out
            )
            / 1_000_000,
            6,
        )
        if not self.client.structured:
            message = "the server does not offer structured output; JSON was extracted from text"
            self.status.notes.append(StageNote("", None, "no-structured-output", message))
        return merge(review, plans, outcomes, self.status, settings)


def merge(
    review: Review, plans: list[FilePlan], outcomes: list[Outcome], status: StageStatus, settings: Settings
) -> Review:
    """Static findings all kept (with opinions), verified LLM findings added, coverage stated."""
    findings = list(review.findings)
    index = {id(f): i for i, f in enumerate(findings)}
    added: list[Finding] = []
    bad_paths = {n.path for plan in plans for n in plan.problems}
    for plan in plans:
        status.notes.extend(plan.notes + plan.problems)
    for outcome in outcomes:
        if outcome.checked is None:
            if outcome.failure is not None:
                status.notes.append(outcome.failure)
            bad_paths.add(outcome.task.chunk.path)
            continue
        status.notes.extend(outcome.checked.notes)
        for sid, (verdict, reason) in outcome.checked.opinions.items():
            i = index[id(outcome.task.prompt.static_ids[sid])]
            findings[i] = _opinion(findings[i], verdict, reason)
        for new in outcome.checked.findings:
            same = [i for i, f in enumerate(findings) if f.source != "llm" and _same_defect(f, new)]
            for i in same:
                findings[i] = _opinion(findings[i], "agree", findings[i].opinion or new.message, keep=True)
            if (
                not same
                and new.severity >= settings.min_severity
                and new.confidence >= settings.min_confidence
            ):
                added.append(new)
    unique = {(f.line, f.location.column, f.cwe, f.message, f.path): f for f in added}
    findings.extend(unique.values())
    findings.sort(key=lambda f: (f.source != "static+llm", *f.sort_key()))
    paths = [plan.path for plan in plans]
    status.covered = sorted(p for p in paths if p not in bad_paths)
    status.not_covered = sorted(p for p in paths if p in bad_paths)
    status.notes.sort(key=lambda n: (n.path, n.line or 0, n.kind, n.message))
    if status.not_covered:
        status.state = "failed" if not status.covered else "partial"
    return replace(review, findings=findings, stages=[*review.stages, status])


def _same_defect(static: Finding, llm: Finding) -> bool:
    overlap = static.location.line <= llm.location.end_line and llm.location.line <= static.location.end_line
    return static.path == llm.path and overlap and static.cwe == llm.cwe


def _opinion(f: Finding, verdict: str, reason: str, keep: bool = False) -> Finding:
    if verdict == "agree":
        text = reason if keep else f"The LLM stage agrees: {reason}"
        return replace(f, source="static+llm", opinion=text.rstrip("."))
    return replace(f, opinion=f"The LLM stage thinks this may be a false positive: {reason}".rstrip("."))


def run_stage(
    review: Review,
    options: LLMOptions,
    settings: Settings | None = None,
    changed: dict[str, frozenset[int]] | None = None,
) -> Review:
    """The review with the LLM stage's findings, opinions and status merged in."""
    return Stage(options).run(review, settings or Settings(), changed)
