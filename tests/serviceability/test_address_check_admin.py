"""Admin for address checks: list with filters and search, a read-only check with its snapshot."""

import pytest
from django.test import Client

from serviceability.models import AddressCheck

CHANGELIST = "/admin/serviceability/addresscheck/"


@pytest.fixture
def admin_client_(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def checks(owner):
    def stored(street, state, **extra):
        return AddressCheck.objects.create(
            user=owner,
            street=street,
            city="Somewhere",
            state=state,
            normalized_key=f"{street.upper()}|SOMEWHERE|{state}",
            lookup=f"{street} Somewhere, {state}",
            **extra,
        )

    return [
        stored(
            "1 Served St",
            "GA",
            outcome="found",
            residential_level="served",
            business_level="served",
            snapshot={"format": 1, "result": {"status": "successful", "locations": [{"license": "<L>"}]}},
        ),
        stored(
            "2 Rural Rd",
            "VT",
            outcome="found",
            residential_level="unserved",
            business_level="unserved",
            from_cache=True,
        ),
        stored("3 Down Ave", "GA", outcome="unavailable", error_message="The address service could not be reached."),
    ]


@pytest.mark.django_db
def test_it_lists_the_checks(admin_client_, checks):
    html = admin_client_.get(CHANGELIST).content.decode()

    for street in ("1 Served St", "2 Rural Rd", "3 Down Ave"):
        assert street in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"residential_level__exact": "unserved"}, "2 Rural Rd", "1 Served St"),
        ({"business_level__exact": "served"}, "1 Served St", "2 Rural Rd"),
        ({"state__exact": "VT"}, "2 Rural Rd", "3 Down Ave"),
        ({"outcome__exact": "unavailable"}, "3 Down Ave", "2 Rural Rd"),
        ({"from_cache__exact": "1"}, "2 Rural Rd", "1 Served St"),
        ({"q": "rural"}, "2 Rural Rd", "3 Down Ave"),
        ({"q": "SERVED ST|SOMEWHERE"}, "1 Served St", "2 Rural Rd"),
    ],
)
def test_it_filters_and_searches(admin_client_, checks, query, shown, hidden):
    html = admin_client_.get(CHANGELIST, query).content.decode()

    result_list = html[html.index('id="result_list"') :]
    assert shown in result_list
    assert hidden not in result_list


@pytest.mark.django_db
def test_a_check_is_read_only_with_its_snapshot_as_pretty_json(admin_client_, checks):
    response = admin_client_.get(f"{CHANGELIST}{checks[0].pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<pre class="snapshot">' in html
    assert "&quot;status&quot;: &quot;successful&quot;" in html
    assert "&quot;license&quot;: &quot;&lt;L&gt;&quot;" in html
    assert 'name="street"' not in html
    assert "_save" not in html


@pytest.mark.django_db
def test_checks_cannot_be_added_or_changed(admin_client_, checks):
    assert admin_client_.get(f"{CHANGELIST}add/").status_code == 403
    admin_client_.post(f"{CHANGELIST}{checks[0].pk}/change/", {"street": "Changed"})
    checks[0].refresh_from_db()
    assert checks[0].street == "1 Served St"


@pytest.mark.django_db
def test_it_is_for_staff_only(signed_in):
    assert signed_in.get(CHANGELIST).status_code == 302
