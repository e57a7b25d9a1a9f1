"""A rep's CRM identity: which MyCRM user they act as, and the session the portal keeps for them.

The access key and the session id are encrypted at rest and never shown after entry.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from mycrm_portal.crypto import EncryptedTextField

from .schema import field_map


class CrmAccount(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crm_account")
    crm_username = models.CharField("CRM username", max_length=100)
    access_key = EncryptedTextField(
        "access key", help_text="From “My Preferences” in MyCRM. Stored encrypted; never shown again."
    )
    crm_user_id = models.CharField("CRM user id", max_length=32, blank=True, help_text="Like 19x5.")
    crm_name = models.CharField("name in the CRM", max_length=200, blank=True)
    crm_is_admin = models.BooleanField("CRM administrator", default=False)

    # The cached CRM session, shared by every process of the portal.
    session_name = EncryptedTextField(blank=True, default="")
    session_started_at = models.DateTimeField(null=True, blank=True)
    session_used_at = models.DateTimeField(null=True, blank=True)
    session_expires_at = models.DateTimeField(null=True, blank=True)

    last_verified_at = models.DateTimeField("last verified", null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    logins = models.PositiveIntegerField(default=0, help_text="CRM logins made for this account.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "CRM account"

    def __str__(self):
        return f"{self.user} → {self.crm_username}"

    @property
    def has_session(self) -> bool:
        return bool(self.session_name) and (self.session_expires_at is None or self.session_expires_at > timezone.now())


MODULE_CHOICES = [("Leads", "Leads"), ("Contacts", "Contacts")]


class CrmModuleFields(models.Model):
    """The fields MyCRM's describe listed for a module, as last fetched (name, label, type, mandatory)."""

    module = models.CharField(max_length=20, primary_key=True, choices=MODULE_CHOICES)
    fields = models.JSONField(default=list)
    fetched_at = models.DateTimeField()

    class Meta:
        verbose_name = "MyCRM module's fields"
        verbose_name_plural = "MyCRM modules' fields"

    def __str__(self):
        return f"{self.module}: {len(self.fields)} fields, fetched {self.fetched_at:%Y-%m-%d %H:%M}"


class CrmFieldChoice(models.Model):
    """What the portal does with one of its fields that MyCRM lacks (staff decide, in the admin)."""

    class Action(models.TextChoices):
        MAP = "map", "Send it to another MyCRM field"
        PORTAL = "portal", "Keep it in the portal only"
        HIDE = "hide", "Hide it from the forms"

    module = models.CharField(max_length=20, choices=MODULE_CHOICES)
    field = models.CharField("portal field", max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.PORTAL)
    crm_field = models.CharField(
        "MyCRM field", max_length=64, blank=True, help_text="For “send it to another MyCRM field”: like cf_854."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["module", "field"], name="crm_field_choice_unique")]
        ordering = ["module", "field"]

    def __str__(self):
        target = f" → {self.crm_field}" if self.action == self.Action.MAP else ""
        return f"{self.module}.{self.field}: {self.get_action_display()}{target}"

    def clean(self):
        if self.module and self.field not in field_map(self.module):
            raise ValidationError({"field": f"The portal has no {self.module} field named {self.field}."})
        if self.action == self.Action.MAP and not self.crm_field:
            raise ValidationError({"crm_field": "Name the MyCRM field to send it to."})
        if self.action != self.Action.MAP:
            self.crm_field = ""
