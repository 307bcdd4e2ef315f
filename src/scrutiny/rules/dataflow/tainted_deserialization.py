"""Rule SCR907: attacker-controlled bytes reaching pickle and other object deserializers."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class TaintedDeserialization(DataflowRule):
    """Checks for attacker-controlled data that is deserialized with `pickle` or a loader like it.

    ## Why is this bad?
    `pickle`, `marshal`, `dill`, `jsonpickle`, `shelve` and unsafe YAML loaders build whatever
    objects the data describes, and building an object can call any function: unpickling request
    data is remote code execution, no matter what the code does with the result.

    ## Example
    ```python
    import pickle
    from flask import request

    def restore():
        state = pickle.loads(request.get_data())
        return str(state)
    ```

    ## Use instead
    ```python
    import json
    from flask import request

    def restore():
        state = json.loads(request.get_data())
        return str(state)
    ```

    ## Known problems
    `yaml.load` is reported by SCR402 only: whether it is safe depends on the loader, which this
    rule does not read. Signing the data (`hmac`) makes it safe, but the check is not recognised.

    ## References
    - [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
    - [Python docs: pickle security warning](https://docs.python.org/3/library/pickle.html)
    """

    code = "SCR907"
    name = "tainted-deserialization"
    cwe = 502
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    sink_kind = "deserialization"
    fix = "Use a data-only format such as JSON, or sign the bytes and check the signature before loading."
    twins = ("SCR401", "SCR402", "SCR406")
