"""The secrets vocabulary of `models/secrets.toml`, compiled once: what names a credential,
what a placeholder looks like, and the well-known credential formats."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scrutiny.engine.model import Entry, Models
from scrutiny.findings import Confidence

KIND = "credential"
# The two categories of credential names: which rule reports them (SCR701, SCR703).
PASSWORD, SECRET = CATEGORIES = ("password", "secret")
_VOCABULARY = "secrets-vocabulary."
_FORMAT = "secrets-format."
# `dbPassword`, `DB_PASSWORD`, `APIKey` -> words; digits never name anything here.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
# A lower-case snake_case identifier: a key or field name when it holds a credential word,
# alone or under a namespace (`OS-OAUTH1:access_token`, `oauth.refresh_token`).
_KEY_NAME = re.compile(r"(?:[\w-]+[:.])*(?P<key>[a-z]+(?:_[a-z]+)+)")


def words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def _norm(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


@dataclass(frozen=True, slots=True)
class Names:
    words: frozenset[str]
    suffixes: tuple[str, ...]
    phrases: tuple[str, ...]

    def match(self, ws: list[str], joined: str) -> bool:
        if any(w in self.words or w.endswith(self.suffixes) for w in ws):
            return True
        return any(f" {p} " in joined for p in self.phrases)


@dataclass(frozen=True, slots=True)
class Format:
    label: str
    pattern: re.Pattern[str]
    confidence: Confidence
    group: str | None


def _list(entry: Entry | None, key: str) -> list[Any]:
    value = entry.get(key, []) if entry is not None else []
    return list(value)


def _patterns(entry: Entry | None, key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _list(entry, key))


class Vocabulary:
    def __init__(self, models: Models) -> None:
        rows = {e.name: e for e in models.all("api", KIND)}

        def row(name: str) -> Entry | None:
            return rows.get(_VOCABULARY + name)

        def names(name: str) -> Names:
            entry = row(name)
            return Names(
                frozenset(_list(entry, "words")),
                tuple(_list(entry, "suffixes")),
                tuple(_list(entry, "phrases")),
            )

        self.password, self.secret = names("password-names"), names("secret-names")
        benign = row("not-credential-names")
        self.not_last = frozenset(_list(benign, "last"))
        self.not_first = frozenset(_list(benign, "first"))
        self.not_phrases = tuple(_list(benign, "phrases"))
        self.ambiguous = frozenset(_list(benign, "ambiguous"))
        self.enum_suffixes = tuple(_list(row("enum-bases"), "suffixes"))
        self.auth_pairs = frozenset(_list(row("auth-pair-keywords"), "words"))
        self.examples = tuple(_list(row("format-examples"), "words"))
        values = row("placeholder-values")
        self.min_length = int(values.get("min_length", 1)) if values is not None else 1
        self.whole, self.parts = _patterns(values, "whole"), _patterns(values, "parts")
        self.prose = _patterns(values, "prose")
        self.weak = frozenset(_list(values, "weak"))
        self.formats = tuple(
            Format(
                str(e.get("label", e.name)),
                re.compile(str(e.get("pattern"))),
                Confidence(str(e.get("confidence", "high"))),
                e.get("group"),
            )
            for e in rows.values()
            if e.name.startswith(_FORMAT)
        )

    def category(self, name: str) -> str | None:
        """`password`, `secret`, or None when the name does not mean a credential.

        A dotted key (`access.token.claim`, `auth.password`) is a setting inside a namespace:
        its last part names what it holds, the parts before only say whose it is."""
        ws = words(name.rsplit(".", 1)[-1])
        if not ws or ws[-1] in self.not_last or ws[0] in self.not_first:
            return None
        joined = f" {' '.join(ws)} "
        if any(f" {p} " in joined for p in self.not_phrases):
            return None
        if self.password.match(ws, joined):
            return PASSWORD
        return SECRET if self.secret.match(ws, joined) else None

    def placeholder(self, text: str) -> bool:
        if len(text) < self.min_length:
            return True
        return any(p.fullmatch(text) for p in self.whole) or any(p.search(text) for p in self.parts)

    def judge(self, value: str, name: str, namelike: bool) -> Confidence | None:
        """How likely `value`, found where credential `name` goes, is a real credential.

        None: not a credential (a placeholder, a label, a format SCR702 reports). `namelike`:
        the place also holds key names (constants, dict keys), so a value naming a field is one.
        """
        text = value.strip()
        if self.placeholder(text) or any(p.search(text) for p in self.prose):
            return None
        if "\n" in value.rstrip():  # text on several lines is code or prose (keys: SCR702);
            return None  # a single trailing one is a password typed at a prompt (`"s3cret\n"`)
        if any(marker in text for marker in self.examples):  # `...EXAMPLEKEY`, `dummy-token`
            return None
        if self.find_format(text) is not None:
            return None
        ws = words(name)
        sole = len(ws) == 1 and ws[0] in self.ambiguous  # `token == "with"` in a lexer
        if sole and text.replace("_", "").isalpha():
            return None
        key = _KEY_NAME.fullmatch(text)
        if key is not None and words(text) == ws[:-1]:
            return None  # `password_expires_at_key = "password_expires_at"`: a key and its name
        if _norm(text) == _norm(name) or (key is not None and self.category(key.group("key"))):
            return None if namelike else Confidence.LOW
        # `DB_PASSWORD = "password"`: a weak default, or a key name; `ADMIN_PASSWORD = "admin"`,
        # `SYSTEM_SCOPE_TOKEN = "system"`: a weak default, or a marker named by the value; doubt.
        if sole or text.lower() in self.weak or text.lower() in ws:
            return Confidence.LOW
        return Confidence.MEDIUM

    def find_format(self, value: str) -> tuple[Format, Confidence] | None:
        for fmt in self.formats:
            for match in fmt.pattern.finditer(value):
                if any(marker in match.group(0) for marker in self.examples):
                    continue
                confidence: Confidence | None = fmt.confidence
                if fmt.group is not None:
                    user = match.groupdict().get("user") or ""
                    confidence = self._free_form(match.group(fmt.group), user, fmt.confidence)
                if confidence is not None:
                    return fmt, confidence
        return None

    def _free_form(self, secret: str, user: str, ceiling: Confidence) -> Confidence | None:
        # `user:password@`, `:${PASS}@`, `:<pw>@` are documentation, not credentials.
        if self.placeholder(secret) or _norm(secret) in self.password.words | self.secret.words:
            return None
        if secret == user or secret.lower() in self.weak:  # scrutiny: ignore[SCR306] -- reviewed text
            return Confidence.LOW
        return ceiling

    def is_enum_base(self, names: Iterable[str]) -> bool:
        return any(n.endswith(self.enum_suffixes) for n in names)


_CACHE: dict[int, tuple[Models, Vocabulary]] = {}


def vocabulary(models: Models) -> Vocabulary:
    """The compiled vocabulary of `models` (kept with it, so the id is never reused)."""
    cached = _CACHE.get(id(models))
    if cached is None or cached[0] is not models:
        cached = (models, Vocabulary(models))
        _CACHE[id(models)] = cached
    return cached[1]
