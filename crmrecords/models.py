"""A rep's change to a record that lives in MyCRM (not one the portal created), saved here before
MyCRM is called, so that an outage queues it instead of losing it.

The values are encrypted at rest (a change may hold an SSN); the history pages show only which
fields changed, never a sensitive value.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from mycrm_portal.crypto import EncryptedTextField


class RecordEdit(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Sending"
        SAVED = "saved", "In MyCRM"
        DIFFERS = "differs", "In MyCRM, with differences"
        QUEUED = "queued", "Queued"
        CONFLICT = "conflict", "Changed in MyCRM meanwhile: your choice is needed"
        REJECTED = "rejected", "Refused by MyCRM"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    module = models.CharField(max_length=20)
    crm_id = models.CharField("MyCRM id", max_length=32, db_index=True)
    record_name = models.CharField(max_length=200, blank=True)
    # {field: value} the rep set, and {field: value or hash} as MyCRM held them when the form opened.
    changes_json = EncryptedTextField(default="{}")
    base_json = EncryptedTextField(default="{}")
    fields = models.JSONField(default=list, help_text="The names of the fields changed.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error_code = models.CharField(max_length=64, blank=True)
    last_error_message = models.TextField(blank=True)
    # {field: what MyCRM holds now} for fields someone else changed too (None for a sensitive one).
    conflicts = models.JSONField(default=dict, blank=True)
    crm_differences = models.JSONField(default=dict, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["crm_id", "-created_at"], name="record_edit_recent")]

    def __str__(self):
        return f"{self.crm_id}: {', '.join(self.fields)} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse(f"crm_{self.kind}_detail", args=[self.crm_id])

    @property
    def kind(self) -> str:
        return "lead" if self.module == "Leads" else "contact"

    @property
    def changes(self) -> dict:
        return json.loads(self.changes_json or "{}")

    @changes.setter
    def changes(self, value: dict) -> None:
        self.changes_json = json.dumps(value)

    @property
    def base(self) -> dict:
        return json.loads(self.base_json or "{}")

    @base.setter
    def base(self, value: dict) -> None:
        self.base_json = json.dumps(value)
