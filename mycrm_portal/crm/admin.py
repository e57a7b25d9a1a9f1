"""Admins map portal users to CRM users here. The access key can be set, never read back."""

from django import forms
from django.contrib import admin
from django.db.models import Q

from mycrm_portal.models import Team

from .fieldfit import field_fit
from .models import CrmAccount, CrmFieldChoice, CrmModuleFields, CrmWrite


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


class CrmFieldChoiceForm(forms.ModelForm):
    class Meta:
        model = CrmFieldChoice
        fields = ["module", "field", "action", "crm_field"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Suggest the MyCRM custom field whose label matches (custom fields are cf_<n>).
        module = self.initial.get("module") or getattr(self.instance, "module", "")
        name = self.initial.get("field") or getattr(self.instance, "field", "")
        if module and name:
            fit = next((f for f in field_fit(module) if f.name == name), None)
            if fit is not None and fit.suggestion:
                self.fields["crm_field"].help_text = f"MyCRM's field labelled like it: {fit.suggestion}."


@admin.register(CrmFieldChoice)
class CrmFieldChoiceAdmin(admin.ModelAdmin):
    """Staff decide here what happens to a portal field MyCRM lacks (see the MyCRM fields page)."""

    form = CrmFieldChoiceForm
    list_display = ["module", "field", "action", "crm_field", "updated_at"]
    list_filter = ["module", "action"]
    search_fields = ["field", "crm_field"]


@admin.register(CrmModuleFields)
class CrmModuleFieldsAdmin(admin.ModelAdmin):
    list_display = ["module", "field_count", "fetched_at"]
    readonly_fields = ["module", "fields", "fetched_at"]

    @admin.display(description="fields")
    def field_count(self, obj):
        return len(obj.fields)

    def has_add_permission(self, request):
        return False  # read from MyCRM's describe

    def has_change_permission(self, request, obj=None):
        return False


class TeamFilter(admin.SimpleListFilter):
    """The writes of one team's people (its members and its leads)."""

    title = "team"
    parameter_name = "team"

    def lookups(self, request, model_admin):
        return [(str(team.pk), team.name) for team in Team.objects.all()]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        team = int(self.value())
        return queryset.filter(Q(user__teams=team) | Q(user__teams_led=team)).distinct()


@admin.register(CrmWrite)
class CrmWriteAdmin(admin.ModelAdmin):
    """The audit trail: read-only; rows go only when AUDIT_RETENTION_DAYS have passed."""

    list_display = (
        "at",
        "user",
        "crm_username",
        "operation",
        "module",
        "crm_id",
        "fields_sent",
        "outcome",
        "duration_ms",
    )
    list_filter = (
        "outcome",
        "operation",
        "module",
        ("at", admin.DateFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        TeamFilter,
    )
    search_fields = ("crm_id", "crm_username", "user__username")
    list_select_related = ("user",)
    show_full_result_count = False

    @admin.display(description="fields sent")
    def fields_sent(self, obj):
        return ", ".join(obj.fields)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
