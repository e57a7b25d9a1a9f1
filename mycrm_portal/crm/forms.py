from django import forms


class CrmAccountForm(forms.Form):
    crm_username = forms.CharField(
        label="CRM username",
        max_length=100,
        help_text="The username you sign in to MyCRM with.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    access_key = forms.CharField(
        label="Access key",
        max_length=128,
        help_text="In MyCRM: your name (top right) → My Preferences → Access Key.",
        # Never rendered back into the page.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def clean_crm_username(self):
        return self.cleaned_data["crm_username"].strip()

    def clean_access_key(self):
        key = self.cleaned_data["access_key"].strip()
        if any(c.isspace() for c in key):
            raise forms.ValidationError("An access key has no spaces; copy it again from MyCRM.")
        return key
