"""URLs built from a stored check: its permalink, "check again", and "create a lead at this address".

The lead form (leads app) prefills its fields from the query parameters of lead_create_url; both
sides keep to mycrm_portal/crm/schema.py's prefill contract (prefill_query here, prefill_from there),
which refuses any sensitive field. Only the address and a one-line service summary go in.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from mycrm_portal.crm.schema import prefill_query
from serviceability.models import AddressCheck
from serviceability.presentation import summary_for

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
    code, _, zip4 = check.zip.partition("-")
    params = prefill_query(
        "Leads",
        lane=normalized.street,
        city=normalized.city,
        state=check.state,
        code=code,
        zip4=zip4,
        apart=check.unit,
        description=summary_for(check.result),
    )
    params["from_check"] = str(check.pk)  # not a CRM field: which check the lead came from
    return f"{path}?{urlencode(params)}"
