"""Production refuses unsafe configuration; `check --deploy` is clean under production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from janitorial_crm.settings import DEV_SECRET_KEY, check_safe_configuration, database_config

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "x" * 20 + "-production-secret-key-with-enough-entropy"


def run_manage(*args, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests in this process, never in production.
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="crm.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_the_development_key():
    result = run_manage("check", DEBUG="False", ALLOWED_HOSTS="crm.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("debug", "key", "hosts", "message"),
    [
        (False, DEV_SECRET_KEY, ["crm.example.com"], "SECRET_KEY"),
        (False, "", ["crm.example.com"], "SECRET_KEY"),
        (False, "short", ["crm.example.com"], "SECRET_KEY"),
        (False, GOOD_KEY, [], "ALLOWED_HOSTS"),
        (True, DEV_SECRET_KEY, ["*"], "DEBUG must be off"),
        (True, DEV_SECRET_KEY, ["crm.example.com"], "DEBUG must be off"),
    ],
)
def test_unsafe_configurations_are_refused(debug, key, hosts, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        check_safe_configuration(debug=debug, secret_key=key, allowed_hosts=hosts)


@pytest.mark.parametrize(
    ("debug", "key", "hosts"),
    [
        (True, DEV_SECRET_KEY, ["127.0.0.1", "localhost"]),
        (False, GOOD_KEY, ["crm.example.com"]),
    ],
)
def test_safe_configurations_start(debug, key, hosts):
    check_safe_configuration(debug=debug, secret_key=key, allowed_hosts=hosts)


def test_argon2_is_the_production_password_hasher():
    # The suite swaps in a fast hasher per test; the settings module itself must put Argon2 first.
    import janitorial_crm.settings as production

    assert production.PASSWORD_HASHERS[0] == "janitorial_crm.hashers.Argon2idPasswordHasher"
    from janitorial_crm.hashers import Argon2idPasswordHasher

    hasher = Argon2idPasswordHasher()
    assert hasher.encode("pw", hasher.salt()).startswith("argon2$argon2id$")


def test_password_validators_cover_length_common_and_similarity():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "UserAttributeSimilarityValidator",
    } <= names


def test_session_lifetime_is_bounded():
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


def test_sqlite_uses_immediate_transactions_and_a_busy_timeout():
    config = database_config("sqlite:////tmp/x.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert config["CONN_HEALTH_CHECKS"] is True


def test_postgres_connections_are_health_checked_and_reused():
    config = database_config("postgres://crm@db:5432/crm")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] > 0


def test_postgres_can_use_a_connection_pool_for_the_asgi_server(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL", "True")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "7")
    config = database_config("postgres://crm@db:5432/crm")
    assert config["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool
    assert config["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 7}
