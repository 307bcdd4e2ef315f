"""Cryptography and randomness (SCR3xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.crypto.insecure_random_secret import InsecureRandomSecret
from scrutiny.rules.crypto.jwt_no_verify import JwtNoVerify
from scrutiny.rules.crypto.pycrypto_import import PycryptoImport
from scrutiny.rules.crypto.timing_unsafe_compare import TimingUnsafeCompare
from scrutiny.rules.crypto.weak_cipher import WeakCipher
from scrutiny.rules.crypto.weak_cipher_mode import WeakCipherMode
from scrutiny.rules.crypto.weak_hash import WeakHash
from scrutiny.rules.crypto.weak_key_size import WeakKeySize

RULES: list[type[Rule]] = [
    WeakHash,
    WeakCipher,
    WeakCipherMode,
    WeakKeySize,
    InsecureRandomSecret,
    TimingUnsafeCompare,
    JwtNoVerify,
    PycryptoImport,
]
