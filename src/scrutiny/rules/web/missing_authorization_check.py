"""Rule SCR220: an API handler acting on a resource the request names, with no authorization check."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._authz import (
    acts,
    controller_entry,
    exposed,
    handler_subject,
    has_check,
    uses_proxy,
)


class MissingAuthorizationCheck(Rule):
    """Checks for API controller handlers that act on a request-named resource without checking policy.

    ## Why is this bad?
    Authentication says who the caller is; only an authorization check says they may touch this
    server, volume or quota. A handler that reads or changes the resource named in the URL
    without `context.can`, `policy.authorize`, `policy.enforce` or an admin check lets any
    authenticated user of any project do it (the default policy of a new API is whatever the
    code enforces, which is nothing).

    ## Example
    ```python
    from nova.api.openstack import common
    from nova.api.openstack import wsgi

    class ServerLocksController(wsgi.Controller):
        def delete(self, req, server_id):
            context = req.environ["nova.context"]
            instance = common.get_instance(self.compute_api, context, server_id)
            self.compute_api.unlock(context, instance)
    ```

    ## Use instead
    ```python
    from nova.api.openstack import common
    from nova.api.openstack import wsgi
    from nova.policies import lock_server as ls_policies

    class ServerLocksController(wsgi.Controller):
        def delete(self, req, server_id):
            context = req.environ["nova.context"]
            instance = common.get_instance(self.compute_api, context, server_id)
            context.can(ls_policies.POLICY_ROOT % "unlock",
                        target={"project_id": instance.project_id})
            self.compute_api.unlock(context, instance)
    ```

    ## Known problems
    A check counts when it is in the handler, in a decorator, in a method of the same class
    or a function of the same module that the handler calls (one level down), or in a call whose
    name says it checks (`check_policy`, `authorize_*`). A check inside another module's helper
    (`compute_api.method` decorated with a policy check) is not seen: such handlers are reported
    at medium confidence at most. Handlers whose only request input is the body or the URL's
    `**kwargs` are reported at low confidence. Controllers authorized by a framework hook for
    every request (Neutron's pecan controllers) are not checked.

    ## References
    - [CWE-862: Missing Authorization](https://cwe.mitre.org/data/definitions/862.html)
    - [OpenStack: policy in code](https://docs.openstack.org/oslo.policy/latest/user/usage.html)
    """

    code = "SCR220"
    name = "missing-authorization-check"
    cwe = 862
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.ClassDef,)
    # A handler counts only in a class deriving from an `api-controller` row, or exposed by a
    # decorator row: either way a name resolves to one, so its last name is written.
    needles = ("api:api-controller",)
    fix = (
        "Call `context.can` (or `policy.authorize`/`policy.enforce`) with the resource's project "
        "as target before acting."
    )

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.ClassDef)
        entry = controller_entry(node, ctx)
        if entry is not None and entry.get("hook"):
            return  # a framework hook authorizes every request to these controllers
        for item in node.body:
            if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if entry is None and not exposed(item, ctx):
                continue
            subject = handler_subject(item, ctx)
            if subject is None or not acts(item, node, ctx) or has_check(item, node, ctx):
                continue
            if uses_proxy(item, node, ctx):
                continue  # another service checks ownership with the caller's token
            confidence = Confidence.MEDIUM if subject.startswith("`") else Confidence.LOW
            yield self.hit(
                item,
                f"`{node.name}.{item.name}` acts on {subject} without an authorization check",
                confidence=confidence,
            )
