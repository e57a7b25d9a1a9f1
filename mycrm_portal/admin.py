"""Teams (who leads whom) and the reps' profiles, managed by staff in the admin."""

from django.contrib import admin

from .models import RepProfile, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "lead_names", "member_count")
    search_fields = ("name", "leads__username", "members__username")
    filter_horizontal = ("leads", "members")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("leads", "members")

    @admin.display(description="leads")
    def lead_names(self, team):
        return ", ".join(user.get_full_name() or user.get_username() for user in team.leads.all()) or "—"

    @admin.display(description="members")
    def member_count(self, team):
        return len(team.members.all())


@admin.register(RepProfile)
class RepProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "phone")
    search_fields = ("user__username", "user__first_name", "user__last_name", "phone")
    list_select_related = ("user",)
