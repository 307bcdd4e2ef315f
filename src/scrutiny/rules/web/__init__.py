"""Web frameworks and templates (SCR2xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.web.cookie_without_httponly import CookieWithoutHttponly
from scrutiny.rules.web.cookie_without_secure import CookieWithoutSecure
from scrutiny.rules.web.csrf_exempt import CsrfExempt
from scrutiny.rules.web.django_debug_enabled import DjangoDebugEnabled
from scrutiny.rules.web.flask_debug_enabled import FlaskDebugEnabled
from scrutiny.rules.web.jinja2_autoescape_false import Jinja2AutoescapeFalse
from scrutiny.rules.web.mako_templates import MakoTemplates
from scrutiny.rules.web.mark_safe import MarkSafe
from scrutiny.rules.web.markup_non_literal import MarkupNonLiteral
from scrutiny.rules.web.missing_authorization_check import MissingAuthorizationCheck
from scrutiny.rules.web.policy_target_own_project import PolicyTargetOwnProject

RULES: list[type[Rule]] = [
    FlaskDebugEnabled,
    DjangoDebugEnabled,
    CsrfExempt,
    CookieWithoutSecure,
    CookieWithoutHttponly,
    Jinja2AutoescapeFalse,
    MakoTemplates,
    MarkSafe,
    MarkupNonLiteral,
    MissingAuthorizationCheck,
    PolicyTargetOwnProject,
]
