"""What MyCRM stores for a Lead and a Contact: the seed document's fields, their CRM types, the
longest value the CRM keeps, and which of them are sensitive. The one home of these facts: forms,
masking, the admin, CSV export, log scrubbing and the after-sync deletion all ask here, so adding a
sensitive field is one `sensitive=True` below.

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
    # A sensitive value deleted locally once MyCRM holds it (only its last four characters stay).
    drop_after_sync: bool = False
    # A link may fill it in on a new form (an address check's "create a lead here"); never a sensitive one.
    prefill: bool = False
    mask_prefix: str = "****"  # what stands for the hidden part of a masked value
    label: str = ""  # a custom field's label in MyCRM (how its describe names it to people)

    def __post_init__(self):
        if self.sensitive and self.prefill:
            raise ValueError(f"{self.name}: a sensitive field never goes into a URL")
        if self.drop_after_sync and not self.sensitive:
            raise ValueError(f"{self.name}: only a sensitive field is dropped after sync")

    def masked(self, value: str) -> str:
        """How pages, the admin and exports show a sensitive value (value: the stored value, or for
        a field dropped after sync its last four characters). Non-sensitive values pass unchanged."""
        if not self.sensitive or not value:
            return value
        if self.type == DATE:
            return f"**/**/{value[:4]}"  # the year alone lets a rep confirm; the date stays encrypted
        return f"{self.mask_prefix}{value[-4:]}"


_UTM = (
    CrmField("utm_source", STRING, 255, custom=True, prefill=True, label="UTM Source"),
    CrmField("utm_medium", STRING, 255, custom=True, prefill=True, label="UTM Medium"),
    CrmField("utm_campaign", STRING, 255, custom=True, prefill=True, label="UTM Campaign"),
    CrmField("utm_content", STRING, 255, custom=True, prefill=True, label="UTM Content"),
    CrmField("utm_term", STRING, 255, custom=True, prefill=True, label="UTM Term"),
)

# Leads: the first field table of the seed document, in its order.
LEAD_FIELDS: tuple[CrmField, ...] = (
    CrmField("firstname", STRING, 40, required=True, prefill=True),
    CrmField("lastname", STRING, 80, required=True, prefill=True),
    CrmField("phone", PHONE, 50, prefill=True),
    CrmField("mobile", PHONE, 50, prefill=True),
    CrmField("leadsource", PICKLIST, 200, prefill=True),
    CrmField("email", EMAIL, 100, prefill=True),
    CrmField("business_name", STRING, 100, custom=True, prefill=True, label="Business Name"),
    CrmField("assigned_user_id", OWNER, required=True),
    CrmField("lane", TEXT, 250, prefill=True),
    CrmField("code", STRING, 30, prefill=True),
    CrmField("pobox", STRING, 30, prefill=True),
    CrmField("state", STRING, 30, prefill=True),
    CrmField("city", STRING, 30, prefill=True),
    CrmField("zip4", STRING, 4, custom=True, prefill=True, label="ZIP+4"),
    CrmField("apart", STRING, 30, custom=True, prefill=True, label="Apt/Unit"),
    CrmField("description", TEXT, 10000, prefill=True),
    *_UTM,
)

# Contacts: the second field table of the seed document, in its order.
CONTACT_FIELDS: tuple[CrmField, ...] = (
    CrmField("firstname", STRING, 40, required=True, prefill=True),
    CrmField("lastname", STRING, 80, required=True, prefill=True),
    CrmField("phone", PHONE, 50, prefill=True),
    CrmField("mobile", PHONE, 50, prefill=True),
    CrmField("homephone", PHONE, 50, prefill=True),
    CrmField("leadsource", PICKLIST, 200, prefill=True),
    CrmField("birthday", DATE, sensitive=True),
    CrmField("email", EMAIL, 100, prefill=True),
    CrmField("business_name", STRING, 100, custom=True, prefill=True, label="Business Name"),
    CrmField("assigned_user_id", OWNER, required=True),
    CrmField("is_customer", BOOLEAN, custom=True, label="Is Customer"),
    CrmField("mailingstreet", TEXT, 250, prefill=True),
    CrmField("mailingpobox", STRING, 30, prefill=True),
    CrmField("mailingstate", STRING, 40, prefill=True),
    CrmField("mailingcity", STRING, 40, prefill=True),
    CrmField("mailingzip", STRING, 30, prefill=True),
    CrmField("apart", STRING, 30, custom=True, prefill=True, label="Apt/Unit"),
    CrmField("zip4", STRING, 4, custom=True, prefill=True, label="ZIP+4"),
    CrmField("description", TEXT, 10000, prefill=True),
    CrmField("pager", PHONE, 50, custom=True, label="Pager"),
    CrmField("csg_number", STRING, 50, custom=True, label="CSG Number"),
    CrmField("spouse_name", STRING, 100, custom=True, label="Spouse Name"),
    CrmField("ssn", STRING, 11, custom=True, sensitive=True, drop_after_sync=True, mask_prefix="***-**-", label="SSN"),
    CrmField("service_dt", DATE, custom=True, label="Service Date"),
    CrmField("dl_license", STRING, 30, custom=True, sensitive=True, drop_after_sync=True, label="Driver's License"),
    CrmField("dl_state", STRING, 2, custom=True, label="Driver's License State"),
    CrmField("dl_expdate", DATE, custom=True, label="Driver's License Expiry"),
    *_UTM,
)

FIELDS_BY_MODULE = {"Leads": LEAD_FIELDS, "Contacts": CONTACT_FIELDS}


def field_map(module: str) -> dict[str, CrmField]:
    return {f.name: f for f in FIELDS_BY_MODULE[module]}


def field_names(module: str) -> list[str]:
    """Every field the portal sends for the module, in the seed document's order."""
    return [f.name for f in FIELDS_BY_MODULE[module]]


def sensitive_names(module: str) -> frozenset[str]:
    return frozenset(f.name for f in FIELDS_BY_MODULE[module] if f.sensitive)


def dropped_after_sync(module: str) -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS_BY_MODULE[module] if f.drop_after_sync)


def prefill_from(module: str, params) -> dict[str, str]:
    """What a link may fill in on a new form: the prefillable fields found in `params` (a query
    dict), each cut to 500 characters (a longer one is for the form to refuse, visibly). The one
    contract between a link's maker and the form (see prefill_query)."""
    values = {}
    for spec in FIELDS_BY_MODULE[module]:
        if spec.prefill and params.get(spec.name):
            values[spec.name] = str(params.get(spec.name))[:500]  # over-long stays visible, to be fixed
    return values


def prefill_query(module: str, **values: str) -> dict[str, str]:
    """The query parameters of a link that prefills a new form; refuses a field that cannot be
    prefilled (so a sensitive value can never be put into a URL by mistake)."""
    fields = field_map(module)
    for name in values:
        if name not in fields or not fields[name].prefill:
            raise ValueError(f"{name} cannot be prefilled on a new {module} form")
    return {name: value for name, value in values.items() if value}
