"""Network, TLS and remote protocols (SCR5xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.network.bind_all_interfaces import BindAllInterfaces
from scrutiny.rules.network.cleartext_protocol import CleartextProtocol
from scrutiny.rules.network.httpoxy import Httpoxy
from scrutiny.rules.network.insecure_tls_version import InsecureTlsVersion
from scrutiny.rules.network.logging_config_listen import LoggingConfigListen
from scrutiny.rules.network.request_without_timeout import RequestWithoutTimeout
from scrutiny.rules.network.snmp_insecure import SnmpInsecure
from scrutiny.rules.network.ssh_no_host_key_verification import SshNoHostKeyVerification
from scrutiny.rules.network.ssl_wrap_socket_unverified import SslWrapSocketUnverified
from scrutiny.rules.network.tls_verify_disabled import TlsVerifyDisabled
from scrutiny.rules.network.unverified_tls_context import UnverifiedTlsContext
from scrutiny.rules.network.url_open_any_scheme import UrlOpenAnyScheme

RULES: list[type[Rule]] = [
    TlsVerifyDisabled,
    InsecureTlsVersion,
    SslWrapSocketUnverified,
    UnverifiedTlsContext,
    SshNoHostKeyVerification,
    SnmpInsecure,
    CleartextProtocol,
    BindAllInterfaces,
    RequestWithoutTimeout,
    UrlOpenAnyScheme,
    LoggingConfigListen,
    Httpoxy,
]
