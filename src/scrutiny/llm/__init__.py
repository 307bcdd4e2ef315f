"""The optional LLM review stage: grounded, verifiable, fail-closed.

Runs after the rules, only when `--llm-url` is given. It asks an OpenAI-compatible
chat-completions endpoint about each reviewed file, with the static findings and a checklist of
the CWE pillars that apply, and accepts only answers whose every quote is found in the file.
It can add findings (`source: llm`) and opinions on static findings, never remove one, and the
review is never called clean unless the stage finished. The engine never imports this package;
it needs nothing beyond the standard library (`pip install scrutiny[llm]` keeps the door open).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrutiny.llm.options import LLMOptions

if TYPE_CHECKING:
    from scrutiny.llm.prompt import PROMPT_VERSION
    from scrutiny.llm.stage import run_stage

__all__ = ["PROMPT_VERSION", "LLMOptions", "run_stage"]


def __getattr__(name: str) -> Any:
    """The stage (HTTP client and all) loads on first use: the CLI needs only the options
    to start, and start-up time is paid by every run."""
    if name == "run_stage":
        from scrutiny.llm.stage import run_stage

        return run_stage
    if name == "PROMPT_VERSION":
        from scrutiny.llm.prompt import PROMPT_VERSION

        return PROMPT_VERSION
    raise AttributeError(name)
