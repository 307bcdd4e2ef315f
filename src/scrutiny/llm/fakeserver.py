"""A scripted OpenAI-compatible chat-completions server, for tests and the demo.

Standard library only, bound to 127.0.0.1 on a free port. A *script* maps each request (the
decoded JSON body) to a `Reply`: an answer, an HTTP error, a delay longer than the client's
timeout, a refusal, an answer cut at the token limit. Every request is recorded. It runs no model:
`demo_answer` reads the numbered code in the prompt and answers with a few grounded findings, one
off by a line and one invented, so the verification can be seen at work.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True, slots=True)
class Reply:
    content: str = '{"findings": [], "static_opinions": []}'
    status: int = 200
    delay: float = 0.0  # seconds before answering
    finish_reason: str = "stop"
    refusal: str | None = None
    body: str | None = None  # raw response body, replacing the chat completion
    headers: dict[str, str] = field(default_factory=dict)


Script = Callable[[dict[str, Any]], Reply]
_MAX_BODY = 16 * 1024 * 1024  # bytes: a test prompt is far smaller


def sequence(replies: Iterable[Reply], then: Script | None = None) -> Script:
    """Plays `replies` in order, then `then` (or an empty answer) for every later request."""
    queue = list(replies)
    lock = threading.Lock()

    def play(request: dict[str, Any]) -> Reply:
        with lock:
            if queue:
                return queue.pop(0)
        return then(request) if then else Reply()

    return play


class FakeLLM:
    def __init__(self, script: Script, structured: bool = True, port: int = 0) -> None:
        self.script = script
        self.port = port  # 0: a free port
        self.structured = structured  # False: answer 400 to `response_format`, as some servers do
        self.requests: list[dict[str, Any]] = []
        self.authorization: list[str | None] = []  # the Authorization header of each request
        self.in_flight = 0
        self.most_in_flight = 0  # the concurrency the client really used
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake.handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        server = self._server  # a short poll interval: stopping takes milliseconds, not half a second
        self._thread = threading.Thread(target=lambda: server.serve_forever(0.02), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle(self, http: BaseHTTPRequestHandler) -> None:
        length = min(int(http.headers.get("Content-Length") or 0), _MAX_BODY)
        request = json.loads(http.rfile.read(length) or b"{}")
        with self._lock:
            self.requests.append(request)
            self.authorization.append(http.headers.get("Authorization"))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            reply, data = self._answer(http, request)
        finally:
            # Counted as finished before the reply is sent: once the client has read it, it may
            # send its next request before this thread runs again.
            with self._lock:
                self.in_flight -= 1
        self._send(http, reply, data)

    def _answer(self, http: BaseHTTPRequestHandler, request: dict[str, Any]) -> tuple[Reply, bytes]:
        if not http.path.endswith("/chat/completions"):
            reply = Reply(status=404, body='{"error": "not found"}')
        elif "response_format" in request and not self.structured:
            reply = Reply(status=400, body='{"error": "response_format is not supported"}')
        else:
            reply = self.script(request)
        time.sleep(reply.delay)
        body = reply.body if reply.body is not None else json.dumps(_completion(request, reply))
        return reply, body.encode("utf-8")

    @staticmethod
    def _send(http: BaseHTTPRequestHandler, reply: Reply, data: bytes) -> None:
        try:
            http.send_response(reply.status)
            for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                http.send_header(name, value)
            http.send_header("Content-Length", str(len(data)))
            http.end_headers()
            http.wfile.write(data)
        except OSError:  # the client gave up (a timeout test): nothing to answer
            pass


def _completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    prompt = sum(len(str(m.get("content", ""))) for m in request.get("messages", ()))
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "model": request.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content, "refusal": reply.refusal},
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt // 4 + 1,
            "completion_tokens": len(reply.content) // 4 + 1,
            "total_tokens": prompt // 4 + len(reply.content) // 4 + 2,
        },
    }


# --- reading the prompt, as a scripted model would -----------------------------------------

_LINE = re.compile(r"^\s*(\d+) \| (.*)$")


def code_lines(request: dict[str, Any]) -> dict[int, str]:
    """The numbered code between the delimiters of the last user message."""
    text = user_text(request)
    match = re.search(r"<<<CODE (\w+)>>>\n(.*)\n<<<END \1>>>", text, re.DOTALL)
    if not match:
        return {}
    found = (_LINE.match(line) for line in match.group(2).splitlines())
    return {int(m.group(1)): m.group(2) for m in found if m}


def user_text(request: dict[str, Any]) -> str:
    users = [m for m in request.get("messages", ()) if m.get("role") == "user"]
    return str(users[0]["content"]) if users else ""


def static_ids(request: dict[str, Any]) -> list[str]:
    return re.findall(r"^- (S\d+): ", user_text(request), re.MULTILINE)


def answer(findings: list[dict[str, Any]] | None = None, opinions: list[dict[str, str]] | None = None) -> str:
    return json.dumps({"findings": findings or [], "static_opinions": opinions or []})


def finding(line: int, quote: str, cwe: str = "CWE-862", **extra: Any) -> dict[str, Any]:
    """One answer finding with every field the schema requires."""
    item: dict[str, Any] = {
        "cwe": cwe, "severity": "high", "confidence": "medium", "line": line, "end_line": line,
        "quote": quote, "flow": [], "attacker_control": "the request comes from any client",
        "message": "The handler acts without checking who is asking",
        "fix": "Check the caller's rights first",
    }  # fmt: skip
    item.update(extra)
    return item


def demo_answer(request: dict[str, Any]) -> Reply:
    """Agrees with every static finding; reports routes without an authentication check (one of
    them a line off, to show re-anchoring) and one invented quote (to show it dropped)."""
    lines = code_lines(request)
    opinions = [
        {"id": s, "verdict": "agree", "reason": "the value reaches the call unchanged"}
        for s in static_ids(request)
    ]
    found: list[dict[str, Any]] = []
    for number, text in sorted(lines.items()):
        if text.lstrip().startswith("@app.route(") and "POST" in text:
            found.append(finding(
                number + 1, text.strip(), "CWE-306",
                message="A state-changing POST route runs without any authentication check",
                fix="Require an authenticated caller (a login or token check) before acting",
            ))  # fmt: skip
        if " == signature" in text:
            found.append(finding(
                number, text.strip(), "CWE-208", severity="medium",
                message="The signature is compared with `==`, which returns at the first difference",
                fix="Compare with `hmac.compare_digest`",
                attacker_control="the signature comes with the request",
            ))  # fmt: skip
    if found:
        found.append(finding(1, "os.system(cmd)", "CWE-78", message="A command is run through a shell"))
    return Reply(answer(found, opinions))
