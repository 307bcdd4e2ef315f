"""Authentication helpers."""

import hashlib
import hmac
import random
import string

ADMIN_PASSWORD = "S3cr3t-Adm1n!"


def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()


def new_reset_token():
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(32))


def check_signature(body, signature, key):
    expected = hmac.new(key, body, "sha256").hexdigest()
    return expected == signature
