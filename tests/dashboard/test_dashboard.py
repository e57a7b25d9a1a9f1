"""The dashboard: the rep's own recent submissions, what needs them, their recent checks, and a
prompt to connect their CRM account; never another rep's."""

import pytest

from leads.models import Contact, Lead, Status
from mycrm_portal.crm.models import CrmAccount

pytestmark = pytest.mark.django_db


def test_it_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_shows_the_reps_own_submissions_newest_first_and_what_needs_attention(client, owner, colleague):
    Lead.objects.create(submitted_by=owner, firstname="Old", lastname="Lead", assigned_user_id="19x5")
    Contact.objects.create(
        submitted_by=owner, firstname="New", lastname="Contact", assigned_user_id="19x5", status=Status.REJECTED
    )
    Lead.objects.create(submitted_by=colleague, firstname="Carl", lastname="Other", assigned_user_id="19x6")
    client.force_login(owner)

    page = client.get("/").content.decode()

    recent = page[page.index("My recent submissions") :]
    assert recent.index("New Contact") < recent.index("Old Lead")
    attention = page[page.index("Needs attention") : page.index("My recent submissions")]
    assert "New Contact" in attention and "Old Lead" not in attention
    assert "Carl Other" not in page


def test_without_a_crm_account_it_asks_the_rep_to_connect_one(client, owner):
    client.force_login(owner)
    assert "Connect your MyCRM account" in client.get("/").content.decode()


def test_a_crm_account_mycrm_refuses_is_shown_with_its_reason(client, owner):
    CrmAccount.objects.create(user=owner, crm_username="owner", access_key="k", last_error="Wrong access key.")
    client.force_login(owner)
    page = client.get("/").content.decode()
    assert "MyCRM does not accept your CRM account: Wrong access key." in page
    assert "Connect your MyCRM account" not in page


def test_its_queries_do_not_grow_with_the_submissions_it_lists(client, owner, django_assert_max_num_queries):
    client.force_login(owner)
    client.get("/")  # the session's first read
    with django_assert_max_num_queries(20) as empty:
        client.get("/")
    for n in range(10):
        Lead.objects.create(submitted_by=owner, firstname=f"L{n}", lastname="Lead", crm_id=f"10x{n}")
        Contact.objects.create(submitted_by=owner, firstname=f"C{n}", lastname="Contact", status=Status.QUEUED)

    with django_assert_max_num_queries(len(empty)) as full:
        page = client.get("/").content.decode()

    assert page.count("/leads/") + page.count("/contacts/") >= 16 and "10x9" in page
    assert len(full) == len(empty)
