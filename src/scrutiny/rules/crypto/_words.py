"""What identifiers say about the values they hold: secret-looking names, benign ones.

Shared by the rules that judge intent from names (SCR301, SCR305, SCR306). An identifier is
split into lowercase words (`resetToken` -> reset, token; `X-API-Key` -> x, api, key) and the
words are looked up here. Kept small and explicit: a name only counts when its words are
unambiguous, so `key` alone (a dict key) or `code` alone (source code) never does.
"""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Final

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

# Words that name a secret on their own.
_SECRET: Final = frozenset(
    {
        "password", "passwd", "pwd", "pw", "passphrase", "secret", "nonce", "salt", "otp", "totp",
        "hotp", "csrf", "xsrf", "csrftoken", "apikey", "sessionid", "pin", "iv", "captcha",
        "credential", "credentials", "jti", "hmac",
    }
)  # fmt: skip
# Words that name a secret when qualified (`auth_token`) and maybe one when bare (`token`
# in a lexer, `sig` for a signal number, `signature` of a function).
_VAGUE: Final = frozenset({"token", "sig", "signature"})
# Secrets worth generating unpredictably but public once used: comparing them leaks nothing.
# (`pw` and `iv` also abbreviate a print width and an input validation.)
_PUBLIC: Final = frozenset({"iv", "nonce", "salt", "pw", "captcha", "jti"})
# Nouns that name a secret only with a qualifier: `api_key`, `reset_code`, `session_id`,
# `expected_mac` (a bare `mac`, `new_mac`, `port_mac` is a hardware address in network code).
_NOUNS: Final = frozenset({"key", "code", "id", "link", "url", "mac"})
_QUALIFIERS: Final = frozenset(
    {
        "api", "secret", "private", "encryption", "encrypt", "signing", "sign", "access", "aes",
        "auth", "session", "reset", "verification", "verify", "activation", "activate",
        "confirmation", "invite", "invitation", "recovery", "unlock", "login", "magic", "cipher",
        "crypto", "master", "password", "passwd", "pw", "pwd", "refresh", "bearer", "csrf",
        "xsrf", "jwt", "oauth", "otp", "security", "hmac", "expected", "computed", "calculated",
        "webhook",
    }
)  # fmt: skip
# Words that say the value is about a secret's bookkeeping, not the secret: `token_type`,
# `next_token` (pagination), `lock_token`, `sig_encoding`, a function's `signature`.
_NEUTRAL: Final = frozenset(
    {
        "pos", "position", "type", "kind", "count", "index", "idx", "len", "length", "size",
        "num", "channel", "config", "taken", "next", "page", "continuation", "lock", "version",
        "creation", "encoding", "model", "method", "function", "func", "param", "params",
        "first", "last", "list", "start", "end", "field", "name", "column", "format", "inspect",
        "total", "err", "error", "errno", "exc", "exception",
    }
)  # fmt: skip
# Words that name a digest without saying it guards anything (a checksum compare, an ETag).
_DIGEST: Final = frozenset({"digest", "hexdigest", "hash"})
# Words that say a value is not a secret: what a weak hash or a PRNG is fine for.
_BENIGN: Final = frozenset(
    {"cache", "checksum", "etag", "shard", "bucket", "partition", "dedup", "color", "colour"}
)


class Secrecy(IntEnum):
    NONE = 0
    DIGEST = 1  # a digest of something: a secret only in a MAC check
    VAGUE = 2  # a bare `token` or `sig`: a secret in web code, not in a lexer
    SECRET = 3


def words(identifier: str) -> list[str]:
    """`resetToken2` -> ["reset", "token", "2"]; plurals lose their `s` (`tokens` -> token)."""
    found = [w.lower() for w in _WORD.findall(identifier)]
    return [w[:-1] if w.endswith("s") and w[:-1] in _SECRET | _VAGUE | _NOUNS else w for w in found]


def secrecy(identifier: str, *, compared: bool = False) -> Secrecy:
    """How surely `identifier` names a secret. `compared` leaves out what is unpredictable
    but not secret (`session_id` must be random; `access_key_id`, a nonce, are public)."""
    ordered = words(identifier)
    parts = set(ordered)
    if compared:
        if ordered and ordered[-1] == "id":  # `access_key_id` names a key, is no key
            return Secrecy.NONE
        parts -= _PUBLIC
    if parts & (_NEUTRAL | _BENIGN):
        return Secrecy.NONE
    if parts & _SECRET or (parts & _NOUNS and parts & _QUALIFIERS):
        return Secrecy.SECRET
    if parts & _VAGUE:
        return Secrecy.SECRET if parts & _QUALIFIERS else Secrecy.VAGUE
    if parts & _DIGEST:
        return Secrecy.DIGEST
    return Secrecy.NONE


def is_secret(identifier: str) -> bool:
    """Names a value that must be unpredictable: a bare `token` counts."""
    return secrecy(identifier) >= Secrecy.VAGUE


def is_benign(identifier: str) -> bool:
    return any(w in _BENIGN for w in words(identifier))
