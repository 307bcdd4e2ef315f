"""Read, decode and parse one file; every way that can fail becomes a FileError.

scrutiny never imports or executes reviewed code: this module only reads bytes and calls
`ast.parse`.
"""

from __future__ import annotations

import ast
import codecs
import io
import os
import re
import tokenize
from dataclasses import dataclass

from scrutiny.findings import FileError

DEFAULT_MAX_BYTES = 4 * 1024 * 1024


@dataclass(slots=True)
class Source:
    path: str
    text: str
    tree: ast.Module
    lines: list[str]
    _lowered: str | None = None

    def lowered(self) -> str:
        """The text in lower case, made once: needles and suppression comments both scan it."""
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered

    def line(self, number: int) -> str:
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""


def read_bytes(path: str, max_bytes: int) -> bytes | FileError:
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        return FileError(path, "unreadable", _os_message(exc))
    if size > max_bytes:
        return FileError(
            path, "too-large", f"file is {size:,} bytes, over the limit of {max_bytes:,} (max_file_bytes)"
        )
    try:
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        return FileError(path, "unreadable", _os_message(exc))


def _os_message(exc: OSError) -> str:
    if exc.errno is not None and exc.strerror:
        if exc.errno == 40:  # ELOOP
            return "symbolic link loop: the path never resolves to a file"
        return f"cannot read file: {exc.strerror}"
    return f"cannot read file: {exc}"


def decode(path: str, data: bytes) -> str | FileError:
    """Decode as Python does: BOM, then a PEP 263 coding cookie, else UTF-8."""
    if b"\x00" in data[:8192]:
        return FileError(path, "binary", "file contains NUL bytes; it looks binary, not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as utf8:
            return FileError(path, "decode", f"cannot decode as utf-8 and no coding declaration: {utf8}")
        return FileError(path, "decode", f"cannot determine the encoding: {exc.msg}")
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        return FileError(path, "decode", f"cannot decode as {encoding}: {exc}")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def parse(path: str, text: str) -> ast.Module | FileError:
    try:
        return ast.parse(text, filename=path, type_comments=False)
    except SyntaxError as exc:
        return FileError(path, "syntax", _syntax_message(exc), line=exc.lineno)
    except (RecursionError, MemoryError):
        return FileError(path, "too-deep", "code nests too deeply for the Python parser")
    except ValueError as exc:  # e.g. source with NUL bytes after decoding
        return FileError(path, "syntax", f"does not parse: {exc}")


_PY2_HINTS = ("Missing parentheses in call to", "print statement", "exec statement")


def _syntax_message(exc: SyntaxError) -> str:
    msg = exc.msg or "invalid syntax"
    where = f" at line {exc.lineno}" if exc.lineno else ""
    text = f"does not parse as Python 3{where}: {msg}"
    source = (exc.text or "").strip()
    looks_py2 = any(hint in msg for hint in _PY2_HINTS) or source.startswith(("print ", "exec "))
    if looks_py2 or ("except " in source and ", " in source and source.endswith(":")):
        text += " (this looks like Python 2, which scrutiny does not review)"
    return text


def load(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None, parse_tree: bool = True
) -> Source | FileError:
    """Read, decode and parse `path`; with `parse_tree=False` the tree is an empty module (for
    files whose rules read only the text: parsing is most of a review's cost)."""
    raw = read_bytes(path, max_bytes) if data is None else data
    if isinstance(raw, FileError):
        return raw
    if len(raw) > max_bytes:
        return FileError(path, "too-large", f"file is over the limit of {max_bytes:,} bytes (max_file_bytes)")
    text = decode(path, raw)
    if isinstance(text, FileError):
        return text
    tree = parse(path, text) if parse_tree else ast.Module(body=[], type_ignores=[])
    if isinstance(tree, FileError):
        return tree
    return Source(path=path, text=text, tree=tree, lines=split_lines(text))


_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split as the tokenizer counts lines; `str.splitlines` also splits on \\f and \\x1c."""
    lines = text.split("\n") if "\r" not in text else _NEWLINE.split(text)  # 10x faster, same lines
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def char_column(line: str, byte_column: int) -> int:
    """`ast` columns count UTF-8 bytes; reports and SARIF count characters."""
    if byte_column <= 0 or line.isascii():
        return byte_column
    return len(line.encode("utf-8")[:byte_column].decode("utf-8", "replace"))
