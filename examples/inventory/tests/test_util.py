"""Test code is reviewed with the quiet test profile: no noise about test passwords."""

from inventory.util import new_api_key

TEST_PASSWORD = "not-a-real-password"


def test_api_key_is_long():
    assert len(new_api_key()) > 30
