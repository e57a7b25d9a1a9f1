"""Secrets at rest: the access key (and the session id) are unreadable in the database, and keys
rotate without losing anything."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from mycrm_portal.crm.models import CrmAccount

pytestmark = pytest.mark.django_db


def _raw(column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM crm_crmaccount WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_access_key_is_unreadable_in_the_database(owner):
    account = CrmAccount.objects.create(user=owner, crm_username="owner", access_key="Sup3rSecretKey42")
    stored = _raw("access_key", account.pk)
    assert "Sup3rSecretKey42" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert CrmAccount.objects.get(pk=account.pk).access_key == "Sup3rSecretKey42"


def test_keys_rotate_without_losing_a_secret(owner, settings, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    account = CrmAccount.objects.create(user=owner, crm_username="owner", access_key="Sup3rSecretKey42")
    before = _raw("access_key", account.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_keys")
    assert _raw("access_key", account.pk) != before

    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key is gone: everything still reads
    assert CrmAccount.objects.get(pk=account.pk).access_key == "Sup3rSecretKey42"
    assert "rows re-encrypted" in capsys.readouterr().out


def test_a_wrong_key_is_a_clear_error_not_garbage(owner, settings):
    account = CrmAccount.objects.create(user=owner, crm_username="owner", access_key="Sup3rSecretKey42")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    from mycrm_portal.crypto import DecryptionError

    with pytest.raises(DecryptionError) as caught:
        CrmAccount.objects.get(pk=account.pk)
    assert "Sup3r" not in str(caught.value)
