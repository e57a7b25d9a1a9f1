"""The rep's own pages beside the work: the profile (what customers see of them), the help page,
and the portal's one way of writing dates."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format

from mycrm_portal.formats.en.formats import DATETIME_FORMAT
from mycrm_portal.models import RepProfile
from mycrm_portal.templatetags.portal import ago, when

pytestmark = pytest.mark.django_db


def test_dates_have_one_format_everywhere(settings):
    settings.TIME_ZONE = "America/New_York"
    moment = datetime(2026, 12, 2, 12, 37, tzinfo=UTC)

    assert when(moment) == "Dec 2, 2026, 7:37 AM"
    assert when(None) == ""
    # The same words as Django's date format (and the admin's, formats/en) at every month and hour.
    for month in range(1, 13):
        for hour in range(24):
            local = datetime(2026, month, 9, hour, 5)
            assert when(local) == date_format(local, "M j, Y, g:i A") == date_format(local, DATETIME_FORMAT)


def test_relative_times_only_where_they_help():
    now = timezone.now()

    assert ago(now) == "just now"
    assert ago(now - timedelta(seconds=59)) == "just now"
    assert ago(now - timedelta(minutes=1, seconds=5)) == "1 minute ago"
    assert ago(now - timedelta(minutes=5)) == "5 minutes ago"
    old = now - timedelta(hours=3)
    assert ago(old) == when(old)  # an hour or more: the date itself


def test_a_rep_saves_the_phone_customers_see(client, owner):
    client.force_login(owner)

    response = client.post(
        "/profile/",
        {"first_name": "Olivia", "last_name": "Owner", "email": "olivia@example.com", "phone": "404 555 0134"},
        follow=True,
    )

    assert "Your profile is saved." in response.content.decode()
    assert RepProfile.objects.get(user=owner).phone == "(404) 555-0134"
    owner.refresh_from_db()
    assert owner.email == "olivia@example.com"
    assert 'value="(404) 555-0134"' in client.get("/profile/").content.decode()


def test_a_bad_phone_is_refused_next_to_the_field_and_nothing_is_lost(client, owner):
    client.force_login(owner)

    response = client.post(
        "/profile/", {"first_name": "Olivia", "last_name": "Owner", "email": "owner@example.com", "phone": "12345"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    errors = page.split('id="errors-phone"')[1].split("</div>")[0]
    assert "US phone number" in errors
    assert 'value="12345"' in page and 'id="error-summary"' in page
    assert not RepProfile.objects.filter(user=owner).exclude(phone="").exists()


def test_the_profile_needs_sign_in(client):
    assert client.get("/profile/").status_code == 302


def test_the_help_page_explains_bead_bsl_the_levels_and_the_technologies(client, owner):
    client.force_login(owner)

    page = client.get("/help/").content.decode()

    assert "Broadband Equity, Access, and Deployment" in page
    assert "broadband serviceable location" in page
    for level in ("Served", "Underserved", "Unserved"):
        assert f'<span class="badge badge-{level.lower()}">{level}</span>' in page
    assert "100 Mbps down and 20 Mbps up" in page and "25/3 Mbps" in page
    assert '<th scope="row" class="card-title">DSL</th><td data-label="FCC name">Copper wire (DSL)</td>' in page
    assert '<th scope="row" class="card-title">Low-orbit satellite</th>' in page
