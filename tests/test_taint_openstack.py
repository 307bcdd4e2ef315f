"""OpenStack taint knowledge: what the messages say about root, beyond the lines test_taint checks."""

from __future__ import annotations

from pathlib import Path

from scrutiny import Settings, review_paths

FIXTURES = Path(__file__).parent / "fixtures" / "taint"
SETTINGS = Settings(select=("SCR9",), jobs=1, strict=True, tests="full", observations="never")


def _messages(case: str, file: str) -> dict[int, str]:
    review = review_paths([str(FIXTURES / case)], SETTINGS)
    return {f.line: f.message for f in review.findings if Path(f.path).name == file}


def test_privileged_calls_say_the_command_runs_as_root() -> None:
    messages = _messages("openstack_privileged", "dhcp.py")
    assert messages[13].endswith("in a command run as root (`run_as_root=True`)")
    assert "root" not in messages[14]  # the same call without run_as_root
    assert messages[24].endswith("in a command run as root")  # `ip netns exec` always is
    assert "`neutron.agent.linux.ip_lib.IpNetnsCommand.execute`" in messages[27]


def test_privsep_findings_say_the_code_runs_as_root() -> None:
    messages = _messages("openstack_privsep", "linux.py")
    assert messages[36] == (
        "a privsep entrypoint's parameter, sent by the unprivileged caller, reaches `os.chmod` "
        "in code run as root"
    )


def test_flows_from_rpc_peers_are_low_confidence_and_from_api_requests_not() -> None:
    """An RPC peer is another service of the deployment; an API caller is anyone."""
    rpc = review_paths([str(FIXTURES / "openstack_rpc")], SETTINGS).findings
    api = review_paths([str(FIXTURES / "openstack_wsgi")], SETTINGS).findings
    assert rpc and {f.confidence.value for f in rpc} == {"low"}
    assert api and "low" not in {f.confidence.value for f in api}
