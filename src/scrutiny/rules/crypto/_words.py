"""What identifiers say about the values they hold: secret-looking names, benign ones.

Shared by the rules that judge intent from names (SCR301, SCR305, SCR306). An identifier is
split into lowercase words (`resetToken` -> reset, token; `X-API-Key` -> x, api, key) and the
words are looked up in the word lists of `models/crypto.toml`. Kept small and explicit: a name
only counts when its words are unambiguous, so `key` alone (a dict key) or `code` alone (source
code) never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from functools import cache, lru_cache

from scrutiny.engine.model import load_models

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    secret: frozenset[str]
    vague: frozenset[str]
    public: frozenset[str]
    nouns: frozenset[str]
    qualifiers: frozenset[str]
    neutral: frozenset[str]
    digest: frozenset[str]
    benign: frozenset[str]


@cache
def _vocabulary() -> _Vocabulary:
    """The word lists, from `models/crypto.toml` (knowledge is data)."""
    row = load_models().lookup("api", "crypto-vocabulary.names", "vocabulary")
    if row is None:  # pragma: no cover - the bundled model always has it
        raise LookupError("models/crypto.toml: the `crypto-vocabulary.names` row is missing")
    return _Vocabulary(**{f: frozenset(row.get(f, ())) for f in _Vocabulary.__slots__})


class Secrecy(IntEnum):
    NONE = 0
    DIGEST = 1  # a digest of something: a secret only in a MAC check
    VAGUE = 2  # a bare `token` or `sig`: a secret in web code, not in a lexer
    SECRET = 3


def words(identifier: str) -> list[str]:
    """`resetToken2` -> ["reset", "token", "2"]; plurals lose their `s` (`tokens` -> token)."""
    v = _vocabulary()
    found = [w.lower() for w in _WORD.findall(identifier)]
    return [w[:-1] if w.endswith("s") and w[:-1] in v.secret | v.vague | v.nouns else w for w in found]


@lru_cache(maxsize=8192)  # a pure function of a name; a project repeats its names a lot
def secrecy(identifier: str, *, compared: bool = False) -> Secrecy:
    """How surely `identifier` names a secret. `compared` leaves out what is unpredictable
    but not secret (`session_id` must be random; `access_key_id`, a nonce, are public)."""
    v = _vocabulary()
    ordered = words(identifier)
    parts = set(ordered)
    if compared:
        if ordered and ordered[-1] == "id":  # `access_key_id` names a key, is no key
            return Secrecy.NONE
        parts -= v.public
    if parts & (v.neutral | v.benign):
        return Secrecy.NONE
    if parts & v.secret or (parts & v.nouns and parts & v.qualifiers):
        return Secrecy.SECRET
    if parts & v.vague:
        return Secrecy.SECRET if parts & v.qualifiers else Secrecy.VAGUE
    if parts & v.digest:
        return Secrecy.DIGEST
    return Secrecy.NONE


def is_secret(identifier: str) -> bool:
    """Names a value that must be unpredictable: a bare `token` counts."""
    return secrecy(identifier) >= Secrecy.VAGUE


def is_benign(identifier: str) -> bool:
    return any(w in _vocabulary().benign for w in words(identifier))
