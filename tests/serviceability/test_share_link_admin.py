"""Admin for share links: staff see every link (prefix, address, maker, dates, status), filter and
search them, and revoke them; nothing can be added or edited, and no token is shown."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from serviceability.models import AddressCheck, ShareLink
from serviceability.sharing import share_link_create

CHANGELIST = "/admin/serviceability/sharelink/"


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def links(owner, colleague):
    def check(street):
        return AddressCheck.objects.create(
            user=owner,
            street=street,
            city="Somewhere",
            state="GA",
            normalized_key=f"{street.upper()}|SOMEWHERE|GA",
            lookup=f"{street} Somewhere, GA",
            outcome="found",
            snapshot={"format": 1, "result": {"status": "successful", "locations": [{"rows": []}]}},
        )

    active, _ = share_link_create(check=check("1 Active St"), user=owner)
    expired, _ = share_link_create(check=check("2 Expired Rd"), user=colleague)
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked, _ = share_link_create(check=check("3 Revoked Ave"), user=owner)
    ShareLink.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now(), revoked_by=owner)
    return {"active": active, "expired": expired, "revoked": revoked}


def _result_list(html):
    return html[html.index('id="result_list"') :]


@pytest.mark.django_db
def test_it_lists_every_link_with_its_status_and_prefix_only(staff, links):
    html = _client_for(staff).get(CHANGELIST).content.decode()

    rows = _result_list(html)
    for street in ("1 Active St", "2 Expired Rd", "3 Revoked Ave"):
        assert street in rows
    for status in ("Active", "Expired", "Revoked"):
        assert status in rows
    for link in links.values():
        assert f"/s/{link.token_prefix}…" in rows
        assert link.token_hash not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "active"}, "1 Active St", "2 Expired Rd"),
        ({"status": "expired"}, "2 Expired Rd", "3 Revoked Ave"),
        ({"status": "revoked"}, "3 Revoked Ave", "1 Active St"),
        ({"q": "expired"}, "2 Expired Rd", "1 Active St"),
    ],
)
def test_it_filters_by_status_and_searches_by_address(staff, links, query, shown, hidden):
    rows = _result_list(_client_for(staff).get(CHANGELIST, query).content.decode())

    assert shown in rows
    assert hidden not in rows


@pytest.mark.django_db
def test_it_filters_by_maker(staff, colleague, links):
    rows = _result_list(_client_for(staff).get(CHANGELIST, {"created_by__id__exact": colleague.pk}).content.decode())

    assert "2 Expired Rd" in rows and "1 Active St" not in rows


@pytest.mark.django_db
def test_staff_revoke_selected_links(staff, links):
    response = _client_for(staff).post(
        CHANGELIST,
        {"action": "revoke_selected", "_selected_action": [links["active"].pk, links["revoked"].pk]},
        follow=True,
    )

    assert "Revoked 1 share link." in response.content.decode()
    links["active"].refresh_from_db()
    assert links["active"].revoked_by == staff
    links["revoked"].refresh_from_db()
    assert links["revoked"].revoked_by != staff  # the first revocation stays on record


@pytest.mark.django_db
def test_staff_without_model_permissions_still_see_and_revoke_links(django_user_model, links):
    clerk = django_user_model.objects.create_user(username="clerk", password="x", is_staff=True)
    client = _client_for(clerk)

    assert "1 Active St" in client.get(CHANGELIST).content.decode()
    client.post(CHANGELIST, {"action": "revoke_selected", "_selected_action": [links["active"].pk]})
    links["active"].refresh_from_db()
    assert links["active"].revoked_by == clerk


@pytest.mark.django_db
def test_links_cannot_be_added_or_changed(staff, links):
    client = _client_for(staff)

    assert client.get(f"{CHANGELIST}add/").status_code == 403
    html = client.get(f"{CHANGELIST}{links['active'].pk}/change/").content.decode()
    assert "1 Active St" in html
    assert links["active"].token_hash not in html
    assert "_save" not in html and 'name="expires_at' not in html


@pytest.mark.django_db
def test_it_is_for_staff_only(signed_in, links):
    assert signed_in.get(CHANGELIST).status_code == 302
