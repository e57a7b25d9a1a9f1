"""The public page /s/<token>/: no sign-in, the public FCC data of the stored check, none of the
licensed location data, nothing about the rep but their work contact (name, e-mail, the phone of
their profile), nothing about the CRM; a link to verify the address on the FCC's own map."""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as date_format

from tests.serviceability.helpers import demo_address, upstream_calls
from tests.serviceability.share_helpers import COMPANY, checked, shared, visible_text


@pytest.fixture(autouse=True)
def _company(settings):
    settings.COMPANY_NAME = COMPANY


@pytest.fixture
def customer():
    """A browser with no account and no session."""
    return Client()


@pytest.fixture
def atlanta(sandbox, owner):
    return checked(owner, unit="Apt 4", zip_code="30303")


def test_a_customer_sees_the_address_providers_and_level_without_signing_in(atlanta, owner, customer):
    _, path = shared(atlanta, owner)

    response = customer.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    street, city, state = demo_address("seed-sample")
    assert f"{street} Apt 4" in text  # as the rep typed it
    assert f"{city}, {state}" in text
    assert "Service level for homes: Served" in text
    # The technology names are the rep's page's: "DSL", never the service's "Copper".
    assert "Crown Castle Fiber LLC Fiber Up to 1200 Mbps down, 35 Mbps up Business" in text
    assert "Xfinity Cable Up to 1200 Mbps down, 35 Mbps up Residential &amp; business" in text
    assert "AT&amp;T Inc DSL Up to 10 Mbps down, 1 Mbps up Residential &amp; business" in text
    assert "Copper" not in text
    assert text.index("Crown Castle") < text.index("Xfinity") < text.index("AT&amp;T")  # best first
    fetched = date_format(timezone.localdate(atlanta.fetched_at), "M j, Y")
    assert f"Data as of {fetched}." in text
    assert "Source: FCC National Broadband Map data." in text
    assert "Availability is what providers report to the FCC, not a guarantee of service" in text
    assert f"Questions? Call your {COMPANY} representative, Olivia Owner." in text
    assert "E-mail: owner@example.com" in text


def test_the_customer_can_verify_the_address_on_the_fcc_map_by_address_only(atlanta, owner, customer):
    _, path = shared(atlanta, owner)

    html = customer.get(path).content.decode()

    street, city, state = demo_address("seed-sample")
    link = html[html.index('href="https://broadbandmap.fcc.gov/') :].split('"')[1].replace("&amp;", "&")
    assert link == "https://broadbandmap.fcc.gov/location-summary/fixed?" + urlencode(
        {"addr": f"{street} Apt 4, {city}, {state}"}
    )
    assert "Look up this address on the FCC National Broadband Map" in html


def test_the_reps_phone_from_their_profile_is_shown_with_a_call_link(atlanta, owner, customer):
    from mycrm_portal.models import RepProfile

    RepProfile.objects.create(user=owner, phone="(404) 555-0134 ext. 12")
    _, path = shared(atlanta, owner)

    html = customer.get(path).content.decode()

    assert '<a href="tel:+14045550134;ext=12">(404) 555-0134 ext. 12</a>' in html


def test_it_shows_none_of_the_licensed_location_data(atlanta, owner, customer):
    _, path = shared(atlanta, owner)

    html = customer.get(path).content.decode()

    for licensed in ("1012345678", "33.7489954", "-84.3879824", "33.74", "84.38"):
        assert licensed not in html
    assert "99" not in html  # the unit count
    assert not re.search(r"\bunits?\b|unit count|unitCount", html, re.IGNORECASE)
    assert not re.search(r"building", html, re.IGNORECASE)
    assert "BSL" not in html and "serviceable location" not in html.lower()
    assert "CostQuest" not in html and "Fabric" not in html and "Coordinates" not in html
    # Nor the other public fields the page does not need (ids, filings).
    for extra in ("130317", "0003487824", "COMCAST CABLE COMMUNICATIONS", "Comcast Corporation"):
        assert extra not in html


