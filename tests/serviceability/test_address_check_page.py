"""The /check/ page: the GET form, full page and htmx fragment, the filter, errors, the lead link."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from serviceability.models import AddressCheck
from tests.serviceability.helpers import check_params, demo_address, latest_check, upstream_calls
from tests.serviceability.upstream import CraftedUpstream

DATA = Path(__file__).resolve().parent.parent / "data" / "serviceability"
HTMX = {"HX-Request": "true"}


def _page(client, **params):
    return client.get("/check/", params)


def _providers(html: str) -> str:
    """The providers table(s) of a result page, without the level sentences above them."""
    tables = html.split('<table class="providers')[1:]
    return "".join(table[: table.index("</table>")] for table in tables)


def _lead_link(html: str) -> tuple[str, dict[str, list[str]]]:
    start = html.index('href="', html.index("Create a lead at this address") - 400) + len('href="')
    href = html[start : html.index('"', start)].replace("&amp;", "&")
    url = urlsplit(href)
    return url.path, parse_qs(url.query)


@pytest.mark.django_db
def test_it_shows_the_empty_form_without_parameters(signed_in):
    response = signed_in.get("/check/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form id="check-form" method="get" action="/check/"' in html
    assert 'name="street"' in html and 'name="city"' in html and '<select name="state"' in html
    assert '<option value="GA">' in html
    assert "check-result" not in html
    assert AddressCheck.objects.count() == 0


def test_it_renders_the_whole_page_with_the_result(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")

    response = _page(signed_in, **check_params(street, city, state))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert f'value="{street}"' in html  # the form keeps what was typed
    assert '<span class="badge badge-served">Served</span>' in html
    assert "Xfinity" in html and "Crown Castle Fiber" in html
    assert "Availability is what providers report to the FCC, not a guarantee of service" in html
    assert "CostQuest" in html
    assert "fresh from the address service" in html
    providers = _providers(html)
    # Best for the customer first: both Served-grade lines (by speed, then technology), then 10/1 DSL.
    assert providers.index("Crown Castle Fiber") < providers.index("Xfinity") < providers.index("AT&amp;T")
    assert "Xfinity (Cable) offers 1200/35 Mbps with low latency." in html  # why it is Served
    assert "HX-Request" in response["Vary"]


def test_it_returns_only_the_results_fragment_to_htmx(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")

    response = signed_in.get("/check/", check_params(street, city, state), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    # The check area: the form folded into one line above the answer.
    assert html.lstrip().startswith('<h1 class="page-title">')
    assert '<details class="check-fold">' in html
    assert '<span class="check-fold-address">55 Trinity Ave SW, Atlanta, GA</span>' in html
    assert html.index("check-fold") < html.index('<article class="check-result"')
    assert "Xfinity" in html


def test_it_renders_the_whole_page_for_an_htmx_history_restore(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")

    response = signed_in.get(
        "/check/", check_params(street, city, state), headers={**HTMX, "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_a_repeated_check_comes_from_the_cache(sandbox, signed_in):
    street, city, state = demo_address("duplicate-rows")
    _page(signed_in, **check_params(street, city, state))

    response = _page(signed_in, **check_params(street, city, state))

    assert upstream_calls(sandbox) == 1
    assert "from cache" in response.content.decode()


@pytest.mark.parametrize(
    ("audience", "shown", "hidden"),
    [
        ("residential", ["Xfinity", "AT&amp;T"], ["Crown Castle"]),
        ("business", ["Crown Castle Fiber", "Xfinity"], []),
        ("all", ["Crown Castle Fiber", "Xfinity", "AT&amp;T"], []),
    ],
)
def test_the_audience_filter_changes_the_provider_lines(sandbox, signed_in, audience, shown, hidden):
    street, city, state = demo_address("seed-sample")

    html = _page(signed_in, **check_params(street, city, state, audience=audience)).content.decode()

    providers = _providers(html)
    for name in shown:
        assert name in providers
    for name in hidden:
        assert name not in providers
    assert f'aria-current="true">{audience.capitalize()}</a>' in html


def test_the_filter_links_show_the_stored_result_without_a_new_check(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")
    html = _page(signed_in, **check_params(street, city, state)).content.decode()
    check = latest_check()
    assert f'href="/check/{check.pk}/?audience=business" hx-get="/check/{check.pk}/?audience=business"' in html

    fragment = signed_in.get(f"/check/{check.pk}/", {"audience": "residential"}, headers=HTMX).content.decode()

    assert "Crown Castle" not in _providers(fragment)
    assert "Xfinity" in _providers(fragment)
    assert AddressCheck.objects.count() == 1
    assert upstream_calls(sandbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (check_params("55 Trinity Ave SW", "", "GA"), "city", "This field is required."),
        (check_params("55 Trinity Ave SW", "Atlanta", "ZZ"), "state", "Choose a US state code"),
        (check_params("", "Atlanta", "GA"), "street", "This field is required."),
        (check_params("55 Trinity Ave SW", "Atlanta", "GA", zip="3030"), "zip", "Enter 5 digits"),
    ],
)
def test_a_bad_form_shows_errors_next_to_the_fields_and_keeps_what_was_typed(
    signed_in, settings, params, field, message
):
    settings.SERVICEABILITY_URL = "http://127.0.0.1:9/never-called"

    response = signed_in.get("/check/", params)

    assert response.status_code == 200
    html = response.content.decode()
    field_html = html[html.index(f'id="field-{field}"') :]
    field_html = field_html[: field_html.index("</div>")]
    assert 'class="field-error"' in field_html and message in field_html
    for name in ("street", "city"):
        if params[name]:
            assert f'value="{params[name]}"' in html
    assert AddressCheck.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_form_sent_by_htmx_swaps_the_form_with_its_errors(signed_in):
    response = signed_in.get("/check/", check_params("55 Trinity Ave SW", "", "GA"), headers=HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<h1 class="page-title">')  # the check area, form open
    assert "check-fold" not in html and "check-result" not in html  # no old result left beside the errors
    assert (
        '<div class="error-summary' in html
        and '<a href="#id_city" data-focus-field="id_city">City: This field is required.</a>' in html
    )
    assert 'value="55 Trinity Ave SW"' in html
    assert AddressCheck.objects.count() == 0


def test_a_lowercase_state_in_a_typed_link_is_accepted(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")

    response = _page(signed_in, **check_params(street, city, state.lower()))

    assert "badge-served" in response.content.decode()


def test_the_create_lead_link_carries_the_address_and_a_service_summary(sandbox, signed_in):
    street, city, state = demo_address("duplicate-rows")

    html = _page(signed_in, **check_params(f"{street} Apt 4B", city, state, zip="28202-1234")).content.decode()

    path, query = _lead_link(html)
    assert path == "/leads/new/"
    assert query["lane"] == [street]
    assert query["city"] == [city]
    assert query["state"] == [state]
    assert query["code"] == ["28202"]
    assert query["zip4"] == ["1234"]
    assert query["apart"] == ["APT 4B"]
    (description,) = query["description"]
    assert description.startswith("Served (residential). Best per technology: Fiber: AT&T Inc 5000/5000 Mbps")
    assert "Cable: Spectrum 1000/35 Mbps" in description


def test_the_create_lead_link_leaves_out_what_was_not_given(sandbox, signed_in):
    street, city, state = demo_address("no-match")

    html = _page(signed_in, **check_params(street, city, state)).content.decode()

    _path, query = _lead_link(html)
    assert set(query) == {"lane", "city", "state", "description", "from_check"}
    assert query["description"] == ["No location found for this address."]


def test_every_result_has_a_copy_link_button_with_its_permalink(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")

    html = _page(signed_in, **check_params(street, city, state)).content.decode()

    check = latest_check()
    assert f'data-copy="http://testserver/check/{check.pk}/"' in html
    assert html.count("data-copy=") == 1
    assert "Copy link for colleagues</button>" in html
    assert "Link to this result" not in html


def test_no_match_has_its_own_message(sandbox, signed_in):
    street, city, state = demo_address("no-match")

    html = _page(signed_in, **check_params(street, city, state)).content.decode()

    assert "No location found for this address" in html
    assert "Check the spelling" in html
    assert '<table class="providers">' not in html
    assert "Location ·" not in html


def test_the_multi_location_address_shows_each_location_with_its_level(sandbox, signed_in):
    street, city, state = demo_address("multi-location")

    html = _page(signed_in, **check_params(street, city, state)).content.decode()

    first, second = html.split("Location 1 · ")[1].split("Location 2 · ")
    assert "badge-served" in first and "Verizon" in first
    # The second structure is not a broadband serviceable location: no level, said so.
    assert (
        "Not a broadband serviceable location" in second and "badge-unserved" not in second.split("Location details")[0]
    )
    assert "No providers reported" in second
    assert "No: not a broadband serviceable location" in second  # in the location details
    assert "Mixed use" in second


@pytest.mark.parametrize("mode", ["down", "html_error"])
def test_the_service_down_with_nothing_cached_shows_a_plain_message(sandbox, signed_in, mode):
    street, city, state = demo_address("seed-sample")
    sandbox.fault_set(target="fcc", mode=mode)

    response = _page(signed_in, **check_params(street, city, state))

    # 200: the page is right (it says what happened, keeps the form, offers a retry), and htmx
    # swaps only 2xx answers into the page.
    assert response.status_code == 200
    html = response.content.decode()
    assert "The address service is unavailable right now" in html
    assert "Try again</a>" in html
    assert f'value="{street}"' in html
    assert "Traceback" not in html and "Exception" not in html
    assert latest_check().outcome == "unavailable"


def test_the_service_down_with_an_older_result_shows_it_marked_stale(sandbox, signed_in, settings):
    street, city, state = demo_address("seed-sample")
    _page(signed_in, **check_params(street, city, state))
    settings.SERVICEABILITY_CACHE_TTL = 0  # every fresh copy is now too old
    sandbox.fault_set(target="fcc", mode="down")

    html = _page(signed_in, **check_params(street, city, state)).content.decode()

    assert "The address service is unavailable right now; showing the result from" in html
    assert '<span class="badge badge-stale">Stale</span>' in html
    assert "Xfinity" in html


def test_provider_names_with_html_are_shown_as_text(signed_in, settings, transactional_db):
    body = json.loads((DATA / "seed-sample.json").read_text())
    rows = body["data"][0]["detail"]
    rows[1]["brand_name"] = "<script>alert('x')</script>Cable"
    rows[2]["brand_name"] = "<b>Bold</b> Fiber"
    rows[2]["technology_code_type"] = '<img src=x onerror="alert(1)">'
    with CraftedUpstream(json.dumps(body).encode()) as upstream:
        settings.SERVICEABILITY_URL = upstream.url

        html = _page(signed_in, **check_params("1 Test St", "Atlanta", "GA")).content.decode()
        check = latest_check()
        shared = signed_in.get(f"/check/{check.pk}/").content.decode()

    for page in (html, shared):
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;Cable" in page
        assert "&lt;b&gt;Bold&lt;/b&gt; Fiber" in page
        assert "<script>alert" not in page
        assert "<b>Bold" not in page
        assert "<img src=x" not in page


@pytest.mark.django_db
def test_it_requires_sign_in(client):
    response = client.get("/check/", check_params("55 Trinity Ave SW", "Atlanta", "GA"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/check/")
    assert AddressCheck.objects.count() == 0


@pytest.mark.django_db
def test_it_only_answers_get(signed_in):
    assert signed_in.post("/check/", check_params("55 Trinity Ave SW", "Atlanta", "GA")).status_code == 405


def test_the_page_has_no_inline_script_or_style(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")

    html = _page(signed_in, **check_params(street, city, state)).content.decode()

    assert "style=" not in html
    assert "hx-on" not in html
    assert "<script>" not in html


def test_the_colleagues_client_sees_the_same_cached_result(sandbox, signed_in, colleague):
    street, city, state = demo_address("seed-sample")
    _page(signed_in, **check_params(street, city, state))
    other = Client()
    other.force_login(colleague)

    html = _page(other, **check_params(street, city, state)).content.decode()

    assert upstream_calls(sandbox) == 1
    assert "from cache" in html


def test_a_check_keeps_its_providers_for_the_reports(sandbox, signed_in, owner):
    from serviceability.models import CheckProvider

    street, city, state = demo_address("seed-sample")
    _page(signed_in, **check_params(street, city, state))

    check = latest_check()
    rows = set(CheckProvider.objects.filter(check_ref=check).values_list("name", "technology", "user"))
    assert rows == {
        ("Crown Castle Fiber LLC", "Fiber", owner.pk),
        ("Xfinity", "Cable", owner.pk),
        ("AT&T Inc", "DSL", owner.pk),
    }


def test_the_lead_link_says_which_check_it_came_from_and_the_lead_keeps_it(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")
    html = _page(signed_in, **check_params(street, city, state)).content.decode()
    check = latest_check()
    path, query = _lead_link(html)
    assert query["from_check"] == [str(check.pk)]

    form = signed_in.get(path, {k: v[0] for k, v in query.items()}).content.decode()

    assert f'<input type="hidden" name="from_check" value="{check.pk}">' in form
