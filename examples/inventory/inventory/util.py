"""Helpers with no security defects: scrutiny's review of this file says so."""

import json
import secrets
import subprocess


def load_settings(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def disk_usage(directory):
    # An argument list, no shell: the directory cannot inject a command.
    return subprocess.run(["/usr/bin/du", "-s", "--", directory], capture_output=True, check=True, text=True)


def new_api_key():
    return secrets.token_urlsafe(32)