def test_it_shows_nothing_about_the_rep_but_their_work_contact_and_nothing_about_the_crm(
    atlanta, sandbox, owner, customer
):
    other = checked(owner, "multi-location")
    _, path = shared(atlanta, owner)

    html = customer.get(path).content.decode()

    assert "Olivia Owner" in html and "owner@example.com" in html
    assert owner.username not in visible_text(html).replace("owner@example.com", "").replace("Owner", "")
    assert "MyCRM" not in html and "CRM" not in html
    assert "portal" not in visible_text(html).lower()
    assert f"/check/{atlanta.pk}/" not in html and "/check/" not in html and "/admin" not in html
    assert "30303" not in html  # the ZIP is for the lead
    assert "csrfmiddlewaretoken" not in html and "<form" not in html and "<script" not in html
    street, *_ = demo_address("multi-location")
    assert street not in html and other.city not in html


def test_a_rep_without_a_name_is_not_named(atlanta, owner, customer):
    owner.first_name = owner.last_name = owner.email = ""
    owner.save()
    _, path = shared(atlanta, owner)

    text = visible_text(customer.get(path).content.decode())

    assert f"Questions? Call your {COMPANY} representative." in text
    assert "Owner" not in text and "owner" not in text and "E-mail" not in text


def test_a_rep_who_has_left_is_not_named_but_the_link_still_works(atlanta, owner, customer):
    _, path = shared(atlanta, owner)
    owner.delete()

    response = customer.get(path)

    assert response.status_code == 200
    assert f"Call your {COMPANY} representative." in visible_text(response.content.decode())


def test_it_serves_the_stored_snapshot_without_calling_the_service(atlanta, sandbox, owner, customer):
    _, path = shared(atlanta, owner)
    calls = upstream_calls(sandbox)
    sandbox.fault_set(target="fcc", mode="down")

    response = customer.get(path)

    assert response.status_code == 200
    assert "Xfinity" in response.content.decode()
    assert upstream_calls(sandbox) == calls


def test_a_multi_structure_address_shows_its_main_location_only(sandbox, owner, customer):
    check = checked(owner, "multi-location")
    _, path = shared(check, owner)

    html = customer.get(path).content.decode()
    text = visible_text(html)

    assert "Service level for homes: Served" in text
    for brand in ("Verizon", "Spectrum", "Starlink"):
        assert brand in text
    for licensed in ("1100000001", "40.7127281", "40.712699", "-74.006", "240", "Mixed use", "Location 2"):
        assert licensed not in html


def test_it_sends_noindex_no_referrer_and_no_store(atlanta, owner, customer):
    _, path = shared(atlanta, owner)

    response = customer.get(path)

    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "Content-Security-Policy" in response


def test_it_sets_no_cookie(atlanta, owner, customer):
    _, path = shared(atlanta, owner)

    response = customer.get(path)

    assert response.cookies == {} or not response.cookies
    assert not customer.cookies


def test_a_signed_in_rep_sees_the_same_public_page(atlanta, owner, signed_in):
    _, path = shared(atlanta, owner)

    html = signed_in.get(path).content.decode()

    assert "Xfinity" in html
    assert "Sign out" not in html and "1012345678" not in html and "CostQuest" not in html


def test_the_link_works_without_its_trailing_slash(atlanta, owner, customer):
    _, path = shared(atlanta, owner)

    response = customer.get(path.rstrip("/"))

    assert response.status_code == 200
    assert "Xfinity" in response.content.decode()


def test_it_answers_only_get_and_head(atlanta, owner, customer):
    _, path = shared(atlanta, owner)

    assert customer.head(path).status_code == 200
    response = customer.post(path)
    assert response.status_code == 405
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_token_never_reaches_the_log(atlanta, owner, customer, caplog):
    link, path = shared(atlanta, owner)
    token = path.split("/")[2]
    link.revoked_at = timezone.now()
    link.save()

    with caplog.at_level("DEBUG"):
        customer.get(path)
        customer.post(path)
        customer.get(f"/s/{token[:-1]}x/")

    assert token not in caplog.text
    assert link.token_prefix in caplog.text
