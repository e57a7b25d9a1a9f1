"""Admins map portal users to CRM users here. The access key can be set, never read back."""

from django import forms
from django.contrib import admin

from .models import CrmAccount


class CrmAccountAdminForm(forms.ModelForm):
    new_access_key = forms.CharField(
        label="Access key",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Set or replace the access key; leave empty to keep the current one. It is never shown.",
    )

    class Meta:
        model = CrmAccount
        fields = ["user", "crm_username"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("new_access_key"):
            self.add_error("new_access_key", "A new CRM account needs its access key.")
        return cleaned

    def save(self, commit=True):
        account = super().save(commit=False)
        key = self.cleaned_data.get("new_access_key", "").strip()
        if key or "crm_username" in self.changed_data:
            if key:
                account.access_key = key
            # New credentials: the old session belongs to the old identity.
            account.session_name = ""
            account.session_expires_at = None
        if commit:
            account.save()
        return account


@admin.register(CrmAccount)
class CrmAccountAdmin(admin.ModelAdmin):
    form = CrmAccountAdminForm
    list_display = [
        "user",
        "crm_username",
        "crm_user_id",
        "crm_name",
        "session_active",
        "last_verified_at",
        "last_error",
    ]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "crm_username", "crm_user_id"]
    list_filter = ["crm_is_admin"]
    readonly_fields = [
        "crm_user_id",
        "crm_name",
        "crm_is_admin",
        "last_verified_at",
        "last_error",
        "logins",
        "session_active",
    ]
    autocomplete_fields = ["user"]

    @admin.display(boolean=True, description="session")
    def session_active(self, obj):
        return obj.has_session
