"""The CRM account page: a rep connects a MyCRM username and access key, verified by logging in;
wrong ones and a CRM outage say so plainly and store nothing; the key is never shown again."""

import pytest

from mycrm_portal.crm.models import CrmAccount


@pytest.fixture
def crm_user(sandbox):
    return sandbox.sandbox_user_create(user_name="olivia", first_name="Olivia", last_name="Owner")


def connect(client, username, key):
    return client.post("/crm/account/", {"crm_username": username, "access_key": key}, follow=True)


def test_it_connects_and_verifies_the_account(signed_in, owner, crm_user):
    response = connect(signed_in, "olivia", crm_user.access_key)
    page = response.content.decode()
    assert f"Connected to MyCRM as olivia ({crm_user.ws_id})" in page
    assert crm_user.access_key not in page
    account = CrmAccount.objects.get(user=owner)
    assert account.access_key == crm_user.access_key
    assert account.session_name and account.last_verified_at
    assert "Olivia Owner" in page


def test_a_wrong_key_is_said_next_to_the_key_and_nothing_is_stored(signed_in, owner, crm_user):
    page = connect(signed_in, "olivia", "wrong-key").content.decode()
    errors = page.split('id="errors-access_key"')[1].split("</div></div>")[0]
    assert "did not accept this username and access key" in errors
    assert "wrong-key" not in page
    assert not CrmAccount.objects.filter(user=owner).exists()


def test_an_unknown_username_is_said_next_to_the_username(signed_in, crm_user):
    page = connect(signed_in, "nobody", "whatever").content.decode()
    errors = page.split('id="errors-crm_username"')[1].split("</div></div>")[0]
    assert "no user named" in errors


def test_a_crm_outage_is_a_plain_sentence_and_keeps_the_old_account(signed_in, owner, crm_user, sandbox):
    connect(signed_in, "olivia", crm_user.access_key)
    sandbox.fault_set(target="crm", mode="down")
    response = connect(signed_in, "olivia", "another-key")
    assert response.status_code == 200
    assert "Your account was not changed" in response.content.decode()
    assert CrmAccount.objects.get(user=owner).access_key == crm_user.access_key


def test_a_slow_crm_gives_up_at_the_timeout(signed_in, crm_user, sandbox, settings):
    sandbox.fault_set(target="crm", mode="slow", seconds=settings.CRM_READ_TIMEOUT + 1)
    response = connect(signed_in, "olivia", crm_user.access_key)
    assert "did not answer in time" in response.content.decode()


def test_the_connection_test_button(signed_in, owner, crm_user, sandbox):
    connect(signed_in, "olivia", crm_user.access_key)
    page = signed_in.post("/crm/account/", {"action": "test"}, follow=True).content.decode()
    assert "MyCRM answered: your account works." in page
    sandbox.fault_set(target="crm", mode="down")
    page = signed_in.post("/crm/account/", {"action": "test"}, follow=True).content.decode()
    assert "MyCRM connection failed" in page


def test_admins_set_a_key_but_never_see_it(client, staff, owner, crm_user):
    client.force_login(staff)
    response = client.post(
        "/admin/crm/crmaccount/add/",
        {"user": owner.pk, "crm_username": "olivia", "new_access_key": crm_user.access_key},
    )
    assert response.status_code == 302
    account = CrmAccount.objects.get(user=owner)
    assert account.access_key == crm_user.access_key
    page = client.get(f"/admin/crm/crmaccount/{account.pk}/change/").content.decode()
    assert crm_user.access_key not in page
    assert 'name="new_access_key"' in page
    # Saving without a key keeps the stored one.
    client.post(
        f"/admin/crm/crmaccount/{account.pk}/change/",
        {"user": owner.pk, "crm_username": "olivia", "new_access_key": ""},
    )
    assert CrmAccount.objects.get(user=owner).access_key == crm_user.access_key
