"""The LLM stage's settings and the `--llm-*` command-line options that fill them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class LLMOptions:
    url: str  # base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1
    model: str
    key_env: str | None = None  # name of the environment variable holding the API key
    budget: int | None = None  # tokens (prompt + answer) the run may spend; None: no limit
    context: int = 8192  # the model's context window, in tokens
    max_answer: int = 1024  # tokens reserved for each answer
    timeout: float = 120.0  # seconds per request
    retries: int = 3  # on 429, 5xx, timeouts and dropped connections
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    jobs: int = 4  # requests in flight at once
    cache_dir: str | None = None  # None: no cache
    replay: bool = False  # answers from the cache only; a miss is not covered, never a request
    price_in: float = 0.0  # cost per million prompt tokens
    price_out: float = 0.0  # cost per million answer tokens
    temperature: float = 0.0

    def api_key(self) -> str | None:
        return os.environ.get(self.key_env) if self.key_env else None

    def cache_settings(self) -> dict[str, Any]:
        """What, besides endpoint, model and prompt, changes an answer: part of the cache key."""
        return {"temperature": self.temperature, "max_answer": self.max_answer}


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "scrutiny", "llm")


_OPTIONS: list[Callable[[F], F]] = [
    click.option("--llm-url", help="Enable the LLM stage: base URL of an OpenAI-compatible API (…/v1)."),
    click.option("--llm-model", help="Model name to ask (required with --llm-url)."),
    click.option("--llm-key-env", help="Environment variable holding the API key (never the key itself)."),
    click.option("--llm-budget", type=click.IntRange(min=1), help="Most tokens the LLM stage may spend."),
    click.option(
        "--llm-context", type=click.IntRange(min=512), default=8192, show_default=True,
        help="The model's context size in tokens; larger files are split by function.",
    ),
    click.option("--llm-timeout", type=click.FloatRange(min=0.01), default=120.0, show_default=True),
    click.option("--llm-retries", type=click.IntRange(min=0), default=3, show_default=True),
    click.option("--llm-jobs", type=click.IntRange(min=1), default=4, show_default=True),
    click.option("--llm-cache", type=click.Path(file_okay=False), help="Answer cache directory."),
    click.option("--llm-replay", is_flag=True, help="Use only cached answers; send no request."),
    click.option(
        "--llm-price", type=(float, float), default=(0.0, 0.0), show_default=True,
        help="Cost per million prompt and answer tokens, for the estimate.",
    ),
]  # fmt: skip


def llm_options(func: F) -> F:
    """Adds the `--llm-*` options to a click command."""
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


def pop_options(values: dict[str, Any]) -> LLMOptions | None:
    """Takes the `llm_*` values out of a command's keyword arguments; None when not enabled."""
    raw = {k.removeprefix("llm_"): values.pop(k) for k in list(values) if k.startswith("llm_")}
    if not raw.get("url"):
        given = sorted(k for k in ("model", "key_env", "budget", "cache", "replay") if raw.get(k))
        if given:
            raise click.UsageError(f"--llm-{given[0].replace('_', '-')} needs --llm-url")
        return None
    if not raw.get("model"):
        raise click.UsageError("--llm-url needs --llm-model")
    price_in, price_out = raw.get("price") or (0.0, 0.0)
    return LLMOptions(
        url=str(raw["url"]),
        model=str(raw["model"]),
        key_env=raw.get("key_env"),
        budget=raw.get("budget"),
        context=int(raw.get("context") or 8192),
        timeout=float(raw.get("timeout") or 120.0),
        retries=int(raw["retries"]) if raw.get("retries") is not None else 3,
        jobs=int(raw.get("jobs") or 4),
        cache_dir=raw.get("cache") or default_cache_dir(),
        replay=bool(raw.get("replay")),
        price_in=float(price_in),
        price_out=float(price_out),
    )
