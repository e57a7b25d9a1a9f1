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


class CrmWrite(models.Model):
    """One create, update, revise or convert the portal sent to MyCRM, whoever asked for it: the
    audit trail. It names the fields sent, never their values (some are sensitive), and is kept
    for AUDIT_RETENTION_DAYS (pruned by a task the writes themselves schedule once a day)."""

    class Operation(models.TextChoices):
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        REVISE = "revise", "Revise"
        CONVERT = "convertlead", "Convert lead"

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        REFUSED = "refused", "Refused by MyCRM"
        UNAVAILABLE = "unavailable", "MyCRM unavailable (not done)"
        IN_DOUBT = "in_doubt", "No answer in time (may be done)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="crm_writes"
    )
    crm_username = models.CharField("CRM user", max_length=100, blank=True)
    at = models.DateTimeField(default=timezone.now)
    operation = models.CharField(max_length=20, choices=Operation.choices)
    module = models.CharField(max_length=20, blank=True)
    crm_id = models.CharField("MyCRM id", max_length=32, blank=True)
    fields = models.JSONField("fields sent", default=list)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    error_code = models.CharField(max_length=64, blank=True)
    duration_ms = models.PositiveIntegerField("duration (ms)")

    class Meta:
        verbose_name = "CRM write"
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["at"], name="crm_write_at_idx"),
            models.Index(fields=["user", "at"], name="crm_write_user_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_operation_display()} {self.crm_id or self.module} by {self.crm_username or '?'}"
