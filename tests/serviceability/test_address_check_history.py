"""/check/history/: the signed-in rep's own checks, newest first, 25 a page."""

import pytest

from serviceability.models import AddressCheck


def _stored(user, street, **extra):
    values = {
        "user": user,
        "street": street,
        "city": "Atlanta",
        "state": "GA",
        "normalized_key": f"{street.upper()}|ATLANTA|GA",
        "lookup": f"{street} Atlanta, GA",
        "outcome": AddressCheck.Outcome.FOUND,
        "residential_level": "served",
        "business_level": "underserved",
    }
    return AddressCheck.objects.create(**(values | extra))


@pytest.mark.django_db
def test_it_lists_only_the_reps_own_checks_newest_first(signed_in, owner, colleague):
    _stored(owner, "1 Older St")
    _stored(colleague, "2 Colleague Rd")
    newest = _stored(owner, "3 Newer Ave", outcome=AddressCheck.Outcome.NO_MATCH, residential_level=None)

    response = signed_in.get("/check/history/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Colleague Rd" not in html
    assert html.index("3 Newer Ave") < html.index("1 Older St")
    assert f'href="/check/{newest.pk}/"' in html
    assert "No location found" in html
    assert "badge-underserved" in html


@pytest.mark.django_db
def test_it_pages_by_25(signed_in, owner):
    for number in range(30):
        _stored(owner, f"{number} Page St")

    first = signed_in.get("/check/history/").content.decode()
    second = signed_in.get("/check/history/", {"page": 2}).content.decode()

    assert first.count("Page St, Atlanta, GA</a>") == 25
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert second.count("Page St, Atlanta, GA</a>") == 5


@pytest.mark.django_db
def test_it_says_so_when_there_are_no_checks(signed_in):
    assert "You have not checked any address yet." in signed_in.get("/check/history/").content.decode()


@pytest.mark.django_db
def test_it_requires_sign_in(client):
    response = client.get("/check/history/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/check/history/"
