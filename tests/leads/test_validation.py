"""Every field's validation, with good and bad values: the portal is the only guard, since the CRM
stores a bad e-mail, any picklist value and an unreadable date without complaint."""

from datetime import date, timedelta

import pytest

from leads.forms import ContactForm, LeadForm
from mycrm_portal.crm.schema import CONTACT_FIELDS, LEAD_FIELDS

pytestmark = pytest.mark.django_db

LEAD = {"firstname": "Ann", "lastname": "Smith", "assigned_user_id": "self"}
CONTACT = {"firstname": "Bob", "lastname": "Jones", "assigned_user_id": "self"}


def lead_form(owner, **data):
    return LeadForm({**LEAD, **data}, user=owner)


def contact_form(owner, **data):
    return ContactForm({**CONTACT, **data}, user=owner)


def test_the_forms_have_every_seed_field_named_as_the_seed_names_it(owner):
    assert set(LeadForm(user=owner).fields) == {f.name for f in LEAD_FIELDS}
    assert set(ContactForm(user=owner).fields) == {f.name for f in CONTACT_FIELDS}


def test_a_minimal_lead_is_valid(owner):
    form = lead_form(owner)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("name", ["firstname", "lastname"])
@pytest.mark.parametrize("value", ["", "   "])
def test_names_are_required_and_not_only_spaces(owner, name, value):
    form = lead_form(owner, **{name: value})
    assert not form.is_valid()
    assert name in form.errors


@pytest.mark.parametrize(("name", "limit"), [("lastname", 80), ("firstname", 40), ("city", 30), ("lane", 250)])
def test_a_value_longer_than_the_crm_keeps_is_an_error_not_a_silent_cut(owner, name, limit):
    assert lead_form(owner, **{name: "x" * limit}).is_valid()
    form = lead_form(owner, **{name: "x" * (limit + 1)})
    assert not form.is_valid()
    assert f"at most {limit} characters" in form.errors[name][0]


@pytest.mark.parametrize("value", ["ann@example.com", "a.b+c@sub.example.org"])
def test_good_emails_pass(owner, value):
    assert lead_form(owner, email=value).is_valid()


@pytest.mark.parametrize("value", ["not-an-email", "a@b", "ann@", "@example.com"])
def test_bad_emails_are_refused(owner, value):
    form = lead_form(owner, email=value)
    assert not form.is_valid()
    assert "email" in form.errors


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("404-555-0123", "(404) 555-0123"),
        ("(212) 555 0199", "(212) 555-0199"),
        ("+1 415 555 2671", "(415) 555-2671"),
        ("4045550123 x12", "(404) 555-0123 ext. 12"),
    ],
)
def test_phones_are_shown_in_one_format(owner, typed, stored):
    form = lead_form(owner, phone=typed, mobile=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored == form.cleaned_data["mobile"]


@pytest.mark.parametrize("value", ["123", "555-123-4567", "+44 20 7946 0958", "call me"])
def test_bad_or_foreign_phones_are_refused(owner, value):
    form = lead_form(owner, phone=value)
    assert not form.is_valid()
    assert "US phone number" in form.errors["phone"][0]


@pytest.mark.parametrize("field", ["homephone", "pager"])
def test_contact_phones_are_checked_too(owner, field):
    assert not contact_form(owner, **{field: "12"}).is_valid()
    form = contact_form(owner, **{field: "404 555 0123"})
    assert form.is_valid()
    assert form.cleaned_data[field] == "(404) 555-0123"


def test_states_are_usps_codes(owner):
    assert lead_form(owner, state="GA").is_valid()
    assert not lead_form(owner, state="Georgia").is_valid()
    assert not lead_form(owner, state="XX").is_valid()
    assert contact_form(owner, mailingstate="TX", dl_state="CA").is_valid()
    assert "dl_state" in contact_form(owner, dl_state="ZZ").errors


def test_a_five_digit_zip_passes(owner):
    form = lead_form(owner, code="30303")
    assert form.is_valid()
    assert (form.cleaned_data["code"], form.cleaned_data["zip4"]) == ("30303", "")


@pytest.mark.parametrize("typed", ["30303-1234", "303031234", "30303 1234"])
def test_a_zip_plus_4_is_split_into_code_and_zip4(owner, typed):
    form = lead_form(owner, code=typed)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["code"], form.cleaned_data["zip4"]) == ("30303", "1234")


