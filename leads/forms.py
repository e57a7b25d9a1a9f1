"""The Lead and Contact forms: every seed field, named exactly as the seed (and the CRM) names it.

Lengths come from mycrm_portal/crm/schema.py (what MyCRM stores), so a value the CRM would cut
silently is an error here instead. Sensitive fields are never rendered back once stored: the edit
form shows them masked and keeps the stored value when left empty.
"""

import uuid

from django import forms
from django.conf import settings

from mycrm_portal.crm.fieldfit import send_plan
from mycrm_portal.crm.schema import field_map, sensitive_names
from mycrm_portal.crm.selectors import crm_account_for
from serviceability.address import US_STATES

from . import validators
from .crm_options import SELF, assignee_choices, form_reads, leadsource_choices

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
# A choice that is not on the list: said without repeating what was sent (it can be anything, and long).
INVALID_CHOICE = "Choose one of the options in the list."
STATE_CHOICES = [("", "—")] + [(code, f"{code} – {name}") for code, name in US_STATES]


class AssigneeField(forms.ChoiceField):
    """The CRM user a record is assigned to. "Me" before the rep's CRM id is known (SELF) stays
    valid after it becomes known (a login between showing the form and posting it)."""

    def valid_value(self, value):
        return value == SELF or super().valid_value(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y"]


class SubmissionForm(forms.Form):
    """Shared behaviour: field lengths from the CRM schema, errors marked for screen readers,
    US phones, states, ZIP/ZIP+4 and the choices that come from the CRM."""

    module = ""
    zip_field = ""  # "code" (Leads) or "mailingzip" (Contacts): ZIP+4 typed here fills zip4
    phone_fields: tuple[str, ...] = ()
    fieldsets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __init__(self, *args, user, instance=None, validate_url="", **kwargs):
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)
        if validate_url:
            self._validate_while_typing(validate_url)
        crm_fields = field_map(self.module)
        for name, field in self.fields.items():
            spec = crm_fields.get(name)
            if spec and isinstance(field, forms.CharField) and not isinstance(field, forms.ChoiceField):
                # No maxlength attribute: a browser would cut a pasted value silently.
                field.max_length = spec.max_length
                field.validators.append(validators.mycrm_text(spec.max_length, keeps_4byte=settings.MYCRM_TEXT_4BYTE))
        found = form_reads(self.module)  # the cached lists and send plan, in one round trip
        self.fields["leadsource"].choices = [("", "—")] + [
            (v, v) for v in leadsource_choices(user=user, module=self.module, found=found)
        ]
        # The rep's CRM account, read once for the form, the page (crm_account in the template: its
        # names only) and, for a posted form, the send that follows (hence its secrets then).
        self.crm_account = crm_account_for(user=user, with_secrets=self.is_bound)
        self.fields["assigned_user_id"].choices = assignee_choices(user=user, account=self.crm_account, found=found)
        if instance is not None and instance.assigned_user_id:
            known = {value for value, _ in self.fields["assigned_user_id"].choices}
            if instance.assigned_user_id not in known:
                self.fields["assigned_user_id"].choices.append((instance.assigned_user_id, instance.assigned_user_id))
        # A value stored before the CRM's picklist changed stays selectable on the edit form.
        if instance is not None and instance.leadsource not in dict(self.fields["leadsource"].choices):
            self.fields["leadsource"].choices.append((instance.leadsource, instance.leadsource))
        for name in sensitive_names(self.module) & set(self.fields):
            self.fields[name].required = False
            masked = instance.display_value(name) if instance is not None else ""
            if masked:
                # The full value may no longer be here (dropped once in MyCRM); the CRM keeps it.
                self.fields[name].help_text = f"On file: {masked}. Leave empty to keep it; type to replace it."
        # Fields this MyCRM lacks (crm/fieldfit.py): hidden ones are not on the form, the others
        # are kept in the portal only, and the form says so.
        self.plan = send_plan(self.module, found=found)
        for name in self.plan.hidden:
            self.fields.pop(name, None)
        for name in self.plan.portal_only & set(self.fields):
            note = "Kept in the portal only: MyCRM has no such field."
            help_text = self.fields[name].help_text
            self.fields[name].help_text = f"{help_text} {note}".strip()

    def clean(self):
        cleaned = super().clean()
        for name in self.phone_fields:
            if name in cleaned and cleaned[name]:
                try:
                    cleaned[name] = validators.us_phone(cleaned[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        zip_value = cleaned.get(self.zip_field, "")
        if zip_value:
            try:
                five, four = validators.us_zip(zip_value)
            except forms.ValidationError as exc:
                self.add_error(self.zip_field, exc)
            else:
                cleaned[self.zip_field] = five
                if four:
                    if cleaned.get("zip4") and cleaned["zip4"] != four and "zip4" not in self.errors:
                        self.add_error("zip4", "This differs from the ZIP+4 typed in the ZIP field.")
                    else:
                        cleaned["zip4"] = four
        if cleaned.get("zip4"):
            try:
                cleaned["zip4"] = validators.zip4(cleaned["zip4"])
            except forms.ValidationError as exc:
                self.add_error("zip4", exc)
        return cleaned

    def _validate_while_typing(self, url):
        """Each field asks the server for its own errors as the rep types (htmx); the answer
        fills the field's error slot, so the input itself is never replaced under the cursor."""
        for name, field in self.fields.items():
            typing = isinstance(field.widget, (forms.TextInput, forms.EmailInput, forms.Textarea))
            field.widget.attrs.update(
                {
                    "hx-post": url,
                    "hx-trigger": "change, keyup changed delay:800ms" if typing else "change",
                    "hx-target": f"#errors-{name}",
                    "hx-swap": "innerHTML",
                    "hx-include": "closest form",
                    "hx-sync": "this:replace",
                }
            )

    def grouped(self):
        """The fields by fieldset, for the template."""
        groups = [(title, [self[name] for name in names if name in self.fields]) for title, names in self.fieldsets]
        return [(title, fields) for title, fields in groups if fields]


def _text(label, *, required=False, help_text="", **attrs):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        validators=[validators.not_blank] if required else [],
        widget=forms.TextInput(attrs=attrs),
    )


def _phone(label):
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "placeholder": validators.PHONE_EXAMPLE}),
    )


