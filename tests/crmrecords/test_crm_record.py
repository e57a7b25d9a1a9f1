"""Opening a MyCRM record (/crm/leads/<id>/, /crm/contacts/<id>/): one retrieve, every field as the
rep would type it (entities decoded once), sensitive values masked, owner by name, times, the
portal's submissions linked to it, a link into MyCRM; refused records say so."""

import pytest

from leads.models import Lead, Status
from mycrm_portal.crm.sessions import crm_session_for


def test_it_shows_the_record_with_its_owner_times_and_a_link_into_mycrm(signed_in, owner_crm, make, sandbox):
    lead = make(firstname="Ann", lastname="Smith", phone="404-555-0177", city="Atlanta", description="Wants fiber")
    crm_session_for(owner_crm.user).listtypes()  # signed in to MyCRM already
    sandbox.counters_reset()
    page = signed_in.get(f"/crm/leads/{lead['id']}/").content.decode()
    assert sandbox.counters("crm") == {"retrieve": 1}
    for shown in ("Ann Smith", "404-555-0177", "Atlanta", "Wants fiber", "created", "modified"):
        assert shown in page
    number = lead["id"].split("x")[1]
    assert f"/sandbox/index.php?module=Leads&amp;view=Detail&amp;record={number}" in page


def test_text_mycrm_stored_encoded_is_shown_as_typed_and_never_double_encoded(signed_in, owner_crm, make, crm_profile):
    note = 'Asked about <script>x</script> & "fiber"'
    lead = make(description=note, company="A & B")
    page = signed_in.get(f"/crm/leads/{lead['id']}/").content.decode()
    # Escaped once by the page, whatever MyCRM stored: never &amp;amp; or &amp;lt;.
    assert "Asked about &lt;script&gt;x&lt;/script&gt; &amp; &quot;fiber&quot;" in page
    assert "&amp;lt;" not in page and "&amp;amp;" not in page


@pytest.mark.mycrm_profile
def test_a_sensitive_value_mycrm_holds_is_masked_never_shown_in_full(signed_in, owner_crm, make):
    contact = make(module="Contacts", lastname="Jones", ssn="123-45-6789", dl_license="D12345678")
    page = signed_in.get(f"/crm/contacts/{contact['id']}/").content.decode()
    assert "***-**-6789" in page and "****5678" in page
    assert "123-45-6789" not in page and "D12345678" not in page
    edit = signed_in.get(f"/crm/contacts/{contact['id']}/edit/").content.decode()
    assert "123-45-6789" not in edit and "D12345678" not in edit


def test_the_portals_submissions_of_the_record_are_linked(signed_in, owner, owner_crm, make):
    lead = make(lastname="Linked")
    mine = Lead.objects.create(
        submitted_by=owner,
        firstname="A",
        lastname="Linked",
        assigned_user_id="19x1",
        crm_id=lead["id"],
        status=Status.SYNCED,
    )
    page = signed_in.get(f"/crm/leads/{lead['id']}/").content.decode()
    assert f'href="{mine.get_absolute_url()}"' in page


def test_a_record_mycrm_refuses_to_the_rep_is_a_clear_page_not_a_500(signed_in, owner_crm, make, sandbox):
    theirs = make(lastname="Private")
    sandbox.fault_set(target="sharing", mode="private")
    response = signed_in.get(f"/crm/leads/{theirs['id']}/")
    assert response.status_code == 403
    assert "MyCRM does not let you open this record" in response.content.decode()
    assert signed_in.get(f"/crm/leads/{theirs['id']}/edit/").status_code == 403
    assert signed_in.get("/crm/leads/10x999999/").status_code == 403


def test_staff_act_as_their_own_crm_user(client, staff, owner_crm, make, sandbox):
    from tests.conftest import connect_to_sandbox

    connect_to_sandbox(staff, sandbox, is_admin=True)
    owners = make(lastname="OwnersOwn", user_name="owner", assigned_user_id=owner_crm_ws(sandbox))
    sandbox.fault_set(target="sharing", mode="private")
    client.force_login(staff)
    assert client.get(f"/crm/leads/{owners['id']}/").status_code == 200  # the staff member's CRM user is an admin


def owner_crm_ws(sandbox):
    return sandbox.sandbox_user_get_or_create(user_name="owner").ws_id


def test_mycrm_down_is_a_plain_sentence(signed_in, owner_crm, make, sandbox):
    lead = make(lastname="Down")
    sandbox.fault_set(target="crm", mode="down")
    response = signed_in.get(f"/crm/leads/{lead['id']}/")
    assert response.status_code == 503 and "MyCRM could not be reached" in response.content.decode()


def test_an_id_of_the_wrong_kind_is_not_found(signed_in, owner_crm):
    assert signed_in.get("/crm/leads/12x5/").status_code == 404
    assert signed_in.get("/crm/contacts/abc/").status_code == 404
