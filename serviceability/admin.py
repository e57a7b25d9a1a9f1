"""Admin for address checks: filter, search and read; checks are records, so nothing is editable."""

import json

from django.contrib import admin
from django.utils.html import format_html

from serviceability.models import AddressCheck


@admin.register(AddressCheck)
class AddressCheckAdmin(admin.ModelAdmin):
    list_display = (
        "address",
        "user",
        "created_at",
        "outcome",
        "residential_level",
        "business_level",
        "from_cache",
    )
    list_filter = (
        "residential_level",
        "business_level",
        "state",
        "outcome",
        ("created_at", admin.DateFieldListFilter),
        "from_cache",
    )
    search_fields = ("street", "city", "normalized_key")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("user", "created_at", "outcome", "residential_level", "business_level")}),
        ("Address as typed", {"fields": ("street", "city", "state", "zip")}),
        ("Normalized", {"fields": ("unit", "normalized_key", "lookup")}),
        ("Result", {"fields": ("from_cache", "fetched_at", "duration_ms", "error_message", "snapshot_pretty")}),
    )
    readonly_fields = (
        "user",
        "created_at",
        "outcome",
        "residential_level",
        "business_level",
        "street",
        "city",
        "state",
        "zip",
        "unit",
        "normalized_key",
        "lookup",
        "from_cache",
        "fetched_at",
        "duration_ms",
        "error_message",
        "snapshot_pretty",
    )

    @admin.display(description="Address", ordering="street")
    def address(self, obj):
        return obj.address

    @admin.display(description="Snapshot")
    def snapshot_pretty(self, obj):
        text = json.dumps(obj.snapshot, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html('<pre class="snapshot">{}</pre>', text)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
