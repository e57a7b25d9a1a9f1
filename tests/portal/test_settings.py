"""Production settings are loud when wrong: the server refuses to start half-configured, and never
runs the sandbox in production by accident."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "kq7ZpL2vN9xW4rT8yB1mC6dF3gH0jS5aE2uI7oP4lK9zX1cV6bN3",
    "ALLOWED_HOSTS": "portal.example.com",
    "FIELD_ENCRYPTION_KEYS": "YfpUvneDWAzYBTAg95xKKethyDXALuTK1p4IPI_yGR8=",
    "MYCRM_URL": "https://crm.example.com",
    "SERVICEABILITY_URL": "https://fcc.example.com/fcc",
}


def manage(*args, **env):
    drop = {*PRODUCTION, "SANDBOX_ENABLED", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "CACHE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    clean["DJANGO_SETTINGS_MODULE"] = "mycrm_portal.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_production_settings_start():
    result = manage("check", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_without_the_crm_url_the_server_refuses_to_start_instead_of_using_the_sandbox():
    env = {k: v for k, v in PRODUCTION.items() if k != "MYCRM_URL"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "MYCRM_URL" in result.stderr


def test_the_sandbox_in_production_needs_an_explicit_switch_and_is_flagged():
    env = {k: v for k, v in PRODUCTION.items() if k not in ("MYCRM_URL", "SERVICEABILITY_URL")}
    result = manage("check", "--deploy", SANDBOX_ENABLED="true", **env)
    assert "portal.W001" in result.stderr + result.stdout


def test_missing_secrets_are_named():
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"):
        env = {k: v for k, v in PRODUCTION.items() if k != name}
        result = manage("check", **env)
        assert result.returncode != 0
        assert name in result.stderr


def test_a_malformed_encryption_key_stops_the_server():
    result = manage("check", **{**PRODUCTION, "FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be Fernet keys" in result.stderr + result.stdout


def test_the_example_environment_with_real_secrets_passes_the_deploy_checks():
    secrets = {name: PRODUCTION[name] for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS")}
    env = {**example_env(), **secrets}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def example_env() -> dict:
    """.env.example as a shell would read it."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"')
    return values


def test_the_example_files_placeholder_secrets_are_refused_in_production():
    result = manage("check", **example_env())
    assert result.returncode != 0
    assert "SECRET_KEY is still the placeholder of .env.example" in result.stderr
    result = manage("check", **{**example_env(), "SECRET_KEY": "y" * 60})
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEYS still holds the placeholder key" in result.stderr


def test_a_boolean_setting_that_is_not_a_boolean_stops_the_start_naming_it():
    result = manage("check", **PRODUCTION, SANDBOX_ENABLED="flase")
    assert result.returncode != 0
    assert "SANDBOX_ENABLED='flase' is not a boolean" in result.stderr
    for word in ("yes", "On", "0", "FALSE"):
        assert manage("check", **PRODUCTION, SANDBOX_ENABLED=word).returncode == 0, word


def test_check_deploy_warns_about_a_plain_http_crm_or_address_service():
    result = manage(
        "check", "--deploy", **{**PRODUCTION, "MYCRM_URL": "http://crm.example.com", "SERVICEABILITY_URL": "http://x"}
    )
    text = result.stdout + result.stderr
    assert "portal.W002" in text and "MYCRM_URL is plain HTTP" in text and "SERVICEABILITY_URL is plain HTTP" in text
    clean = manage("check", "--deploy", **PRODUCTION)
    assert "portal.W002" not in clean.stdout + clean.stderr


def test_migrate_makes_the_database_cache_table(tmp_path):
    db = tmp_path / "fresh.sqlite3"
    result = manage(
        "migrate", "--noinput", DEBUG="true", DATABASE_URL=f"sqlite:///{db}", CACHE_URL="dbcache://portal_cache"
    )
    assert result.returncode == 0, result.stderr
    import sqlite3

    tables = {row[0] for row in sqlite3.connect(db).execute("select name from sqlite_master where type='table'")}
    assert "portal_cache" in tables


def test_make_run_serves_the_sandbox_at_its_own_host_and_port():
    result = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "HOST=0.0.0.0",
            "PORT=8123",
            "--eval",
            "u: ; @echo $${PORTAL_SELF_URL}",
            "u",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={k: v for k, v in os.environ.items() if k != "PORTAL_SELF_URL"},
    )
    assert result.stdout.strip() == "http://0.0.0.0:8123"
