"""Rule SCR903: attacker-controlled data reaching an SQL statement."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class SqlInjection(DataflowRule):
    """Checks for attacker-controlled data that becomes part of an SQL statement.

    ## Why is this bad?
    When request data is formatted into the text of a query, a value such as `' OR '1'='1`
    changes the query itself: the attacker reads, changes or deletes any row the database account
    can reach. Query parameters keep data apart from the statement, so the driver never parses it
    as SQL.

    ## Example
    ```python
    import sqlite3
    from flask import request

    def find_user():
        name = request.args["name"]
        db = sqlite3.connect("app.db")
        cur = db.cursor()
        cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
        return str(cur.fetchall())
    ```

    ## Use instead
    ```python
    import sqlite3
    from flask import request

    def find_user():
        name = request.args["name"]
        db = sqlite3.connect("app.db")
        cur = db.cursor()
        cur.execute("SELECT * FROM users WHERE name = ?", (name,))
        return str(cur.fetchall())
    ```

    ## Known problems
    Calls on a cursor or connection whose type scrutiny cannot see are matched by method name
    (`execute`, `executemany`, `raw`...). Identifiers (table and column names) cannot be passed as
    parameters; quote them with the driver's function or check them against an allow-list.

    ## References
    - [CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)
    - [OWASP: SQL Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html)
    """

    code = "SCR903"
    name = "sql-injection"
    cwe = 89
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    sink_kind = "sql-injection"
    fix = (
        "Pass values as query parameters (`cursor.execute(sql, params)`) instead of formatting "
        "them into the SQL text."
    )
    twins = ("SCR108", "SCR110")
