"""`make audit`: known vulnerabilities in the installed dependencies, said honestly.

Runs pip-audit on the virtualenv and reads its JSON report. pip-audit reports "No known
vulnerabilities found" even when it could audit nothing (offline, or a package its database
does not know is "skipped"); here every package that was not checked is listed as NOT CHECKED
and the run fails. Exit status: 0 every package checked and none vulnerable, 1 a known
vulnerability, 2 something (or everything) NOT CHECKED.
"""

import json
import subprocess
import sys

PIP_AUDIT = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off"]


def run_pip_audit():
    """(exit code, stdout, stderr) of pip-audit, or None when it is not installed."""
    try:
        import pip_audit  # noqa: F401
    except ImportError:
        return None
    done = subprocess.run(PIP_AUDIT, capture_output=True, text=True, check=False)  # noqa: S603
    return done.returncode, done.stdout, done.stderr


def report(result, out=print):
    """Print what was and was not checked; return the exit status."""
    if result is None:
        out("NOT CHECKED: pip-audit is not installed (pip install pip-audit).")
        out("NOT CHECKED: no dependency was checked for known vulnerabilities.")
        return 2
    _code, stdout, stderr = result
    try:
        dependencies = json.loads(stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        out("NOT CHECKED: pip-audit produced no report (no vulnerability database reachable?).")
        out("NOT CHECKED: no dependency was checked for known vulnerabilities.")
        for line in stderr.strip().splitlines()[-5:]:
            out(f"  {line}")
        return 2
    vulnerable, skipped, checked = [], [], 0
    for dependency in dependencies:
        name = f"{dependency.get('name')} {dependency.get('version', '')}".strip()
        if "skip_reason" in dependency:
            skipped.append(f"NOT CHECKED: {name}: {dependency['skip_reason']}")
            continue
        checked += 1
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            vulnerable.append(f"VULNERABLE: {name}: {vuln.get('id')} (fixed in {fixed})")
    for line in [*vulnerable, *skipped]:
        out(line)
    out(
        f"{checked} of {len(dependencies)} packages checked, {len(skipped)} NOT CHECKED, "
        f"{len(vulnerable)} known vulnerabilities."
    )
    if vulnerable:
        return 1
    if skipped or not dependencies:
        if not dependencies:
            out("NOT CHECKED: pip-audit listed no package at all.")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(report(run_pip_audit()))
