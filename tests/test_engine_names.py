"""Qualified names, scopes and constant folding, observed through a probe rule."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from typing import Any, ClassVar

from scrutiny.config import Settings
from scrutiny.engine.context import Context
from scrutiny.engine.names import UNKNOWN
from scrutiny.engine.source import Source, split_lines
from scrutiny.findings import Confidence, Severity
from scrutiny.pipeline import review_source
from scrutiny.rules.base import Hit, Rule


class Probe(Rule):
    """Checks for nothing; records what the context says about each call."""

    code = "SCR999"
    name = "probe"
    cwe = 20
    severity = Severity.LOW
    confidence = Confidence.LOW
    nodes = (ast.Call,)
    fix = "Nothing."
    seen: ClassVar[list[tuple[int, str | None, Any]]] = []

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        arg = ctx.const(node.args[0]) if node.args else UNKNOWN
        Probe.seen.append((node.lineno, ctx.call_name(node), arg))
        yield from ()


def probe(code: str) -> dict[int, tuple[str | None, Any]]:
    text = textwrap.dedent(code)
    source = Source("mod.py", text, ast.parse(text), split_lines(text))
    Probe.seen = []
    review_source(source, Settings(strict=True), rules=[Probe])
    return {line: (name, value) for line, name, value in Probe.seen}


def test_imports_aliases_and_from_imports() -> None:
    seen = probe("""
        import subprocess
        import subprocess as sp
        from os import system as run_it
        import xml.etree.ElementTree as ET
        import os.path
        subprocess.call(1)
        sp.Popen(1)
        run_it(1)
        ET.parse(1)
        os.path.join(1)
        alias = sp
        alias.run(1)
        fn = sp.check_output
        fn(1)
    """)
    assert seen[7][0] == "subprocess.call"
    assert seen[8][0] == "subprocess.Popen"
    assert seen[9][0] == "os.system"
    assert seen[10][0] == "xml.etree.ElementTree.parse"
    assert seen[11][0] == "os.path.join"
    assert seen[13][0] == "subprocess.run"
    assert seen[15][0] == "subprocess.check_output"


def test_builtins_and_shadowing() -> None:
    seen = probe("""
        eval(1)
        def f(eval):
            eval(2)
        def g():
            def open(x):
                return x
            open(3)
        class C:
            len = staticmethod(print)
            def m(self):
                len(4)
    """)
    assert seen[2][0] == "builtins.eval"
    assert seen[4][0] is None  # a parameter shadows the builtin
    assert seen[8][0] is None  # a local function shadows the builtin
    assert seen[12][0] == "builtins.len"  # class scope is not visible from methods


def test_functions_see_module_bindings_defined_later() -> None:
    seen = probe("""
        def f():
            later.run(1)
        import subprocess as later
    """)
    assert seen[3][0] == "subprocess.run"


def test_relative_and_star_imports() -> None:
    seen = probe("""
        from . import utils
        from .. import helpers as h
        from os import *
        utils.execute(1)
        h.go(1)
        system(1)
    """)
    assert seen[5][0] == ".utils.execute"
    assert seen[6][0] == "..helpers.go"
    assert seen[7][0] is None  # star imports are not resolved


def test_constant_folding() -> None:
    seen = probe("""
        PREFIX = "ls "
        CMD = PREFIX + "-l"
        N = 0o755 | 0o022
        def f(user):
            local = "x"
            local += "y"
            g(CMD)
            g(f"{PREFIX}{CMD}")
            g("%s-%d" % ("a", 3))
            g(N)
            g(local)
            g(user)
            g(PREFIX + user)
            g(["a", CMD])
            g(-5)
            g(f"{user}")
    """)
    assert seen[8][1] == "ls -l"
    assert seen[9][1] == "ls ls -l"
    assert seen[10][1] == "a-3"
    assert seen[11][1] == 0o777
    assert seen[12][1] == "xy"
    assert seen[13][1] is UNKNOWN
    assert seen[14][1] is UNKNOWN
    assert seen[15][1] == ["a", "ls -l"]
    assert seen[16][1] == -5
    assert seen[17][1] is UNKNOWN


def test_folding_is_bounded_on_hostile_input() -> None:
    seen = probe("""
        X = X
        Y = 2 << 100000
        g(X)
        g(Y)
        g("%0999999999d" % 1)
    """)
    assert seen[4][1] is UNKNOWN
    assert seen[5][1] is UNKNOWN
    assert seen[6][1] is UNKNOWN


def test_comprehension_and_walrus_scopes() -> None:
    seen = probe("""
        import os
        def f(items):
            [os.system(x) for x in items]
            if (cmd := "ls"):
                os.system(cmd)
            os.system(cmd)
    """)
    assert seen[4][0] == "os.system"
    assert seen[7][1] == "ls"


def test_global_declaration_binds_in_module() -> None:
    seen = probe("""
        def setup():
            global runner
            import subprocess as runner
        def use():
            runner.call(1)
    """)
    assert seen[6][0] == "subprocess.call"
