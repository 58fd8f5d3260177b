#!/usr/bin/env python3
"""Known vulnerabilities of what the project installs: `make audit`, part of `make test`.

pip-audit looks up each release in the package index's vulnerability data, twice:
  - the lines of requirements.txt and requirements-dev.txt as pinned (every one is pinned with ==,
    so `--no-deps` audits exactly those releases);
  - the installed environment, which adds what the pinned packages pulled in (asgiref, sqlparse...).

A known vulnerability fails the run (exit 1), listed with its identifiers and the versions that
fix it. Where the data cannot be fetched (no network, or an index mirror without vulnerability
data, which answers "not found" for each release), it says so on stdout, naming the packages that
went unaudited, and exits 0: the check could not be made here, which is not a pass.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off", "--timeout", "15"]
AUDITS = {
    "the pinned requirements": ["-r", "requirements.txt", "-r", "requirements-dev.txt", "--no-deps", "--disable-pip"],
    "the installed environment": ["--local"],
}
# What requests and pip-audit raise when the vulnerability data cannot be reached.
UNREACHABLE = ("ConnectionError", "ProxyError", "ConnectTimeout", "ReadTimeout", "SSLError", "ServiceError")


def run_pip_audit(arguments: list[str]) -> subprocess.CompletedProcess | None:
    """pip-audit's run, or None when it had no answer in time."""
    try:
        return subprocess.run([*PIP_AUDIT, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None


def outcome(what: str, run: subprocess.CompletedProcess | None) -> tuple[list[str], int]:
    """The lines to print about one audit, and how many known vulnerabilities it found."""
    if run is None:
        return [
            f"audit: {what} NOT AUDITED: the vulnerability data cannot be fetched from here (no answer in time)."
        ], 0
    try:
        dependencies = json.loads(run.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        reasons = [line.strip() for line in run.stderr.splitlines() if any(name in line for name in UNREACHABLE)]
        if not reasons:
            raise RuntimeError(f"pip-audit failed (status {run.returncode}):\n{run.stderr}") from None
        return [f"audit: {what} NOT AUDITED: the vulnerability data cannot be fetched from here ({reasons[-1]})."], 0
    unaudited = sorted(item["name"] for item in dependencies if "skip_reason" in item)
    if len(unaudited) == len(dependencies):
        return [
            f"audit: {what} NOT AUDITED: the vulnerability data cannot be fetched from here "
            f"(none of its {len(dependencies)} packages was found in the index's advisory data)."
        ], 0
    found = [(item, vulnerability) for item in dependencies for vulnerability in item.get("vulns", [])]
    lines = [
        f"audit: {what}: {len(dependencies) - len(unaudited)} of {len(dependencies)} packages audited, "
        f"{len(found)} known vulnerabilities."
    ]
    for item, vulnerability in found:
        identifiers = ", ".join([vulnerability["id"], *vulnerability.get("aliases", [])])
        fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version yet"
        lines.append(f"  VULNERABLE {item['name']} {item['version']}: {identifiers} (fixed in {fixed})")
    if unaudited:
        lines.append(f"  NOT AUDITED, no vulnerability data for them here: {', '.join(unaudited)}")
    return lines, len(found)


def main() -> int:
    vulnerable = 0
    for what, arguments in AUDITS.items():
        lines, found = outcome(what, run_pip_audit(arguments))
        print("\n".join(lines), flush=True)
        vulnerable += found
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
