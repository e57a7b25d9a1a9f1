"""The sandbox's management commands: sandbox_user and sandbox_fault."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mycrm_portal.sandbox import services
from mycrm_portal.sandbox.models import SandboxUser

pytestmark = pytest.mark.django_db


def _run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_sandbox_user_creates_a_user_and_prints_its_id_and_key():
    output = _run("sandbox_user", "rep1", "--first-name", "Rita", "--last-name", "Rep")
    user = SandboxUser.objects.get(user_name="rep1")
    assert "19x5" in output and user.access_key in output
    assert (user.first_name, user.last_name, user.is_admin) == ("Rita", "Rep", False)
    assert len(user.access_key) == 16 and user.access_key.isalnum()


def test_sandbox_user_makes_admins():
    _run("sandbox_user", "boss", "--admin")
    assert SandboxUser.objects.get(user_name="boss").is_admin


def test_sandbox_user_refuses_a_taken_name():
    _run("sandbox_user", "rep1")
    with pytest.raises(CommandError):
        _run("sandbox_user", "REP1")
    with pytest.raises(CommandError):
        _run("sandbox_user", "admin")


def test_sandbox_fault_switches_faults_and_shows_status():
    assert "slow (2 s)" in _run("sandbox_fault", "crm", "slow", "--seconds", "2")
    _run("sandbox_fault", "fcc", "failed")
    assert services.faults() == {"crm": {"mode": "slow", "seconds": 2.0}, "fcc": {"mode": "failed", "seconds": 0.0}}
    services.counters_reset()
    status = _run("sandbox_fault", "status")
    assert "crm: slow (2 s)" in status and "fcc: failed" in status
    _run("sandbox_fault", "crm", "off")
    assert list(services.faults()) == ["fcc"]
    _run("sandbox_fault", "clear")
    assert services.faults() == {}
    assert "crm: no fault" in _run("sandbox_fault", "status")


def test_sandbox_fault_refuses_unknown_targets_and_modes():
    for args in (("mail", "down"), ("crm", "failed"), ("crm",)):
        with pytest.raises(CommandError):
            _run("sandbox_fault", *args)


def test_sandbox_fault_invalidates_sessions():
    services.session_open(user_name="admin")
    assert "1 CRM session(s) ended" in _run("sandbox_fault", "crm", "invalidate-sessions")
