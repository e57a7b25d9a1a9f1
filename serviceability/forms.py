"""The address form: street, city, a USPS state code, and an optional ZIP carried to the lead."""

import re

from django import forms

from serviceability.address import US_STATES

ZIP_PATTERN = r"[0-9]{5}(-[0-9]{4})?"  # ASCII digits: \d would take full-width ones too
_ZIP_RE = re.compile(ZIP_PATTERN)


class StateField(forms.ChoiceField):
    """A state select that also takes a lower-case code from a hand-typed link (``state=ga``)."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class AddressCheckForm(forms.Form):
    street = forms.CharField(
        max_length=200,
        help_text="House number and street; an apartment or unit may follow (Apt 4).",
        widget=forms.TextInput(attrs={"autocomplete": "address-line1", "placeholder": "55 Trinity Ave SW Apt 4"}),
    )
    city = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    state = StateField(
        choices=[("", "Choose…"), *((code, f"{code} · {name}") for code, name in US_STATES)],
        error_messages={"invalid_choice": "Choose a US state code from the list (for example GA)."},
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    zip = forms.CharField(
        label="ZIP",
        required=False,
        max_length=10,
        help_text="Optional; not used for the check, carried into a lead.",
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "pattern": ZIP_PATTERN, "size": 10}
        ),
    )

    def clean_zip(self):
        value = self.cleaned_data["zip"].replace(" ", "")
        if value and not _ZIP_RE.fullmatch(value):
            raise forms.ValidationError("Enter 5 digits, or ZIP+4 as 12345-6789.")
        return value

    def clean_street(self):
        value = " ".join(self.cleaned_data["street"].split())
        if not any(ch.isalnum() for ch in value):
            raise forms.ValidationError("Enter a house number and street.")
        return value

    def clean_city(self):
        value = " ".join(self.cleaned_data["city"].split())
        if not any(ch.isalpha() for ch in value):
            raise forms.ValidationError("Enter the city.")
        return value


def has_address_params(query) -> bool:
    """Whether a GET asks for a check (any address field present), rather than the empty form."""
    return any(name in query for name in ("street", "city", "state"))
