"""Production settings are loud when wrong: the server refuses to start half-configured, and never
runs the sandbox in production by accident."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "portal.example.com",
    "FIELD_ENCRYPTION_KEYS": "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
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


def test_the_example_environment_passes_the_deploy_checks():
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value.strip('"')
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