def test_a_contact_zip_plus_4_goes_to_mailingzip_and_zip4(owner):
    form = contact_form(owner, mailingzip="73301-0001")
    assert form.is_valid()
    assert (form.cleaned_data["mailingzip"], form.cleaned_data["zip4"]) == ("73301", "0001")


@pytest.mark.parametrize("typed", ["3030", "303031", "ABCDE", "30303-12"])
def test_bad_zips_are_refused(owner, typed):
    assert "code" in lead_form(owner, code=typed).errors


@pytest.mark.parametrize("typed", ["123", "12345", "abcd"])
def test_zip4_is_four_digits(owner, typed):
    assert "zip4" in lead_form(owner, zip4=typed).errors
    assert lead_form(owner, zip4="1234").is_valid()


def test_conflicting_zip4s_are_refused(owner):
    assert "zip4" in lead_form(owner, code="30303-1234", zip4="9999").errors


def test_a_birthday_is_a_past_date_sent_as_yyyy_mm_dd(owner):
    form = contact_form(owner, birthday="05/17/1980")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birthday"] == date(1980, 5, 17)
    form = contact_form(owner, birthday="1980-05-17")
    assert form.is_valid()
    assert form.cleaned_data["birthday"] == date(1980, 5, 17)


@pytest.mark.parametrize(
    "typed", [str(date.today()), str(date.today() + timedelta(days=3)), "1850-01-01", "17/05/1980", "not-a-date"]
)
def test_bad_birthdays_are_refused(owner, typed):
    assert "birthday" in contact_form(owner, birthday=typed).errors


@pytest.mark.parametrize("typed", ["123-45-6789", "123456789", "123 45 6789"])
def test_good_ssns_are_stored_in_one_format(owner, typed):
    form = contact_form(owner, ssn=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ssn"] == "123-45-6789"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("000-12-3456", "000, 666 or 9"),
        ("666-12-3456", "000, 666 or 9"),
        ("912-34-5678", "000, 666 or 9"),
        ("123-00-4567", "cannot be 00"),
        ("123-45-0000", "cannot be 0000"),
        ("12-345-6789", "9 digits"),
        ("abc", "9 digits"),
    ],
)
def test_ssns_follow_the_ssa_rules(owner, typed, reason):
    form = contact_form(owner, ssn=typed)
    assert not form.is_valid()
    assert reason in form.errors["ssn"][0]
    assert typed not in form.errors["ssn"][0]  # the message never repeats the value


def test_a_drivers_license_is_letters_and_digits(owner):
    form = contact_form(owner, dl_license="d123-456-789")
    assert form.is_valid()
    assert form.cleaned_data["dl_license"] == "D123456789"
    assert "dl_license" in contact_form(owner, dl_license="!!").errors


def test_license_and_service_dates_are_dates(owner):
    form = contact_form(owner, dl_expdate="2030-01-31", service_dt="12/01/2026")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["service_dt"] == date(2026, 12, 1)
    assert "dl_expdate" in contact_form(owner, dl_expdate="soon").errors


def test_lead_source_comes_from_the_picklist(owner):
    assert lead_form(owner, leadsource="Cold Call").is_valid()
    form = lead_form(owner, leadsource="NotAPicklistValue")
    assert "leadsource" in form.errors


def test_is_customer_is_a_checkbox(owner):
    checked, unchecked = contact_form(owner, is_customer="on"), contact_form(owner)
    assert checked.is_valid() and unchecked.is_valid()
    assert checked.cleaned_data["is_customer"] is True
    assert unchecked.cleaned_data["is_customer"] is False


def test_assigned_user_must_be_one_offered(owner):
    assert "assigned_user_id" in lead_form(owner, assigned_user_id="19x999").errors
    assert "assigned_user_id" in lead_form(owner, assigned_user_id="").errors


def test_utm_fields_are_kept_as_typed(owner):
    form = lead_form(owner, utm_source="google", utm_campaign="fall-fiber")
    assert form.is_valid()
    assert form.cleaned_data["utm_source"] == "google"
