"""The seed review's file, reviewed by scrutiny: neutron's `dvr_edge_router.py`, with observations.

    python benchmarks/openstack_review.py [--version X.Y.Z]

Resolves the latest neutron release on PyPI (or takes `--version`), downloads its sdist into
.bench/corpora/ (once), reviews `neutron/agent/l3/dvr_edge_router.py` and prints the text
report after a line naming the release, so the line numbers can be checked against it. The
seed review (`../shared/seed/dvr_edge_router_llm_review.txt`) talks about the same file without
computing anything; `tests/test_observations.py` holds this report for 29.0.0, offline, against
the file vendored in `tests/fixtures/openstack/`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request

from _corpora import corpus

from scrutiny import Settings, review_paths
from scrutiny.reporters import REPORTERS, RenderOptions

TARGET = "neutron/agent/l3/dvr_edge_router.py"


def latest(project: str) -> str:
    """The newest release PyPI's JSON API names (a fixed https URL: no user input in it)."""
    url = f"https://pypi.org/pypi/{project}/json"
    with urllib.request.urlopen(url, timeout=60) as response:  # https, a fixed host
        return str(json.load(response)["info"]["version"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--version", help="neutron release (default: the latest on PyPI)")
    args = parser.parse_args()
    version = args.version or latest("neutron")
    root = corpus("neutron", version)
    os.chdir(root)  # paths in the report relative to the sdist, as in the golden file
    review = review_paths([TARGET], Settings(observations="always", cache=False, jobs=1))
    print(f"neutron {version} (sdist from PyPI): {TARGET}\n")
    sys.stdout.write(REPORTERS["text"](review, RenderOptions()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
