"""The taint engine's parts: summaries, the fixed point, recursion, fields, evidence."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema

from scrutiny import Settings, review_paths
from scrutiny.engine.source import Source, load
from scrutiny.engine.taint.ir import FileSummary
from scrutiny.engine.taint.solve import Solver
from scrutiny.pipeline import analyze, project_packages
from scrutiny.reporters import REPORTERS, RenderOptions

SETTINGS = Settings(select=("SCR9",), jobs=1, strict=True)
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def summaries(tmp_path: Path, files: dict[str, str]) -> list[FileSummary]:
    paths: list[str] = []
    for name, code in files.items():
        file = tmp_path / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(code))
        paths.append(str(file))
    project = project_packages(paths)
    out = []
    for path in paths:
        source = load(path)
        assert isinstance(source, Source)
        summary = analyze(source, SETTINGS, None, project).taint
        assert summary is not None
        out.append(summary)
    return out


def test_parameter_to_return_summary(tmp_path: Path) -> None:
    (summary,) = summaries(
        tmp_path,
        {
            "m.py": """
        def wrap(a, b):
            text = "<" + a + ">"
            return text

        def constant(a):
            return "fixed"
    """
        },
    )
    functions = {f.qualname: f for f in summary.functions}
    wrap = functions["m.wrap"].returns
    assert {origin for origin, _ in wrap} == {("param", "m.wrap", 0)}
    steps = [step[3] for trace in wrap.values() for step in trace]
    assert steps == ["concatenated or formatted into a value", "assigned to `text`", "returned by `wrap()`"]
    assert functions["m.constant"].returns == {}


def test_fixed_point_over_a_call_chain_and_recursion(tmp_path: Path) -> None:
    files = summaries(
        tmp_path,
        {
            "m.py": """
        import os
        from flask import request

        def d(v, n):
            if n:
                d(v, n - 1)
            os.system(v)

        def c(v):
            d(v, 3)

        def b(v):
            c(v)

        def a():
            b(request.args["x"])
    """
        },
    )
    solver = Solver(files)
    rounds = solver.propagate()
    # The calls are written callee-first, but the solver orders them callers-first, so the
    # taint goes down the whole chain in one round and the second finds nothing new; the
    # recursive call d -> d adds nothing and does not keep the loop going.
    assert rounds == 2
    flows = solver.flows()
    assert [(f.sink.line, f.source_kind) for f in flows] == [(8, "remote")]
    descriptions = [step[3] for step in flows[0].trace]
    assert descriptions[0] == '`request.args["x"]` is remote input'
    assert "passed as `v` to `b()`" in descriptions
    assert "passed as `v` to `d()`" in descriptions


def test_mutual_recursion_terminates(tmp_path: Path) -> None:
    files = summaries(
        tmp_path,
        {
            "m.py": """
        import os
        from flask import request

        def ping(x):
            return pong(x)

        def pong(x):
            if len(x) > 3:
                return x
            return ping(x + "!")

        def handler():
            os.system(ping(request.args["q"]))
    """
        },
    )
    flows = Solver(files).flows()
    assert [f.sink.line for f in flows] == [14]


def test_fields_are_per_attribute(tmp_path: Path) -> None:
    files = summaries(
        tmp_path,
        {
            "m.py": """
        import os
        from flask import request

        class Job:
            def load(self):
                self.cmd = request.args["cmd"]
                self.name = "job"

            def run(self):
                os.system(self.name)
                os.system(self.cmd)
    """
        },
    )
    (fields,) = [f.fields for f in files]
    assert set(fields) == {"m.Job.cmd"}
    assert [f.sink.line for f in Solver(files).flows()] == [12]


def test_inherited_method_is_resolved(tmp_path: Path) -> None:
    files = summaries(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
            import os

            class Runner:
                def execute(self, cmd):
                    os.system(cmd)
        """,
            "pkg/web.py": """
            from flask import request
            from pkg.base import Runner

            class Api(Runner):
                def handle(self):
                    self.execute(request.form["c"])
        """,
        },
    )
    flows = Solver(files).flows()
    assert [(Path(f.sink.path).name, f.sink.line) for f in flows] == [("base.py", 6)]


def test_sarif_code_flows_point_at_real_lines(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        textwrap.dedent("""
        import subprocess
        from flask import request

        def run():
            name = request.args["name"]
            command = f"echo {name}"
            subprocess.run(command, shell=True)
    """)
    )
    review = review_paths([str(tmp_path)], SETTINGS)
    data = json.loads(REPORTERS["sarif"](review, RenderOptions(root=str(tmp_path))))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(data)
    (result,) = data["runs"][0]["results"]
    locations = result["codeFlows"][0]["threadFlows"][0]["locations"]
    lines = (tmp_path / "app.py").read_text().splitlines()
    seen = []
    for item in locations:
        region = item["location"]["physicalLocation"]["region"]
        text = lines[region["startLine"] - 1]
        seen.append((region["startLine"], item["location"]["message"]["text"]))
        assert text.strip(), "every step points at a real, non-empty line"
    assert seen[0] == (6, '`request.args["name"]` is remote input')
    assert seen[-1][0] == 8
    assert "name" in lines[5] and "subprocess.run" in lines[7]


def test_user_model_adds_a_source_as_docs_taint_md_shows(tmp_path: Path) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "taint.md").read_text(encoding="utf-8")
    model = doc.split("```toml\n# security/models/busline.toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "busline.toml").write_text(model)
    (tmp_path / "handlers.py").write_text(
        textwrap.dedent("""
        import subprocess
        import busline

        @busline.subscribe("jobs")
        def on_job(msg):
            subprocess.run(msg.payload["cmd"], shell=True)

        def typed(msg: busline.Message):
            subprocess.run(msg.payload["cmd"], shell=True)

        def untouched(msg):
            subprocess.run(msg.payload["cmd"], shell=True)
    """)
    )
    settings = Settings(select=("SCR9",), jobs=1, strict=True, models=(str(tmp_path / "busline.toml"),))
    review = review_paths([str(tmp_path / "handlers.py")], settings)
    assert [(f.code, f.line) for f in review.findings] == [("SCR901", 7), ("SCR901", 10)]