def _state(label, required=False):
    return forms.ChoiceField(
        label=label, required=required, choices=STATE_CHOICES, error_messages={"invalid_choice": INVALID_CHOICE}
    )


class UtmFields(forms.Form):
    """The campaign fields, filled from the form page's query string (?utm_source=...)."""

    utm_source = _text("UTM source")
    utm_medium = _text("UTM medium")
    utm_campaign = _text("UTM campaign")
    utm_content = _text("UTM content")
    utm_term = _text("UTM term")


class LeadForm(UtmFields, SubmissionForm):
    module = "Leads"
    zip_field = "code"
    phone_fields = ("phone", "mobile")
    fieldsets = (
        ("Person", ("firstname", "lastname", "phone", "mobile", "email", "business_name")),
        ("Address", ("lane", "apart", "city", "state", "code", "zip4", "pobox")),
        ("Sale", ("leadsource", "assigned_user_id", "description")),
        ("Campaign", UTM_FIELDS),
    )

    firstname = _text("First name", required=True, autocomplete="off")
    lastname = _text("Last name", required=True, autocomplete="off")
    phone = _phone("Phone")
    mobile = _phone("Mobile")
    leadsource = forms.ChoiceField(
        label="Lead source", required=False, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    email = forms.EmailField(label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    business_name = _text("Business name")
    assigned_user_id = AssigneeField(
        label="Assigned to", required=True, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    lane = _text("Street", autocomplete="off")
    code = _text("ZIP", inputmode="numeric", placeholder="30303 or 30303-1234")
    pobox = _text("PO box")
    state = _state("State")
    city = _text("City")
    zip4 = _text("ZIP+4", inputmode="numeric", placeholder="1234")
    apart = _text("Apt/Unit")
    description = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(UtmFields, SubmissionForm):
    module = "Contacts"
    zip_field = "mailingzip"
    phone_fields = ("phone", "mobile", "homephone", "pager")
    fieldsets = (
        (
            "Person",
            ("firstname", "lastname", "phone", "mobile", "homephone", "pager", "email", "birthday", "spouse_name"),
        ),
        ("Address", ("mailingstreet", "apart", "mailingcity", "mailingstate", "mailingzip", "zip4", "mailingpobox")),
        (
            "Account",
            (
                "business_name",
                "is_customer",
                "csg_number",
                "service_dt",
                "leadsource",
                "assigned_user_id",
                "description",
            ),
        ),
        ("Identity (stored encrypted, shown masked)", ("ssn", "dl_license", "dl_state", "dl_expdate")),
        ("Campaign", UTM_FIELDS),
    )

    firstname = _text("First name", required=True, autocomplete="off")
    lastname = _text("Last name", required=True, autocomplete="off")
    phone = _phone("Phone")
    mobile = _phone("Mobile")
    homephone = _phone("Home phone")
    leadsource = forms.ChoiceField(
        label="Lead source", required=False, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    birthday = forms.DateField(
        label="Birthday",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        validators=[validators.past_date],
    )
    email = forms.EmailField(label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    business_name = _text("Business name")
    assigned_user_id = AssigneeField(
        label="Assigned to", required=True, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    is_customer = forms.BooleanField(label="Already a customer", required=False)
    mailingstreet = _text("Street", autocomplete="off")
    mailingpobox = _text("PO box")
    mailingstate = _state("State")
    mailingcity = _text("City")
    mailingzip = _text("ZIP", inputmode="numeric", placeholder="30303 or 30303-1234")
    apart = _text("Apt/Unit")
    zip4 = _text("ZIP+4", inputmode="numeric", placeholder="1234")
    description = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pager = _phone("Pager")
    csg_number = _text("CSG account")
    spouse_name = _text("Spouse's name")
    ssn = forms.CharField(
        label="SSN",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "placeholder": "###-##-####"}),
    )
    service_dt = forms.DateField(
        label="Service date",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        validators=[validators.service_date],
    )
    dl_license = _text("Driver's license no.", autocomplete="off")
    dl_state = _state("License state")
    dl_expdate = forms.DateField(
        label="License expires",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        validators=[validators.license_expiry],
    )

    def clean_ssn(self):
        value = self.cleaned_data.get("ssn", "")
        return validators.ssn(value) if value else ""

    def clean_dl_license(self):
        value = self.cleaned_data.get("dl_license", "")
        return validators.drivers_license(value) if value else ""


FORMS = {"lead": LeadForm, "contact": ContactForm}


def form_token(raw) -> uuid.UUID:
    """A form's idempotency token as posted; a new one when it is missing or not a UUID."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return uuid.uuid4()
