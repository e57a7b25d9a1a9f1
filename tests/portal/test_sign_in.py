import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/crm/account/", "/admin/"])
def test_every_page_needs_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_login_page_is_open(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_a_rep_signs_in_and_sees_the_dashboard(client, owner):
    response = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert b"Dashboard" in response.content


def test_a_wrong_password_says_so(client, owner):
    response = client.post("/accounts/login/", {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    assert b"didn&#x27;t match" in response.content or b"didn't match" in response.content


def test_five_failures_lock_the_username_from_that_address_for_15_minutes(client, owner):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "owner", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    response = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert b"locked" in response.content
    assert b"15 minutes" in response.content


def test_the_lock_is_per_username_and_address(client, owner, colleague):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "owner", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    # Same user from another address, and another user from the same address, still sign in.
    other_address = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert other_address.status_code == 302
    client.logout()
    other_user = client.post(
        "/accounts/login/", {"username": "colleague", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert other_user.status_code == 302


def test_sign_out_is_a_post(client, owner):
    client.force_login(owner)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_pages_carry_a_content_security_policy_with_a_script_nonce(client, owner):
    client.force_login(owner)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.content


def test_an_htmx_request_after_the_session_expired_sends_the_whole_page_to_sign_in(client):
    response = client.get("/check/?street=1+Main+St&city=Reno&state=NV", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")
