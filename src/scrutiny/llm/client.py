"""A client for OpenAI-compatible chat-completions endpoints (OpenAI, vLLM, Ollama, llama.cpp
server, LM Studio), on the standard library's `http.client`: timeouts, retries with exponential
backoff on 429, 5xx, timeouts and dropped connections (honouring `Retry-After`), and the
server's structured-output mode when it takes it."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrutiny.llm.options import LLMOptions

_MAX_DELAY = 30.0  # seconds: a Retry-After larger than this is capped


class LLMError(Exception):
    """A request that did not produce an answer; `kind` is timeout, http, connection or bad-response."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True, slots=True)
class Completion:
    content: str
    finish_reason: str  # "stop", or "length" when the answer was cut at the token limit
    prompt_tokens: int
    completion_tokens: int
    refusal: str | None = None  # OpenAI's explicit refusal field

    def to_json(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "finish_reason": self.finish_reason,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "refusal": self.refusal,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Completion:
        return cls(
            str(data["content"]),
            str(data["finish_reason"]),
            int(data["prompt_tokens"]),
            int(data["completion_tokens"]),
            data.get("refusal"),
        )


class ChatClient:
    def __init__(self, options: LLMOptions, sleep: Callable[[float], None] = time.sleep) -> None:
        parts = urlsplit(options.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--llm-url must be an http or https URL, not {options.url!r}")
        self.options = options
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port
        self.path = parts.path.rstrip("/") + "/chat/completions"
        self.structured = True  # switched off when the server rejects response_format
        self.sent = 0
        self._lock = threading.Lock()
        self._sleep = sleep

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> Completion:
        error = LLMError("connection", "no attempt made")
        attempt = 0
        while attempt <= self.options.retries:
            structured = self.structured
            try:
                status, retry_after, body = self._post(self._payload(messages, schema, structured))
            except TimeoutError:
                error = LLMError("timeout", f"no answer within {self.options.timeout:g}s")
                retry_after = None
            except (OSError, http.client.HTTPException) as exc:
                error = LLMError("connection", f"connection failed: {exc}")
                retry_after = None
            else:
                if status == 200:
                    return _completion(body)
                if status in (400, 422) and structured:  # no structured output here: ask plainly
                    self.structured = False
                    continue
                error = LLMError("http", f"HTTP {status}: {_short(body)}")
                if status != 429 and status < 500:
                    raise error
            attempt += 1
            if attempt <= self.options.retries:
                self._sleep(min(_MAX_DELAY, retry_after or self.options.backoff * 2 ** (attempt - 1)))
        raise error

    def _payload(self, messages: list[dict[str, str]], schema: dict[str, Any], structured: bool) -> bytes:
        payload: dict[str, Any] = {
            "model": self.options.model,
            "messages": messages,
            "temperature": self.options.temperature,
            "max_tokens": self.options.max_answer,
            "stream": False,
        }
        if structured:
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "scrutiny_review", "strict": True, "schema": schema},
            }
        return json.dumps(payload).encode("utf-8")

    def _post(self, body: bytes) -> tuple[int, float | None, bytes]:
        with self._lock:
            self.sent += 1
        cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        conn = cls(self.host, self.port, timeout=self.options.timeout)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        key = self.options.api_key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        try:
            conn.request("POST", self.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            return response.status, _retry_after(response.getheader("Retry-After")), data
        finally:
            conn.close()


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # an HTTP date: fall back to our own backoff
        return None


def _short(body: bytes) -> str:
    return " ".join(body.decode("utf-8", "replace").split())[:200]


def _completion(body: bytes) -> Completion:
    try:
        data = json.loads(body)
        choice = data["choices"][0]
        message = choice["message"]
        usage = data.get("usage") or {}
        content = message.get("content") or ""
        return Completion(
            content=str(content),
            finish_reason=str(choice.get("finish_reason") or "stop"),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            refusal=message.get("refusal") or None,
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise LLMError("bad-response", f"not a chat completion: {_short(body)}") from exc
