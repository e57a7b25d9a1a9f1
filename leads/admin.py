"""Admins see every submission: status, history and errors; they can resend and export.

Sensitive Contact fields are never shown or exported in full: the admin shows them masked and
has no form field that could reveal them.
"""

import csv

from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.utils import timezone

from mycrm_portal.crm.schema import sensitive_names
from mycrm_portal.paginator import capped_paginator
from mycrm_portal.spreadsheet import safe_cell

from .forms import FORMS
from .models import Contact, Lead, Status, SyncAttempt
from .payload import crm_fields
from .sending import submission_resend


class SyncAttemptInline(admin.TabularInline):
    model = SyncAttempt
    extra = 0
    can_delete = False
    fields = ["at", "operation", "outcome", "crm_id", "error_code", "error_message", "triggered_by", "duration_ms"]
    readonly_fields = fields
    ordering = ["-at"]
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _Echo:
    def write(self, value):
        return value


class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["name", "status_badge", "crm_id", "submitted_by", "created_at"]
    list_filter = ["status", "submitted_by", "created_at"]
    search_fields = ["firstname", "lastname", "email", "phone", "mobile", "crm_id"]
    date_hierarchy = "created_at"
    list_select_related = ["submitted_by"]
    list_per_page = 50
    # Counting stops at 10,000 rows and the unfiltered total is not counted at all: the changelist
    # costs the same with a thousand submissions or a million. Filters reach the older ones.
    paginator = capped_paginator(10_000)
    show_full_result_count = False
    actions = ["resend_selected", "export_csv"]
    readonly_fields = [
        "status",
        "crm_id",
        "attempts",
        "last_error_code",
        "last_error_message",
        "last_error_field",
        "create_unconfirmed",
        "unconfirmed_since",
        "crm_differences",
        "pending_changes",
        "next_attempt_at",
        "first_attempt_at",
        "synced_at",
        "submitted_by",
        "created_at",
        "updated_at",
    ]

    def get_inlines(self, request, obj):
        return (
            [type(f"{self.model.__name__}SyncAttemptInline", (SyncAttemptInline,), {"fk_name": obj.kind})]
            if obj
            else []
        )

    @admin.display(description="name", ordering="lastname")
    def name(self, obj):
        return obj.name

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        if obj.in_doubt:
            return "In doubt (MyCRM may hold it; looked for before it is sent again)"
        return obj.get_status_display()

    def has_add_permission(self, request):
        return False  # submissions come from reps' forms, which validate what the CRM does not

    def has_change_permission(self, request, obj=None):
        # Changes go through the portal's edit page, which sends them to MyCRM; an edit here
        # would leave the CRM record behind.
        return False

    @admin.action(description="Resend the selected to MyCRM", permissions=["view"])
    def resend_selected(self, request, queryset):
        counts = {}
        for submission in queryset.exclude(status__in=[Status.SYNCED, Status.DIFFERS], pending_changes={}):
            status = submission_resend(submission=submission, actor=f"staff: {request.user.get_username()}")
            counts[status] = counts.get(status, 0) + 1
        if not counts:
            self.message_user(request, "Nothing to resend: the selected are all in MyCRM.", messages.INFO)
            return
        summary = ", ".join(f"{n} {dict(Status.choices)[s].lower()}" for s, n in sorted(counts.items()))
        self.message_user(request, f"Resent: {summary}.", messages.SUCCESS)

    @admin.action(description="Export the selected as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        columns = ["id", "status", "crm_id", "submitted_by", "created_at", *self.export_fields]
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(columns)
            for obj in queryset.select_related("submitted_by").iterator():
                yield writer.writerow([_csv_value(obj, name) for name in columns])

        name = f"{self.model._meta.verbose_name_plural}-{timezone.now():%Y%m%d-%H%M}.csv"
        response = StreamingHttpResponse(rows(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @property
    def export_fields(self):
        return crm_fields(self.model.kind)

    def get_fieldsets(self, request, obj=None):
        """The portal form's groups; a sensitive field (as the schema says) only masked."""
        hidden = sensitive_names(self.model.module)
        groups = []
        for title, names in FORMS[self.model.kind].fieldsets:
            fields = [_masked_display(self.model, name) if name in hidden else name for name in names]
            groups.append((title, {"fields": fields, "classes": ["collapse"] if title == "Campaign" else []}))
        return [*groups, ("MyCRM", {"fields": self.readonly_fields})]


def _csv_value(obj, name):
    value = obj.submitted_by.get_username() if name == "submitted_by" else obj.display_value(name)
    return safe_cell(value)


def _masked_display(model, name):
    """A read-only admin field that shows one sensitive value masked, never in full."""

    def masked(obj):
        return obj.display_value(name) or "—"

    masked.short_description = model._meta.get_field(name).verbose_name
    masked.__name__ = f"{name}_masked"
    return masked


@admin.register(Lead)
class LeadAdmin(SubmissionAdmin):
    pass


@admin.register(Contact)
class ContactAdmin(SubmissionAdmin):
    pass
