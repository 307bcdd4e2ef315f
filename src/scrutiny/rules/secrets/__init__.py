"""Secrets and credentials (SCR7xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.secrets.hardcoded_credential_format import HardcodedCredentialFormat
from scrutiny.rules.secrets.hardcoded_password import HardcodedPassword
from scrutiny.rules.secrets.hardcoded_secret import HardcodedSecret
from scrutiny.rules.secrets.secret_logged import SecretLogged
from scrutiny.rules.secrets.secret_option_not_marked_secret import SecretOptionNotMarkedSecret

RULES: list[type[Rule]] = [
    HardcodedPassword,
    HardcodedCredentialFormat,
    HardcodedSecret,
    SecretOptionNotMarkedSecret,
    SecretLogged,
]
