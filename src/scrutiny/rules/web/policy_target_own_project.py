"""Rule SCR221: a policy check whose target is the caller's own project, for a resource loaded by id."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._authz import check_entry, id_loaded

_OWNER_KEYS = frozenset({"project_id", "tenant_id"})


class PolicyTargetOwnProject(Rule):
    """Checks for policy checks whose target names the caller's project instead of the resource's.

    ## Why is this bad?
    A project-scoped rule such as `project_id:%(project_id)s` compares the caller's project with
    the target's. When the target is built from `context.project_id`, the comparison is the
    caller's project with itself and always passes: any member of any project may act on a
    resource loaded by the id in the URL, which belongs to someone else (an insecure direct object
    reference). The target must carry the owner of the resource that was loaded.

    ## Example
    ```python
    from nova.api.openstack import common
    from nova.api.openstack import wsgi

    class ServerPasswordController(wsgi.Controller):
        def clear(self, req, server_id):
            context = req.environ["nova.context"]
            instance = common.get_instance(self.compute_api, context, server_id)
            context.can("os_compute_api:os-server-password:clear",
                        target={"project_id": context.project_id})
            self.compute_api.clear_password(context, instance)
    ```

    ## Use instead
    ```python
    from nova.api.openstack import common
    from nova.api.openstack import wsgi

    class ServerPasswordController(wsgi.Controller):
        def clear(self, req, server_id):
            context = req.environ["nova.context"]
            instance = common.get_instance(self.compute_api, context, server_id)
            context.can("os_compute_api:os-server-password:clear",
                        target={"project_id": instance.project_id})
            self.compute_api.clear_password(context, instance)
    ```

    ## Known problems
    Reported only when the same function loads a resource from the service's own database by
    an id parameter (`resource-load` rows in `models/authz.toml`); proxies to other services,
    which check ownership with the caller's token, are not. A load whose query is itself
    scoped to the caller's project makes the finding harmless, which scrutiny cannot see.

    ## References
    - [CWE-639: Authorization Bypass Through User-Controlled Key](https://cwe.mitre.org/data/definitions/639.html)
    - [Nova: policy targets](https://docs.openstack.org/nova/latest/configuration/policy-concepts.html)
    """

    code = "SCR221"
    name = "policy-target-own-project"
    cwe = 639
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    needles = tuple(sorted(_OWNER_KEYS))  # the caller's `context.<key>` must be written
    fix = "Build the policy target from the loaded resource (`{'project_id': instance.project_id}`)."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        if not any(isinstance(a, ast.Dict) for a in (*node.args, *(k.value for k in node.keywords))):
            return  # the target must be a dict display; cheaper to see than the check's row
        entry = check_entry(node, ctx)
        if entry is None or entry.get("target_kwarg") is None:
            return
        target = argument(node, entry.get("target_arg"), entry.get("target_kwarg"))
        if not isinstance(target, ast.Dict):
            return
        for key, value in zip(target.keys, target.values, strict=True):
            owner = ctx.const(key) if key is not None else None
            if owner in _OWNER_KEYS and _callers_own(value):
                func = ctx.enclosing_function()
                loaded = id_loaded(func, ctx) if func is not None else None
                if loaded is not None:
                    yield self.hit(
                        value,
                        f"the policy target's `{owner}` is the caller's `{ast.unparse(value)}`, "
                        f"not the owner of the resource loaded by `{loaded}`",
                    )
                return


def _callers_own(value: ast.expr) -> bool:
    """`context.project_id`, `req.environ["nova.context"].project_id`, `request.context.tenant_id`."""
    if not (isinstance(value, ast.Attribute) and value.attr in _OWNER_KEYS):
        return False
    holder = value.value
    if isinstance(holder, ast.Name):
        return holder.id in ("context", "ctxt", "ctx")
    if isinstance(holder, ast.Attribute):
        return holder.attr == "context"
    if isinstance(holder, ast.Subscript) and isinstance(holder.slice, ast.Constant):
        return str(holder.slice.value).endswith(".context")
    return False
