"""Secrets and credentials (SCR7xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.secrets.hardcoded_credential_format import HardcodedCredentialFormat
from scrutiny.rules.secrets.hardcoded_password import HardcodedPassword
from scrutiny.rules.secrets.hardcoded_secret import HardcodedSecret

RULES: list[type[Rule]] = [HardcodedPassword, HardcodedCredentialFormat, HardcodedSecret]
