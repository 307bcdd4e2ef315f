"""Rule SCR401: pickle and kin loading data that can run code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.deserialization._util import is_unknown, keyword_value

_MESSAGES = {
    "pickle": "`{api}` can run arbitrary code while it loads its input",
    "jsonpickle": "`{api}` can build arbitrary objects and run code while it decodes its input",
    "marshal": "`{api}` is not safe against maliciously constructed input",
    "shelve": "`{api}` unpickles every value it reads from the shelf file",
}


class UnsafeDeserialization(Rule):
    """Checks for `pickle` and its kin (dill, marshal, shelve, jsonpickle...) loading data.

    ## Why is this bad?
    Unpickling runs code: a pickle names any importable callable and the arguments to call it
    with, so whoever wrote the bytes runs their own code in the process that loads them.
    `dill`, `cloudpickle`, `joblib`, `pandas.read_pickle`, `numpy.load(allow_pickle=True)`,
    `shelve` and `jsonpickle` all sit on the same mechanism. `marshal` does not call code, but
    the standard library documents it as unsafe against malicious input.

    ## Example
    ```python
    import pickle

    def restore(blob):
        return pickle.loads(blob)
    ```

    ## Use instead
    ```python
    import json

    def restore(blob):
        return json.loads(blob)
    ```

    ## Known problems
    The rule cannot yet see where the bytes come from, so data the program wrote itself and
    reads back (a local cache) is reported too; a pickle that is a literal in the code is not.
    `shelve` and `marshal` are reported with low confidence: a shelf is usually the
    application's own store, and `marshal` input is rarely exchanged. Functions passed by
    reference (`deserializer=pickle.loads`) are not reported, only calls.

    ## References
    - [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
    - [Python docs: `pickle`](https://docs.python.org/3/library/pickle.html)
    - [Python docs: restricting globals](https://docs.python.org/3/library/pickle.html#restricting-globals)
    """

    code = "SCR401"
    name = "unsafe-deserialization"
    cwe = 502
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:deserialization",)),)
    fix = "Exchange data as JSON or another data-only format, or authenticate it (HMAC) before unpickling."
    bandit = ("B301", "B302")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        sink = ctx.sink(node, "deserialization")
        family = None if sink is None else sink.get("family")
        if sink is None or family not in _MESSAGES:
            return  # torch.load has its own rule (SCR406)
        confidence = Confidence.LOW if sink.get("confidence") == "low" else None
        gate = sink.get("unsafe_kwarg")
        if gate is not None:  # numpy.load unpickles only when asked to
            value = keyword_value(ctx, node, gate)
            if value is not True and not is_unknown(value):
                return
            confidence = Confidence.LOW if is_unknown(value) else confidence
        data = argument(node, sink.args[0] if sink.args else None, sink.kwargs[0] if sink.kwargs else None)
        if sink.get("takes") == "bytes" and data is not None and ctx.is_literal(data):
            return  # bytes written in the code are as trusted as the code
        api = sink.name + (f"({gate}=True)" if gate else "")
        yield self.hit(node, _MESSAGES[family].format(api=api), confidence=confidence)
