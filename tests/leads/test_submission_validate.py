"""Checking one field while the rep types (htmx POST to /leads/validate/): the field's own errors
come back for its error slot, fields that depend on each other are checked together, nothing is
saved and MyCRM is not asked."""

import pytest

from leads.models import Contact, Lead

from .helpers import FULL_CONTACT, FULL_LEAD

pytestmark = pytest.mark.django_db


def validate(client, kind, field, **changes):
    data = {**(FULL_LEAD if kind == "lead" else FULL_CONTACT), "assigned_user_id": "self", **changes}
    return client.post(f"/{kind}s/validate/", data, headers={"HX-Request": "true", "HX-Trigger-Name": field})


def test_a_bad_phone_gets_its_message(client, owner):
    client.force_login(owner)
    body = validate(client, "lead", "phone", phone="12").content.decode()
    assert "Enter a US phone number" in body or "not a valid US phone number" in body


def test_a_good_value_clears_the_slot(client, owner):
    client.force_login(owner)
    response = validate(client, "lead", "phone")
    assert response.status_code == 200
    assert "phone number" not in response.content.decode()


def test_an_empty_optional_field_shows_no_error_but_an_empty_required_one_does(client, owner):
    client.force_login(owner)
    assert "required" not in validate(client, "lead", "mobile", mobile="").content.decode()
    assert "required" in validate(client, "lead", "lastname", lastname="").content.decode()


def test_zip_and_zip4_are_checked_together(client, owner):
    client.force_login(owner)
    body = validate(client, "lead", "zip4", code="30303-1234", zip4="9999").content.decode()
    assert "differs from the ZIP+4 typed in the ZIP field" in body


def test_a_contact_ssn_is_checked_without_echoing_it(client, owner):
    client.force_login(owner)
    body = validate(client, "contact", "ssn", ssn="666-12-3456").content.decode()
    assert "cannot start with 000, 666 or 9" in body
    assert "666-12-3456" not in body


def test_an_unknown_field_gets_no_content(client, owner):
    client.force_login(owner)
    assert validate(client, "lead", "nosuch").status_code == 204


def test_nothing_is_saved(client, owner):
    client.force_login(owner)
    validate(client, "lead", "phone")
    validate(client, "contact", "ssn")
    assert not Lead.objects.exists() and not Contact.objects.exists()


def test_it_requires_sign_in(client):
    response = client.post("/leads/validate/", FULL_LEAD, headers={"HX-Trigger-Name": "phone"})
    assert response.status_code == 302


def test_it_takes_only_post(client, owner):
    client.force_login(owner)
    assert client.get("/leads/validate/").status_code == 405
