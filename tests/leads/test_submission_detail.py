"""A submission's record page: who may open it, and what it shows."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_requires_sign_in(client, lead):
    response = client.get(f"/leads/{lead.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_rep_gets_a_404(client, colleague, lead):
    client.force_login(colleague)
    assert client.get(f"/leads/{lead.pk}/").status_code == 404


def test_the_rep_sees_the_fields_status_and_history(client, owner, lead):
    client.force_login(owner)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Ann Smith" in page and "Queued" in page


def test_the_mycrm_id_opens_the_record_in_mycrms_web_ui(client, owner, lead, settings):
    settings.MYCRM_URL = "https://crm.example.com"
    lead.crm_id, lead.status = "10x42", "synced"
    lead.save()
    client.force_login(owner)

    page = client.get(f"/leads/{lead.pk}/").content.decode()

    assert 'href="https://crm.example.com/index.php?module=Leads&amp;view=Detail&amp;record=42"' in page
    assert "<strong>10x42</strong></a>" in page


def test_sections_with_nothing_in_them_are_not_shown(client, owner, lead):
    client.force_login(owner)

    page = client.get(f"/leads/{lead.pk}/").content.decode()

    assert "<h2>Person</h2>" in page
    assert "<h2>Campaign</h2>" not in page  # no UTM value given
    lead.utm_source = "newsletter"
    lead.save()
    assert "<h2>Campaign</h2>" in client.get(f"/leads/{lead.pk}/").content.decode()


def test_the_list_shows_the_city_and_one_date_format(client, owner, lead):
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    lead.city = "Atlanta"
    lead.save()
    client.force_login(owner)

    page = client.get("/leads/").content.decode()

    assert '<th scope="col">City</th>' in page and '<td data-label="City">Atlanta</td>' in page
    assert date_format(timezone.localtime(lead.created_at), "M j, Y, g:i A") in page
