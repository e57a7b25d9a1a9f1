"""Checks the CRM does not make: a real vtiger stores a bad e-mail, any picklist value and a date it
cannot read (as 0000-00-00) without complaint, so the portal is the only guard.

Each function takes what a rep typed and returns the one form the CRM receives, or raises a
ValidationError whose message a rep understands. Messages never repeat a sensitive value.
"""

import re
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError

from mycrm_portal.crm import storage

PHONE_EXAMPLE = "(404) 555-0123"


def ascii_digits(value: str, *, what: str) -> str:
    """Digits typed as 0-9 only: full-width or Arabic-Indic digits look right but are not."""
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in value):
        raise ValidationError(f"Type the {what} with the digits 0-9.", code="ascii_digits")
    return value


def us_phone(value: str) -> str:
    """A US phone number in one format: (404) 555-0123, with " ext. 12" when given."""
    ascii_digits(value, what="phone number")
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise ValidationError(f"Enter a US phone number, like {PHONE_EXAMPLE}.", code="phone")
    if not phonenumbers.is_valid_number_for_region(number, "US"):
        raise ValidationError(
            f"That is not a valid US phone number (10 digits with a real area code, like {PHONE_EXAMPLE}).",
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


_ZIP = re.compile(r"([0-9]{5})(?:[-\s]?([0-9]{4}))?")


def us_zip(value: str) -> tuple[str, str]:
    """ZIP or ZIP+4 → (five digits, four digits or '')."""
    match = _ZIP.fullmatch(value.strip())
    if not match:
        raise ValidationError("Enter a 5-digit ZIP code, or ZIP+4 like 30303-1234.", code="zip")
    return match.group(1), match.group(2) or ""


def zip4(value: str) -> str:
    if not re.fullmatch(r"[0-9]{4}", value.strip()):
        raise ValidationError("ZIP+4 is the 4 digits after the ZIP code.", code="zip4")
    return value.strip()


_SSN = re.compile(r"([0-9]{3})-?([0-9]{2})-?([0-9]{4})")


def ssn(value: str) -> str:
    """An SSN as ###-##-####, by the SSA's rules: no area 000, 666 or 9xx, no group 00, no serial 0000."""
    match = _SSN.fullmatch(re.sub(r"\s", "", value))
    if not match:
        raise ValidationError("Enter the SSN as 9 digits, like 123-45-6789.", code="ssn")
    area, group, serial = match.groups()
    if area in ("000", "666") or area.startswith("9"):
        raise ValidationError("That is not a valid SSN: it cannot start with 000, 666 or 9.", code="ssn_area")
    if group == "00":
        raise ValidationError("That is not a valid SSN: the middle two digits cannot be 00.", code="ssn_group")
    if serial == "0000":
        raise ValidationError("That is not a valid SSN: the last four digits cannot be 0000.", code="ssn_serial")
    return f"{area}-{group}-{serial}"


def drivers_license(value: str) -> str:
    cleaned = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"[A-Z0-9*]{4,30}", cleaned):
        raise ValidationError(
            "Enter the license number as printed: letters and digits only (4 to 30).", code="dl_license"
        )
    return cleaned


def past_date(value: date) -> date:
    if value >= date.today():
        raise ValidationError("A birthday must be in the past.", code="future")
    if value.year < 1900:
        raise ValidationError("Enter a birthday after 1900.", code="too_old")
    return value


def date_within(*, what: str, years_back: int, years_ahead: int):
    """A validator for a plausible date: no more than `years_back` before today, `years_ahead` after."""

    def validate(value: date) -> date:
        today = date.today()
        earliest = today.replace(year=today.year - years_back, day=min(today.day, 28))
        latest = today.replace(year=today.year + years_ahead, day=min(today.day, 28))
        if not earliest <= value <= latest:
            raise ValidationError(
                f"Enter {what} between {earliest:%m/%d/%Y} and {latest:%m/%d/%Y}.", code="out_of_range"
            )
        return value

    return validate


# A driver's license is valid for up to ~12 years; one expired over 30 years ago is a typo.
license_expiry = date_within(what="a license expiry date", years_back=30, years_ahead=15)
# A service (install) date: the customer's past service or one being scheduled.
service_date = date_within(what="a service date", years_back=50, years_ahead=5)


def mycrm_text(max_length: int | None, *, keeps_4byte: bool):
    """A validator for text MyCRM stores: no 4-byte character it would turn into ???? (unless this
    MyCRM keeps them), and no value whose stored form is longer than MyCRM's field, counting
    characters the way MyCRM does (the script rule encodes < > " first, crm/storage.py)."""

    def validate(value: str) -> None:
        lost = storage.four_byte_characters(value)
        if lost and not keeps_4byte:
            shown = " ".join(lost[:5])
            raise ValidationError(f"MyCRM cannot store {shown}: remove it.", code="four_byte")
        if not max_length:
            return
        length = storage.stored_length(value, keeps_4byte=keeps_4byte)
        if length > max_length:
            if storage.under_script_rule(value) and len(value) <= max_length:
                raise ValidationError(
                    f"MyCRM keeps at most {max_length} characters here. Text containing “script” is stored with "
                    f'< > " written out (&lt; &gt; &quot;), which makes this {length}: shorten it.',
                    code="max_length",
                )
            raise ValidationError(
                f"MyCRM keeps at most {max_length} characters here (this has {length}).", code="max_length"
            )

    return validate


def not_blank(value: str) -> str:
    if not value.strip():
        raise ValidationError("This field cannot be only spaces.", code="blank")
    return value
