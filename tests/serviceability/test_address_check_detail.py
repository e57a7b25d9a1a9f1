"""The permalink /check/<id>/: any signed-in colleague opens the stored result; nobody else."""

import pytest
from django.test import Client

from serviceability.models import AddressCheck
from serviceability.services import address_check
from tests.serviceability.helpers import demo_address, upstream_calls

HTMX = {"HX-Request": "true"}


@pytest.fixture
def shared_check(sandbox, owner):
    street, city, state = demo_address("seed-sample")
    return address_check(user=owner, street=f"{street} Apt 4", city=city, state=state, zip_code="30303")


@pytest.fixture
def colleague_client(colleague):
    client = Client()
    client.force_login(colleague)
    return client


def test_a_colleague_opens_another_reps_check(sandbox, shared_check, colleague_client):
    calls = upstream_calls(sandbox)

    response = colleague_client.get(f"/check/{shared_check.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Xfinity" in html and "Crown Castle Fiber" in html
    assert "badge-served" in html
    assert "Checked by Olivia Owner" in html
    assert "CostQuest" in html
    assert upstream_calls(sandbox) == calls
    assert AddressCheck.objects.count() == 1


def test_it_has_a_check_again_button_and_a_copy_link(sandbox, shared_check, colleague_client):
    html = colleague_client.get(f"/check/{shared_check.pk}/").content.decode()

    street, city, state = demo_address("seed-sample")
    again = f"/check/?street={street.replace(' ', '+')}+Apt+4&amp;city={city}&amp;state={state}&amp;zip=30303"
    assert f'<a role="button" class="secondary outline" href="{again}">Check again</a>' in html
    assert f'data-copy="http://testserver/check/{shared_check.pk}/"' in html


def test_it_shows_the_snapshot_date(sandbox, shared_check, colleague_client):
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    html = colleague_client.get(f"/check/{shared_check.pk}/").content.decode()

    # The portal's one date format: "Dec 2, 2026, 7:37 AM".
    fetched = date_format(timezone.localtime(shared_check.fetched_at), "M j, Y, g:i A")
    assert f"Fetched {fetched} ·" in html


def test_it_renders_the_filtered_fragment_for_htmx(sandbox, shared_check, colleague_client):
    response = colleague_client.get(f"/check/{shared_check.pk}/", {"audience": "business"}, headers=HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert "Crown Castle Fiber" in html
    assert "Providers for business customers" in html


def test_an_unknown_audience_means_all(sandbox, shared_check, colleague_client):
    html = colleague_client.get(f"/check/{shared_check.pk}/", {"audience": "<x>"}).content.decode()

    assert 'aria-current="true">All</a>' in html


def test_a_stale_check_says_so_in_the_past_tense(sandbox, owner, colleague_client, settings):
    street, city, state = demo_address("seed-sample")
    address_check(user=owner, street=street, city=city, state=state)
    settings.SERVICEABILITY_CACHE_TTL = 0
    sandbox.fault_set(target="fcc", mode="down")
    stale = address_check(user=owner, street=street, city=city, state=state)

    html = colleague_client.get(f"/check/{stale.pk}/").content.decode()

    assert "was unavailable when this check was made; it shows the result from" in html
    assert "badge-stale" in html


def test_an_unavailable_check_shows_the_message_and_a_retry(sandbox, owner, colleague_client):
    sandbox.fault_set(target="fcc", mode="down")
    failed = address_check(user=owner, street="1 Main St", city="Dover", state="DE")

    html = colleague_client.get(f"/check/{failed.pk}/").content.decode()

    assert "could not be checked" in html
    assert "Try again</a>" in html


@pytest.mark.django_db
def test_an_unknown_check_is_not_found(signed_in):
    assert signed_in.get("/check/999999/").status_code == 404


def test_it_requires_sign_in(sandbox, shared_check, client):
    response = client.get(f"/check/{shared_check.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/check/{shared_check.pk}/"


def test_it_requires_sign_in_for_the_htmx_fragment_too(sandbox, shared_check, client):
    response = client.get(f"/check/{shared_check.pk}/", {"audience": "business"}, headers=HTMX)

    # htmx is told to send the whole page to sign-in, not to swap the form into the results.
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert "Crown Castle" not in response.content.decode()
