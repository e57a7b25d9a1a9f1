"""The portal's own record of a rep beyond Django's user: what a customer may see of them."""

from django.conf import settings
from django.db import models


class RepProfile(models.Model):
    """A rep's contact details for customers: the public share page shows their name, e-mail and
    this phone (optional) so that the customer can call back the person who sent the link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rep_profile")
    phone = models.CharField(
        "Phone for customers", max_length=40, blank=True, help_text="Shown on the pages you share with customers."
    )

    class Meta:
        verbose_name = "rep profile"

    def __str__(self):
        return f"Profile of {self.user}"


def rep_phone(user) -> str:
    """The rep's phone for customers, or ""."""
    if user is None or not user.pk:
        return ""
    profile = RepProfile.objects.filter(user=user).only("phone").first()
    return profile.phone if profile else ""


class Team(models.Model):
    """A sales team: its leads see and act on the work of its members (and of each other), in every
    list, page and report; see mycrm_portal/access.py for the rule."""

    name = models.CharField(max_length=100, unique=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="teams_led",
        blank=True,
        help_text="Team leads: they see the team's work.",
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
