"""A rule's documentation, read from its docstring's fixed sections."""

from __future__ import annotations

import inspect
import re

from scrutiny.rules.base import Rule

SECTIONS = ("Why is this bad?", "Example", "Use instead", "Known problems", "Options", "References")
REQUIRED = ("Why is this bad?", "Example", "Use instead", "References")
_CODE_BLOCKS = {lang: re.compile(rf"```{lang}\n(.*?)```", re.DOTALL) for lang in ("python", "ini")}


def sections(rule: type[Rule]) -> dict[str, str]:
    """`{"": summary, "Why is this bad?": text, ...}` in docstring order."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    parts: dict[str, str] = {}
    current = ""
    lines: list[str] = []
    for line in doc.splitlines():
        if line.startswith("## "):
            parts[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        else:
            lines.append(line)
    parts[current] = "\n".join(lines).strip()
    return parts


def code_blocks(text: str, language: str = "python") -> list[str]:
    """Fenced blocks of `language`: Python, or INI for rules on rootwrap filter files."""
    return _CODE_BLOCKS[language].findall(text)


def render(rule: type[Rule]) -> str:
    """The Markdown page for a rule, as `scrutiny rule CODE` prints it."""
    from scrutiny import cwe

    parts = sections(rule)
    head = [
        f"# {rule.code} {rule.name}",
        "",
        parts.get("", ""),
        "",
        f"- CWE: [CWE-{rule.cwe}: {cwe.name(rule.cwe)}]({cwe.url(rule.cwe)})",
        f"- Severity: {rule.severity.value}; confidence: {rule.confidence.value}",
        f"- Fix: {rule.fix}",
    ]
    if rule.bandit:
        head.append(f"- Bandit twin: {', '.join(rule.bandit)}")
    if rule.preview:
        head.append("- Preview: off unless selected by code or `--preview`")
    if rule.in_tests:
        head.append("- Also runs on test code (most rules are quiet there)")
    body = [f"## {title}\n\n{parts[title]}" for title in SECTIONS if parts.get(title)]
    return "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"
