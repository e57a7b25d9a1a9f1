"""The Leads and Contacts lists: a rep sees their own submissions, staff see all; search, status
filter, pages, and the fragment the list polls while something is on its way."""

import pytest

from leads.models import Lead, Status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/leads/", "/contacts/"])
def test_it_requires_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_shows_a_rep_only_their_own(client, owner, colleague, lead):
    Lead.objects.create(submitted_by=colleague, firstname="Carl", lastname="Other", assigned_user_id="19x6")
    client.force_login(owner)
    page = client.get("/leads/").content.decode()
    assert "Ann Smith" in page and "Carl Other" not in page


def test_staff_see_everyone_and_who_submitted(client, staff, colleague, lead):
    Lead.objects.create(submitted_by=colleague, firstname="Carl", lastname="Other", assigned_user_id="19x6")
    client.force_login(staff)
    page = client.get("/leads/").content.decode()
    assert "Ann Smith" in page and "Carl Other" in page
    assert client.get(f"/leads/{lead.pk}/").status_code == 200


def test_search_and_status_filter_and_pages(client, owner):
    for i in range(30):
        Lead.objects.create(
            submitted_by=owner,
            firstname=f"Person{i}",
            lastname="Smith",
            email=f"p{i}@example.com",
            assigned_user_id="19x5",
            status=Status.SYNCED if i % 2 else Status.REJECTED,
            crm_id=f"10x{100 + i}",
        )
    client.force_login(owner)
    assert "Person7 " in client.get("/leads/?q=p7@example.com").content.decode()
    assert "Person8 " not in client.get("/leads/?q=p7@example.com").content.decode()
    assert "Person3 " in client.get("/leads/?q=10x103").content.decode()
    rejected = client.get("/leads/?status=rejected").content.decode()
    assert "Person2 " in rejected and "Person3 " not in rejected
    first, second = client.get("/leads/").content.decode(), client.get("/leads/?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "Person29 " in first and "Person0 " in second


def test_the_list_fragment_is_served_to_htmx_polling(client, owner, lead):
    client.force_login(owner)
    response = client.get("/leads/", headers={"HX-Request": "true", "HX-Target": "submission-rows"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="submission-rows"' in body and "Ann Smith" in body


def test_a_long_list_stops_counting_at_the_cap_and_says_so(client, owner, monkeypatch):
    from leads import views

    monkeypatch.setattr(views.LIST_PAGINATOR, "cap", 30)
    Lead.objects.bulk_create(
        Lead(submitted_by=owner, firstname=f"P{i}", lastname="S", assigned_user_id="19x5") for i in range(40)
    )
    client.force_login(owner)
    page = client.get("/leads/").content.decode()
    assert "Page 1 of 2+" in page
    assert "use search or the status filter" in page
