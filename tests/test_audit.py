"""`make audit` (scripts/audit.py): a known vulnerability fails; missing vulnerability data is said, not passed over."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.audit import outcome

ROOT = Path(__file__).resolve().parent.parent


def pip_audit_run(*, report: dict | None = None, stderr: str = "", status: int = 0) -> subprocess.CompletedProcess:
    stdout = json.dumps(report) if report is not None else ""
    return subprocess.CompletedProcess(["pip-audit"], status, stdout=stdout, stderr=stderr)


def test_a_known_vulnerability_is_named_with_its_fix_and_counted():
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.19",
                "vulns": [{"id": "PYSEC-2027-1", "aliases": ["CVE-2027-1234"], "fix_versions": ["5.2.20"]}],
            },
            {"name": "segno", "version": "1.6.6", "vulns": []},
        ]
    }
    lines, found = outcome("the pinned requirements", pip_audit_run(report=report, status=1))
    assert found == 1
    assert lines[0] == "audit: the pinned requirements: 2 of 2 packages audited, 1 known vulnerabilities."
    assert "  VULNERABLE django 5.2.19: PYSEC-2027-1, CVE-2027-1234 (fixed in 5.2.20)" in lines


def test_packages_without_vulnerability_data_are_listed_as_not_audited():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "whitenoise", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        ]
    }
    lines, found = outcome("the installed environment", pip_audit_run(report=report))
    assert found == 0
    assert lines == [
        "audit: the installed environment: 1 of 2 packages audited, 0 known vulnerabilities.",
        "  NOT AUDITED, no vulnerability data for them here: whitenoise",
    ]


def test_with_no_vulnerability_data_at_all_the_audit_says_it_was_not_made():
    report = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    lines, found = outcome("the pinned requirements", pip_audit_run(report=report))
    assert found == 0
    assert lines[0].startswith("audit: the pinned requirements NOT AUDITED: the vulnerability data cannot be fetched")


def test_an_unreachable_service_is_said_and_anything_else_fails():
    refused = "requests.exceptions.ConnectionError: HTTPSConnectionPool(...): Max retries exceeded"
    lines, found = outcome("the pinned requirements", pip_audit_run(stderr=f"Traceback\n{refused}\n", status=1))
    assert found == 0 and lines == [
        f"audit: the pinned requirements NOT AUDITED: the vulnerability data cannot be fetched from here ({refused})."
    ]
    with pytest.raises(RuntimeError, match="pip-audit failed"):
        outcome("the pinned requirements", pip_audit_run(stderr="error: unrecognized arguments\n", status=2))


def test_without_a_network_make_audit_says_so_and_passes(tmp_path):
    """The real pip-audit, its requests sent to a proxy that refuses them, with an empty cache."""
    environ = {
        **os.environ,
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "no_proxy": "",
        "XDG_CACHE_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "scripts/audit.py"], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "audit: the pinned requirements NOT AUDITED: the vulnerability data cannot be fetched" in result.stdout
    assert "audit: the installed environment NOT AUDITED" in result.stdout
