"""`make audit` never presents "could not check" as "no known vulnerabilities"."""

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit.py"
spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def run(result):
    lines = []
    status = audit.report(result, out=lines.append)
    return status, "\n".join(lines)


def pip_audit_json(*dependencies):
    return 0, json.dumps({"dependencies": list(dependencies), "fixes": []}), ""


def test_without_pip_audit_nothing_is_said_to_be_checked():
    status, text = run(None)
    assert status == 2
    assert "NOT CHECKED" in text and "no known" not in text.lower()


def test_an_unreachable_vulnerability_database_fails_as_not_checked():
    status, text = run((1, "", "ConnectionError: pypi.org unreachable"))
    assert status == 2
    assert "NOT CHECKED: no dependency was checked" in text
    assert "unreachable" in text


def test_skipped_packages_are_listed_as_not_checked_and_fail_the_run():
    status, text = run(
        pip_audit_json(
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "pillow", "version": "13.0.0", "skip_reason": "not found on PyPI"},
        )
    )
    assert status == 2
    assert "NOT CHECKED: pillow 13.0.0: not found on PyPI" in text
    assert "1 of 2 packages checked, 1 NOT CHECKED" in text


def test_a_known_vulnerability_fails_the_run_and_names_the_fix():
    vuln = {"id": "PYSEC-0000-1", "fix_versions": ["5.2.20"], "description": ""}
    status, text = run(pip_audit_json({"name": "django", "version": "5.2.19", "vulns": [vuln]}))
    assert status == 1
    assert "VULNERABLE: django 5.2.19: PYSEC-0000-1 (fixed in 5.2.20)" in text


def test_every_package_checked_and_clean_passes():
    status, text = run(pip_audit_json({"name": "django", "version": "5.2.19", "vulns": []}))
    assert status == 0
    assert "1 of 1 packages checked, 0 NOT CHECKED, 0 known vulnerabilities." in text


def test_an_empty_report_is_not_a_pass():
    status, text = run(pip_audit_json())
    assert status == 2
    assert "NOT CHECKED" in text
