"""The rep's profile form: their name, e-mail and the phone customers may call."""

from django import forms

from leads.validators import PHONE_EXAMPLE, us_phone


class ProfileForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(
        label="Phone for customers",
        required=False,
        max_length=40,
        help_text="Optional. Shown, with your name and e-mail, on the pages you share with customers.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "placeholder": PHONE_EXAMPLE}),
    )

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return us_phone(value) if value else ""
