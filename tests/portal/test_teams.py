"""Teams: one access rule (mycrm_portal/access.py) for every list and page. A rep sees their own
work; the lead of their team sees it and can act on it; the lead of another team does not; staff
see everything. One test per page, for each of the four."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crmrecords.models import RecordEdit
from leads.models import Contact, Lead, Status
from mycrm_portal import access
from mycrm_portal.models import Team
from serviceability.models import AddressCheck, ShareLink
from tests.conftest import as_

pytestmark = pytest.mark.django_db

# viewer -> may they see the rep's work?
ROLES = {"rep": True, "lead_here": True, "lead_elsewhere": False, "staff": True}


@pytest.fixture
def work(people):
    rep = people["rep"]
    lead = Lead.objects.create(submitted_by=rep, firstname="Ann", lastname="Zebra", city="Macon", status=Status.QUEUED)
    contact = Contact.objects.create(submitted_by=rep, firstname="Bo", lastname="Yak", status=Status.QUEUED)
    check = AddressCheck.objects.create(
        user=rep, street="1 Peach St", city="Macon", state="GA", normalized_key="k", lookup="l", outcome="ok"
    )
    link = ShareLink.objects.create(
        address_check=check,
        token_hash="h" * 64,
        token_prefix="abcd",
        created_by=rep,
        expires_at=timezone.now() + timedelta(days=7),
    )
    edit = RecordEdit.objects.create(
        user=rep,
        module="Leads",
        crm_id="10x5",
        record_name="Ann Zebra",
        fields=["phone"],
        status=RecordEdit.Status.CONFLICT,
        conflicts={"phone": {"mine": "1", "theirs": "2", "was": "0"}},
    )
    return {"lead": lead, "contact": contact, "check": check, "link": link, "edit": edit}


@pytest.mark.parametrize(("role", "sees"), ROLES.items())
def test_the_lead_and_contact_lists(client, people, work, role, sees):
    as_(client, people, role)
    assert (">Ann Zebra</a>" in client.get("/leads/").content.decode()) is sees
    assert (">Bo Yak</a>" in client.get("/contacts/").content.decode()) is sees
    assert (">Ann Zebra</a>" in client.get("/leads/", {"q": "Zebra"}).content.decode()) is sees  # its search
    if sees and role != "rep":
        assert "Rita Rep" in client.get("/leads/").content.decode()  # whose it is


@pytest.mark.parametrize(("role", "sees"), ROLES.items())
def test_the_record_pages_and_the_edit_form(client, people, work, role, sees):
    as_(client, people, role)
    expected = 200 if sees else 404
    assert client.get(f"/leads/{work['lead'].pk}/").status_code == expected
    assert client.get(f"/leads/{work['lead'].pk}/edit/").status_code == expected
    assert client.get(f"/contacts/{work['contact'].pk}/").status_code == expected
    assert client.get(f"/leads/{work['lead'].pk}/status/").status_code == expected


@pytest.mark.parametrize(("role", "sees"), ROLES.items())
def test_the_address_check_history(client, people, work, role, sees):
    as_(client, people, role)
    page = client.get("/check/history/").content.decode()
    assert ("1 Peach St" in page) is sees
    if sees and role != "rep":
        assert "Rita Rep" in page  # who checked it


@pytest.mark.parametrize(("role", "sees"), ROLES.items())
def test_revoking_a_share_link(client, people, work, role, sees):
    as_(client, people, role)
    response = client.post(f"/check/share/{work['link'].pk}/revoke/")
    work["link"].refresh_from_db()
    assert (work["link"].revoked_at is not None) is sees
    assert response.status_code == (302 if sees else 403)


@pytest.mark.parametrize(("role", "sees"), ROLES.items())
def test_a_crm_edit_in_conflict(client, people, work, role, sees):
    as_(client, people, role)
    assert client.get(f"/crm/edits/{work['edit'].pk}/").status_code == (200 if sees else 404)


def test_the_other_teams_rep_is_seen_only_by_their_own_lead_and_staff(people):
    other = people["other"].pk
    assert access.may_act_for(people["lead_elsewhere"], other)
    assert access.may_act_for(people["staff"], other)
    assert not access.may_act_for(people["lead_here"], other)
    assert not access.may_act_for(people["rep"], other)
    assert not access.may_act_for(people["rep"], people["lead_here"].pk)  # a rep never sees up


def test_the_rule_is_read_once_per_request(client, people, work, django_assert_max_num_queries):
    as_(client, people, "lead_here")
    client.get("/leads/")  # warm: sessions, CRM options
    with django_assert_max_num_queries(12) as captured:
        client.get("/leads/")
    team_queries = [q["sql"] for q in captured.captured_queries if "mycrm_portal_team" in q["sql"]]
    assert len(team_queries) == 1  # the people of the teams led, once


def test_staff_manage_teams_in_the_admin(client, people):
    as_(client, people, "staff")
    people["staff"].is_superuser = True
    people["staff"].save()

    response = client.post(
        "/admin/mycrm_portal/team/add/",
        {"name": "East", "leads": [people["lead_here"].pk], "members": [people["other"].pk]},
    )

    assert response.status_code == 302
    east = Team.objects.get(name="East")
    assert list(east.members.all()) == [people["other"]]
    assert access.may_act_for(people["lead_here"], people["other"].pk)
    assert "Lena Lead" in client.get("/admin/mycrm_portal/team/").content.decode()
