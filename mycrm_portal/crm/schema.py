"""What MyCRM stores for a Lead and a Contact: the seed document's fields, their CRM types and the
longest value the CRM keeps.

A real vtiger cuts a longer value silently (lastname at 80 characters, capture 56), so the portal's
forms refuse anything longer than this, and the sandbox cuts at the same lengths. Stock vtiger
fields keep vtiger's column sizes; MyCRM's custom fields (business_name, zip4, apart, the utm
fields, ssn, ...) have the sizes below. Pure data: no Django, no HTTP.
"""

from dataclasses import dataclass

# CRM field types, as describe names them.
STRING = "string"
TEXT = "text"
PHONE = "phone"
EMAIL = "email"
PICKLIST = "picklist"
DATE = "date"
BOOLEAN = "boolean"
OWNER = "owner"

# Used when describe cannot be reached: the stock vtiger Lead Source picklist (capture 32).
DEFAULT_LEADSOURCES = (
    "Cold Call",
    "Existing Customer",
    "Self Generated",
    "Employee",
    "Partner",
    "Public Relations",
    "Direct Mail",
    "Conference",
    "Trade Show",
    "Web Site",
    "Word of mouth",
    "Other",
)


@dataclass(frozen=True)
class CrmField:
    name: str
    type: str
    max_length: int | None = None  # None: dates, booleans, owner ids
    required: bool = False  # required by the seed document (the CRM itself insists only on lastname and owner)
    custom: bool = False  # a MyCRM custom field, unknown to a stock vtiger
    sensitive: bool = False  # encrypted at rest, masked after entry, never in a URL, a cache or a log


_UTM = (
    CrmField("utm_source", STRING, 255, custom=True),
    CrmField("utm_medium", STRING, 255, custom=True),
    CrmField("utm_campaign", STRING, 255, custom=True),
    CrmField("utm_content", STRING, 255, custom=True),
    CrmField("utm_term", STRING, 255, custom=True),
)

# Leads: the first field table of the seed document, in its order.
LEAD_FIELDS: tuple[CrmField, ...] = (
    CrmField("firstname", STRING, 40, required=True),
    CrmField("lastname", STRING, 80, required=True),
    CrmField("phone", PHONE, 50),
    CrmField("mobile", PHONE, 50),
    CrmField("leadsource", PICKLIST, 200),
    CrmField("email", EMAIL, 100),
    CrmField("business_name", STRING, 100, custom=True),
    CrmField("assigned_user_id", OWNER, required=True),
    CrmField("lane", TEXT, 250),
    CrmField("code", STRING, 30),
    CrmField("pobox", STRING, 30),
    CrmField("state", STRING, 30),
    CrmField("city", STRING, 30),
    CrmField("zip4", STRING, 4, custom=True),
    CrmField("apart", STRING, 30, custom=True),
    CrmField("description", TEXT, 10000),
    *_UTM,
)

# Contacts: the second field table of the seed document, in its order.
CONTACT_FIELDS: tuple[CrmField, ...] = (
    CrmField("firstname", STRING, 40, required=True),
    CrmField("lastname", STRING, 80, required=True),
    CrmField("phone", PHONE, 50),
    CrmField("mobile", PHONE, 50),
    CrmField("homephone", PHONE, 50),
    CrmField("leadsource", PICKLIST, 200),
    CrmField("birthday", DATE, sensitive=True),
    CrmField("email", EMAIL, 100),
    CrmField("business_name", STRING, 100, custom=True),
    CrmField("assigned_user_id", OWNER, required=True),
    CrmField("is_customer", BOOLEAN, custom=True),
    CrmField("mailingstreet", TEXT, 250),
    CrmField("mailingpobox", STRING, 30),
    CrmField("mailingstate", STRING, 40),
    CrmField("mailingcity", STRING, 40),
    CrmField("mailingzip", STRING, 30),
    CrmField("apart", STRING, 30, custom=True),
    CrmField("zip4", STRING, 4, custom=True),
    CrmField("description", TEXT, 10000),
    CrmField("pager", PHONE, 50, custom=True),
    CrmField("csg_number", STRING, 50, custom=True),
    CrmField("spouse_name", STRING, 100, custom=True),
    CrmField("ssn", STRING, 11, custom=True, sensitive=True),
    CrmField("service_dt", DATE, custom=True),
    CrmField("dl_license", STRING, 30, custom=True, sensitive=True),
    CrmField("dl_state", STRING, 2, custom=True),
    CrmField("dl_expdate", DATE, custom=True),
    *_UTM,
)

FIELDS_BY_MODULE = {"Leads": LEAD_FIELDS, "Contacts": CONTACT_FIELDS}


def field_map(module: str) -> dict[str, CrmField]:
    return {f.name: f for f in FIELDS_BY_MODULE[module]}
