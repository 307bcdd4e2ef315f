"""Read a rootwrap filter file as oslo.rootwrap does, keeping where each argument stands.

oslo.rootwrap reads `[Filters]` with `configparser.RawConfigParser(strict=False)` and splits
each value on commas: `name: FilterClass, arg1, arg2, ...`. `configparser` says nothing about
lines, so the file is validated with it (its verdict on bad syntax is rootwrap's) and scanned
again here for the line and column of every argument.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass

SECTION = "Filters"
_SECTION_LINE = re.compile(r"^\s*\[Filters\]\s*$", re.MULTILINE)
_HEADER = re.compile(r"\[(?P<name>[^\]]+)\]")
_KEY = re.compile(r"(?P<key>[^=:\s][^=:]*?)\s*[=:]")
# rootwrap does not strip inline comments; scrutiny reads `entry  # comment` as the entry, so
# suppressions and fixture annotations can stand on the entry's own line (see `Arg`).
_INLINE_COMMENT = re.compile(r"\s+[#;].*$")


class IniError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Arg:
    text: str
    line: int  # 1-based
    column: int  # 0-based
    end_column: int


@dataclass(frozen=True, slots=True)
class Entry:
    """One filter: `name: kind, args...`; `args` are what rootwrap passes to the class."""

    name: str
    kind: Arg
    args: tuple[Arg, ...]
    line: int
    end_line: int
    comments_from: int  # first line of the comment block directly above, for suppressions

    def arg(self, index: int) -> str:
        return self.args[index].text if index < len(self.args) else ""


def looks_like_filters(text: str) -> bool:
    return _SECTION_LINE.search(text) is not None


def parse(text: str) -> list[Entry]:
    """The `[Filters]` entries rootwrap would load (the last of duplicate names), in file order."""
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(text)
    except configparser.ParsingError as exc:  # lines that are neither section, entry nor comment
        line, text = exc.errors[0] if exc.errors else (None, "")
        raise IniError(f"line {line} is not `name: FilterClass, args...`: {text.strip()}", line) from None
    except configparser.Error as exc:
        raise IniError(_first_line(str(exc)), getattr(exc, "lineno", None)) from None
    if not parser.has_section(SECTION):
        raise IniError("no [Filters] section: not an oslo.rootwrap filter file")
    entries: dict[str, Entry] = {}
    for entry in _scan(text.splitlines()):
        entries.pop(entry.name, None)
        entries[entry.name] = entry
    return sorted(entries.values(), key=lambda e: e.line)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid INI"


def _scan(lines: list[str]) -> list[Entry]:
    found: list[Entry] = []
    section: str | None = None
    current: tuple[str, int, int, list[tuple[int, int, str]]] | None = None  # key, line, indent
    comments_from: int | None = None
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if not stripped:
            comments_from = None
            continue
        if stripped.startswith(("#", ";")):
            comments_from = number if comments_from is None else comments_from
            continue
        if current is not None and indent > current[2]:
            current[3].append((number, indent, raw[indent:]))
            comments_from = None
            continue
        if current is not None:
            found.append(_entry(*current))
            current = None
        header = _HEADER.fullmatch(stripped)
        if header is not None:
            section, comments_from = header.group("name"), None
            continue
        key = _KEY.match(raw, indent)
        if section == SECTION and key is not None:
            start = key.end()
            above = comments_from if comments_from is not None else number
            current = (key.group("key").strip().lower(), above, indent, [(number, start, raw[start:])])
        comments_from = None
    if current is not None:
        found.append(_entry(*current))
    return found


def _entry(name: str, above: int, _indent: int, segments: list[tuple[int, int, str]]) -> Entry:
    """Split the value on commas as rootwrap does, keeping each piece's position."""
    chars: list[tuple[str, int, int]] = []
    for line, column, raw in segments:
        text = _INLINE_COMMENT.sub("", raw)
        chars.extend((c, line, column + i) for i, c in enumerate(text))
        chars.append(("\n", line, column + len(text)))
    pieces: list[list[tuple[str, int, int]]] = [[]]
    for item in chars:
        if item[0] == ",":
            pieces.append([])
        else:
            pieces[-1].append(item)
    args = [_arg(piece) for piece in pieces]
    kind, rest = args[0], tuple(args[1:])
    first, last = segments[0][0], segments[-1][0]
    return Entry(name, kind, rest, first, last, min(above, first))


def _arg(piece: list[tuple[str, int, int]]) -> Arg:
    kept = [c for c in piece if not c[0].isspace()]
    if not kept:
        line, column = (piece[0][1], piece[0][2]) if piece else (0, 0)
        return Arg("", line, column, column)
    start = piece.index(kept[0])
    end = len(piece) - 1 - piece[::-1].index(kept[-1])
    text = "".join(c for c, _, _ in piece[start : end + 1])
    return Arg(text, kept[0][1], kept[0][2], kept[-1][2] + 1)
