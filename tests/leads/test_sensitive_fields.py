"""SSNs, license numbers and birthdays: encrypted at rest, masked after entry, never in a page, a
log line, a URL, the cache, an export or an error message; dropped locally once in the CRM."""

from dataclasses import replace

import pytest
from django.core.cache import caches
from django.db import connection

from leads.models import Contact, Status
from leads.payload import HIDDEN
from leads.sending import scrub
from mycrm_portal.crm import schema

from .helpers import FULL_CONTACT, post_new, run_worker

SECRETS = ("123-45-6789", "123456789", "D12345678", "D1234-5678", "1980-05-17", "05/17/1980")


def assert_no_secret(text, where):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} found in {where}"


def raw_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        return " ".join(str(row) for row in cursor.fetchall())


def cache_dump():
    """Every value in the shared cache, raw (pickled bytes shown as text)."""
    backend = caches["default"]
    name = type(backend).__name__
    if name == "DatabaseCache":
        return raw_rows("portal_cache")
    if name == "RedisCache":
        client = backend._cache.get_client()
        return " ".join(str(client.get(key)) for key in client.keys("*"))
    return " ".join(str(v) for v in backend._cache.values())


def pages_after_submission(client, staff_client, contact):
    yield "record page", client.get(f"/contacts/{contact.pk}/")
    yield "edit page", client.get(f"/contacts/{contact.pk}/edit/")
    yield "list", client.get("/contacts/")
    yield "dashboard", client.get("/")
    yield "status fragment", client.get(f"/contacts/{contact.pk}/status/")
    yield "admin change page", staff_client.get(f"/admin/leads/contact/{contact.pk}/change/")
    yield "admin list", staff_client.get("/admin/leads/contact/")
    yield (
        "CSV export",
        staff_client.post("/admin/leads/contact/", {"action": "export_csv", "_selected_action": [contact.pk]}),
    )


@pytest.fixture
def staff_client(staff):
    from django.test import Client

    c = Client()
    c.force_login(staff)
    return c


def test_the_full_ssn_never_appears_after_a_synced_submission(
    signed_in, staff_client, owner_crm, sandbox, caplog, crm_profile
):
    caplog.set_level("DEBUG")
    response = post_new(signed_in, "contact", FULL_CONTACT)
    assert_no_secret(response.content.decode(), "the page after submitting")
    contact = Contact.objects.get()
    assert contact.in_mycrm

    for where, page in pages_after_submission(signed_in, staff_client, contact):
        assert page.status_code == 200, where
        body = b"".join(page.streaming_content) if page.streaming else page.content
        assert_no_secret(body.decode(), where)
    assert "***-**-6789" in signed_in.get(f"/contacts/{contact.pk}/").content.decode()
    assert "**/**/1980" in signed_in.get(f"/contacts/{contact.pk}/").content.decode()

    assert_no_secret(caplog.text, "the logs")
    assert_no_secret(raw_rows("leads_contact"), "the contacts table")
    assert_no_secret(raw_rows("leads_syncattempt"), "the sync history")
    assert_no_secret(cache_dump(), "the cache")
    contact.refresh_from_db()
    if crm_profile == "mycrm":
        assert contact.ssn == "" and contact.dl_license == ""  # dropped once MyCRM holds them
    else:
        assert contact.ssn == "123-45-6789"  # a stock vtiger has no SSN field: kept, encrypted
    assert contact.birthday == "1980-05-17"  # kept, encrypted


def test_a_queued_contact_keeps_its_secrets_encrypted_and_masked(
    signed_in, staff_client, owner_crm, sandbox, caplog, crm_profile
):
    caplog.set_level("DEBUG")
    sandbox.fault_set(target="crm", mode="down")
    response = post_new(signed_in, "contact", FULL_CONTACT)
    assert_no_secret(response.content.decode(), "the page after submitting")
    contact = Contact.objects.get()
    assert contact.status == Status.QUEUED
    assert contact.ssn == "123-45-6789"  # kept, to be sent
    assert_no_secret(raw_rows("leads_contact"), "the contacts table (encrypted at rest)")
    for where, page in pages_after_submission(signed_in, staff_client, contact):
        body = b"".join(page.streaming_content) if page.streaming else page.content
        assert_no_secret(body.decode(), where)

    sandbox.faults_clear()
    run_worker()
    contact.refresh_from_db()
    assert contact.in_mycrm
    assert contact.ssn == ("" if crm_profile == "mycrm" else "123-45-6789")
    assert_no_secret(caplog.text, "the logs")


def test_a_crm_message_quoting_a_sensitive_value_is_scrubbed_before_it_is_stored(owner, transactional_db):

    contact = Contact(submitted_by=owner, ssn="123-45-6789", dl_license="D12345678", birthday="1980-05-17")
    message = scrub(contact, "Invalid ssn 123456789 / 123-45-6789, license D12345678, born 1980-05-17")
    assert_no_secret(message, "the stored error message")
    assert message.count("[hidden]") == 4


def test_sensitive_fields_never_travel_in_a_url(signed_in, owner_crm, sandbox):
    page = signed_in.get("/contacts/new/?ssn=123-45-6789&dl_license=D1234&birthday=1980-05-17").content.decode()
    assert_no_secret(page, "a form prefilled from a URL")
    assert 'method="post"' in page


@pytest.fixture
def spouse_name_sensitive(monkeypatch):
    """The one-line change that makes a field sensitive: `sensitive=True` on it in the schema."""
    fields = tuple(replace(f, sensitive=True) if f.name == "spouse_name" else f for f in schema.CONTACT_FIELDS)
    monkeypatch.setitem(schema.FIELDS_BY_MODULE, "Contacts", fields)


@pytest.mark.mycrm_profile
def test_a_field_marked_sensitive_in_the_schema_is_then_masked_everywhere(
    signed_in, staff_client, owner_crm, sandbox, caplog, spouse_name_sensitive
):
    caplog.set_level("DEBUG")
    spouse = FULL_CONTACT["spouse_name"]  # "Ann Jones"
    response = post_new(signed_in, "contact", FULL_CONTACT)
    assert spouse not in response.content.decode()
    contact = Contact.objects.get()
    assert contact.in_mycrm
    assert sandbox.records("Contacts")[0]["spouse_name"] == spouse  # MyCRM still gets it

    for where, page in pages_after_submission(signed_in, staff_client, contact):
        assert page.status_code == 200, where
        body = (b"".join(page.streaming_content) if page.streaming else page.content).decode()
        assert spouse not in body, f"the spouse's name is shown in full on the {where}"
    assert "****ones" in signed_in.get(f"/contacts/{contact.pk}/").content.decode()
    assert "****ones" in staff_client.get(f"/admin/leads/contact/{contact.pk}/change/").content.decode()
    assert "On file: ****ones" in signed_in.get(f"/contacts/{contact.pk}/edit/").content.decode()

    # An edit records it as hidden in pending_changes while the CRM is down.
    sandbox.fault_set(target="crm", mode="down")
    edit = {**FULL_CONTACT, "spouse_name": "Cara Jones", "assigned_user_id": contact.assigned_user_id}
    signed_in.post(f"/contacts/{contact.pk}/edit/", {**edit, "ssn": "", "dl_license": ""})
    contact.refresh_from_db()
    assert contact.pending_changes == {"spouse_name": HIDDEN}

    assert scrub(contact, f"bad value {contact.spouse_name}") == "bad value [hidden]"
    assert spouse not in caplog.text and "Cara Jones" not in caplog.text
