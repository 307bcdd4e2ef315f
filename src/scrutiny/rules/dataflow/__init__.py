"""Dataflow rules: attacker-controlled data reaching a sink, found by the taint engine (SCR9xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.dataflow.argument_injection import ArgumentInjection
from scrutiny.rules.dataflow.code_injection import CodeInjection
from scrutiny.rules.dataflow.command_injection import CommandInjection
from scrutiny.rules.dataflow.daemon_config_injection import DaemonConfigInjection
from scrutiny.rules.dataflow.firewall_rule_injection import FirewallRuleInjection
from scrutiny.rules.dataflow.header_injection import HeaderInjection
from scrutiny.rules.dataflow.ldap_injection import LdapInjection
from scrutiny.rules.dataflow.log_injection import LogInjection
from scrutiny.rules.dataflow.open_redirect import OpenRedirect
from scrutiny.rules.dataflow.path_injection import PathInjection
from scrutiny.rules.dataflow.privsep_entrypoint_unvalidated_input import PrivsepEntrypointUnvalidatedInput
from scrutiny.rules.dataflow.regex_injection import RegexInjection
from scrutiny.rules.dataflow.sql_injection import SqlInjection
from scrutiny.rules.dataflow.ssrf import Ssrf
from scrutiny.rules.dataflow.tainted_deserialization import TaintedDeserialization
from scrutiny.rules.dataflow.template_injection import TemplateInjection
from scrutiny.rules.dataflow.xpath_injection import XpathInjection
from scrutiny.rules.dataflow.xss import Xss
from scrutiny.rules.dataflow.xxe import Xxe

RULES: list[type[Rule]] = [
    CommandInjection,
    ArgumentInjection,
    SqlInjection,
    CodeInjection,
    PathInjection,
    Ssrf,
    TaintedDeserialization,
    TemplateInjection,
    Xss,
    OpenRedirect,
    LdapInjection,
    XpathInjection,
    HeaderInjection,
    LogInjection,
    RegexInjection,
    Xxe,
    PrivsepEntrypointUnvalidatedInput,
    FirewallRuleInjection,
    DaemonConfigInjection,
]
