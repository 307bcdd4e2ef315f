"""Rule SCR106: a shell wildcard expanded into the arguments of chown, chmod, tar or rsync."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._shell import command_argument, command_sink, through_shell
from scrutiny.rules.injection._text import template

# Programs with options that run code or follow links when a file name looks like an option
# (`tar --checkpoint-action=exec=...`, `chown --reference=...`, `rsync -e ...`).
_VULNERABLE: Final = frozenset({"chown", "chmod", "tar", "rsync"})
_SEPARATOR: Final = re.compile(r"&&|\|\||[;&|\n]")


class WildcardInjection(Rule):
    """Checks for `*` in shell commands that run `chown`, `chmod`, `tar` or `rsync`.

    ## Why is this bad?
    The shell expands `*` to the names of the files in the directory, and the program cannot
    tell a file name from an option. Anyone who can create a file there named
    `--checkpoint-action=exec=sh x.sh` (for `tar`) or `--reference=owned` (for `chown`)
    makes the command run code or change the wrong files.

    ## Example
    ```python
    import os

    os.system("cd /srv/uploads && tar czf /backups/uploads.tgz *")
    ```

    ## Use instead
    ```python
    import subprocess

    subprocess.run(["tar", "czf", "/backups/uploads.tgz", "-C", "/srv/uploads", "."], check=True)
    ```

    ## Known problems
    Only commands run through a shell are checked. A `*` after `--` (the end of options) or
    behind a directory (`./*`) cannot be read as an option and is not reported.

    ## References
    - [CWE-155: Improper Neutralization of Wildcards or Matching Symbols](https://cwe.mitre.org/data/definitions/155.html)
    - [Exploiting wildcards on Linux (DefenseCode)](https://www.exploit-db.com/papers/33930)
    """

    code = "SCR106"
    name = "wildcard-injection"
    cwe = 155
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:command-injection",)),)
    fix = "Pass the program an explicit list of paths, or a directory, without a shell."
    bandit = ("B609",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = command_sink(node, ctx)
        if entry is None or not through_shell(node, entry, ctx):
            return
        command = command_argument(node, entry)
        if isinstance(command, ast.List | ast.Tuple):
            text = " ".join(template(e, ctx) for e in command.elts)
        else:
            text = template(command, ctx)
        program = _globbing_program(text)
        if program is not None:
            yield self.hit(node, f"`{entry.name}` runs `{program}` on a `*` the shell expands")


def _globbing_program(command: str) -> str | None:
    """The vulnerable program of a shell command whose later arguments hold an unquoted `*`."""
    for segment in _SEPARATOR.split(command):
        words = segment.split()
        for index, word in enumerate(words):
            program: str = word.rpartition("/")[2]
            if program in _VULNERABLE and any(_option_glob(w) for w in _arguments(words[index + 1 :])):
                return program
    return None


def _arguments(words: list[str]) -> list[str]:
    """The words that the program may read as options: those before `--`."""
    return words[: words.index("--")] if "--" in words else words


def _option_glob(word: str) -> bool:
    # Quoted, it is not expanded; behind a directory (`./*`, `/srv/*`) no name can start with `-`.
    return "*" in word and word[0] not in "'\"/" and not word.startswith("./")
