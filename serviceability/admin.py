"""Admin for address checks and their share links: filter, search and read; checks and links are
records, so nothing is editable. Staff revoke share links here."""

import json

from django.contrib import admin, messages
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html

from serviceability.models import AddressCheck, ShareLink
from serviceability.sharing import share_link_revoke


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


class ShareLinkStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ShareLink.Status.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == ShareLink.Status.ACTIVE:
            return queryset.active()
        if value == ShareLink.Status.EXPIRED:
            return queryset.expired()
        if value == ShareLink.Status.REVOKED:
            return queryset.revoked()
        return queryset


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Every customer share link, read-only; staff revoke them here. Only the prefix is shown: the
    database holds no token, just its hash, which is of no use to anyone and stays out of view."""

    list_display = ("link", "check_address", "created_by", "created_at", "expires_at", "revoked_at", "status")
    list_filter = (
        ShareLinkStatusFilter,
        ("created_by", admin.RelatedOnlyFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = ("address_check__street", "address_check__city", "address_check__normalized_key", "token_prefix")
    date_hierarchy = "created_at"
    list_select_related = ("address_check", "created_by")
    list_per_page = 50
    actions = ("revoke_selected",)
    fields = (
        "link",
        "check_link",
        "created_by",
        "created_at",
        "expires_at",
        "status",
        "revoked_at",
        "revoked_by",
    )
    readonly_fields = fields

    @admin.display(description="Link", ordering="token_prefix")
    def link(self, obj):
        return f"/s/{obj.token_prefix}…"

    @admin.display(description="Address", ordering="address_check__street")
    def check_address(self, obj):
        return obj.address_check.address

    @admin.display(description="Address check")
    def check_link(self, obj):
        url = reverse("admin:serviceability_addresscheck_change", args=[obj.address_check_id])
        return format_html('<a href="{}">{}</a>', url, obj.address_check.address)

    @admin.display(description="Status")
    def status(self, obj):
        return obj.get_status_display()

    @admin.action(description="Revoke selected share links", permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for link in queryset.filter(revoked_at__isnull=True):
            revoked += share_link_revoke(link=link, user=request.user)
        self.message_user(request, f"Revoked {revoked} share link{pluralize(revoked)}.", messages.SUCCESS)

    # Every staff member sees and revokes share links (as on the permalink page), whatever their
    # model permissions: a link sent to the wrong person must be stoppable by whoever is around.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_revoke_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
