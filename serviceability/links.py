"""URLs built from a stored check: its permalink, "check again", and "create a lead at this address".

The lead form (leads app) prefills its fields from the query parameters named here: lane, city,
state, code, zip4, apart, description. Nothing sensitive goes into these URLs: only the address and
a one-line service summary.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from serviceability.models import AddressCheck
from serviceability.presentation import result_from_snapshot, summary_for

LEAD_CREATE_FALLBACK = "/leads/new/"


def check_url(*, street: str, city: str, state: str, zip_code: str = "", audience: str = "") -> str:
    params = {"street": street, "city": city, "state": state}
    if zip_code:
        params["zip"] = zip_code
    if audience and audience != "all":
        params["audience"] = audience
    return f"{reverse('address_check')}?{urlencode(params)}"


def check_again_url(check: AddressCheck) -> str:
    return check_url(street=check.street, city=check.city, state=check.state, zip_code=check.zip)


def audience_url(check: AddressCheck, audience: str) -> str:
    """The stored result with another residential/business filter: no new check, no upstream call."""
    path = check.get_absolute_url()
    return path if audience == "all" else f"{path}?{urlencode({'audience': audience})}"


def lead_create_url(check: AddressCheck) -> str:
    try:
        path = reverse("lead_create")
    except NoReverseMatch:  # the leads app is not mounted (yet)
        path = LEAD_CREATE_FALLBACK
    normalized = check.normalized
    params = {"lane": normalized.street, "city": normalized.city, "state": check.state}
    if check.zip:
        code, _, zip4 = check.zip.partition("-")
        params["code"] = code
        if zip4:
            params["zip4"] = zip4
    if check.unit:
        params["apart"] = check.unit
    summary = summary_for(result_from_snapshot(check.snapshot))
    if summary:
        params["description"] = summary
    return f"{path}?{urlencode(params)}"
