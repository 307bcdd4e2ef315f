"""Rule SCR804: bidirectional control characters in source text (Trojan Source)."""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

# Embeddings, overrides and isolates reorder everything up to their terminator: the attack.
_CONTROLS: Final = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Marks change the direction of neighbouring neutral characters only, and are common in
# right-to-left text; Bandit lists U+200F alone.
_MARKS: Final = "\u200e\u200f\u061c"
_ANY: Final = re.compile(f"[{_CONTROLS}{_MARKS}]")


class TrojanSource(Rule):
    """Checks for Unicode bidirectional control characters in source code (Trojan Source).

    ## Why is this bad?
    Characters such as RIGHT-TO-LEFT OVERRIDE (U+202E) and the isolates (U+2066-U+2069)
    change the order in which an editor or a code review tool displays the text that follows
    them. Placed in a comment or a string, they make code read differently from how Python
    runs it: a reviewer sees a comment where there is a condition, or the end of a string where
    it goes on (CVE-2021-42574).

    ## Example
    ```python
    access_level = "user"
    if access_level != "none\u202e\u2066":  # Check if admin \u2069\u2066" and access_level != "user
        print("You are an admin.")
    ```

    ## Use instead
    ```python
    access_level = "user"
    if access_level != "none":  # Check if admin
        print("You are an admin.")
    ```

    ## Known problems
    Each line is reported once, at its first such character. The direction marks U+200E,
    U+200F and U+061C are reported at low confidence: they are common in right-to-left text
    and cannot reorder code on their own. Escape sequences (`"\\u202e"`) are not reported.

    ## References
    - [CWE-74: Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection')](https://cwe.mitre.org/data/definitions/74.html)
    - [CWE-838: Inappropriate Encoding for Output Context](https://cwe.mitre.org/data/definitions/838.html)
    - [Trojan Source: Invisible Vulnerabilities](https://trojansource.codes/)
    """

    code = "SCR804"
    name = "trojan-source"
    cwe = 74
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Module,)
    text_only = True  # bidi characters are found in the text; no tree is needed
    in_tests = True  # hidden reordering is as dangerous in a test file as anywhere
    fix = "Remove the control characters, or write them as escape sequences such as `\\u202e`."
    bandit = ("B613",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        # A file of ASCII only cannot hold a bidi character, and `isascii` reads a flag CPython
        # keeps on every string: most files are rejected without a scan.
        text = ctx.source.text
        if text.isascii() or not _ANY.search(text):
            return
        for number, line in enumerate(ctx.source.lines, start=1):
            match = _ANY.search(line)
            if match is None:
                continue
            controls = [c for c in line if c in _CONTROLS]
            char = controls[0] if controls else match.group()
            index = line.index(char)
            column = len(line[:index].encode("utf-8"))  # ast columns count UTF-8 bytes
            where = ast.Constant(value=char)
            where.lineno, where.end_lineno = number, number
            where.col_offset, where.end_col_offset = column, column + len(char.encode("utf-8"))
            name = unicodedata.name(char)
            message = f"The line contains the bidirectional control character U+{ord(char):04X} {name}"
            yield self.hit(where, message, confidence=None if controls else Confidence.LOW)
