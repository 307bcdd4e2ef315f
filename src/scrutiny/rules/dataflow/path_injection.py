"""Rule SCR905: attacker-controlled data reaching a file path."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class PathInjection(DataflowRule):
    """Checks for attacker-controlled data used as a file path.

    ## Why is this bad?
    A file name from a request can hold `../` or be absolute: `../../etc/passwd` reads, and on
    writes replaces, files outside the directory the code meant. `os.path.join` does not help: an
    absolute second argument discards the first.

    ## Example
    ```python
    import os
    from flask import request

    def download():
        name = request.args["name"]
        with open(os.path.join("/srv/files", name), "rb") as handle:
            return handle.read()
    ```

    ## Use instead
    ```python
    import os
    from flask import request
    from werkzeug.utils import secure_filename

    def download():
        name = secure_filename(request.args["name"])
        with open(os.path.join("/srv/files", name), "rb") as handle:
            return handle.read()
    ```

    ## Known problems
    A containment check is understood when it tests the very name that was normalised
    (`p = os.path.realpath(p)` then `p.startswith(base)`, `os.path.commonpath`, or
    `Path.is_relative_to`); a check on another name does not clear the path.

    ## References
    - [CWE-22: Path Traversal](https://cwe.mitre.org/data/definitions/22.html)
    - [OWASP: Path Traversal](https://owasp.org/www-community/attacks/Path_Traversal)
    """

    code = "SCR905"
    name = "path-injection"
    cwe = 22
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    sink_kind = "path-injection"
    fix = (
        "Keep only the file name (`werkzeug.utils.secure_filename`, `os.path.basename`) or resolve "
        "the path and check it stays inside the base directory."
    )
    twins = ()
