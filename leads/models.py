"""Local records of what reps submit as Leads and Contacts, and every attempt to send them to MyCRM.

A submission is saved here before the CRM is called, so nothing a rep typed is lost whatever the
CRM does. Sensitive Contact fields (SSN, driver's license number, birthday) are encrypted at rest
and shown only masked; once a contact is synced the full SSN and license number are dropped.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse

from mycrm_portal.crm.records import record_web_url
from mycrm_portal.crm.schema import field_map
from mycrm_portal.crm.storage import REASONS
from mycrm_portal.crypto import EncryptedTextField


class Status(models.TextChoices):
    PENDING = "pending", "Sending"
    SYNCED = "synced", "In MyCRM"
    # MyCRM took it but holds something else than what the rep typed (or lacks a field): the
    # fields are listed in crm_differences. Never shown as a plain success.
    DIFFERS = "differs", "In MyCRM, with differences"
    QUEUED = "queued", "Queued"
    REJECTED = "rejected", "Rejected"


class Submission(models.Model):
    """What Leads and Contacts share: who, the sync state and the CRM's answer."""

    # The form's idempotency key: a double click or a reloaded POST finds this row again.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="submitted by"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The address check whose "Create a lead at this address" started it (the reports' conversion).
    from_check = models.ForeignKey(
        "serviceability.AddressCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    crm_id = models.CharField("CRM id", max_length=32, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error_code = models.CharField(max_length=64, blank=True)
    last_error_message = models.TextField(blank=True)
    last_error_field = models.CharField(max_length=64, blank=True)
    # Set when a create reached the CRM without a readable answer (a time-out): the CRM may hold
    # the record already, so it is looked for before anything is created again.
    create_unconfirmed = models.BooleanField(default=False)
    # When that create was sent: the CRM may still be working on it until CRM_REQUEST_MAX_SECONDS later.
    unconfirmed_since = models.DateTimeField(null=True, blank=True)
    # What MyCRM holds that differs from what the portal sent: {field: {"why": ..., "stored": ...}}
    # ("stored" is None for a sensitive field or one MyCRM lacks). See mycrm_portal/crm/storage.py.
    crm_differences = models.JSONField(default=dict, blank=True)
    # Fields changed since the last sync of a record that exists in the CRM: sent by revise.
    pending_changes = models.JSONField(default=dict, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The fields Leads and Contacts share, named as the seed (and the CRM) name them.
    firstname = models.CharField("first name", max_length=40)
    lastname = models.CharField("last name", max_length=80)
    phone = models.CharField(max_length=50, blank=True)
    mobile = models.CharField(max_length=50, blank=True)
    leadsource = models.CharField("lead source", max_length=200, blank=True)
    email = models.CharField(max_length=100, blank=True)
    business_name = models.CharField("business name", max_length=100, blank=True)
    assigned_user_id = models.CharField("assigned to", max_length=32)
    apart = models.CharField("apt/unit", max_length=30, blank=True)
    zip4 = models.CharField("ZIP+4", max_length=4, blank=True)
    description = models.TextField(blank=True)
    utm_source = models.CharField(max_length=255, blank=True)
    utm_medium = models.CharField(max_length=255, blank=True)
    utm_campaign = models.CharField(max_length=255, blank=True)
    utm_content = models.CharField(max_length=255, blank=True)
    utm_term = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    kind = ""  # "lead" | "contact"
    module = ""  # the CRM module

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(f"{self.kind}_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.firstname, self.lastname) if p) or f"{self.kind} #{self.pk}"

    @property
    def in_mycrm(self) -> bool:
        return self.status in (Status.SYNCED, Status.DIFFERS)

    @property
    def city_display(self) -> str:
        """The customer's city, whichever module's field holds it."""
        return getattr(self, "city", "") or getattr(self, "mailingcity", "")

    @property
    def crm_web_url(self) -> str:
        """The record in MyCRM's own web UI ("" before MyCRM has given it an id)."""
        return record_web_url(self.module, self.crm_id) if self.crm_id else ""

    @property
    def in_doubt(self) -> bool:
        """A create that may have reached MyCRM: it is looked for before anything is sent again."""
        return self.create_unconfirmed and not self.crm_id

    @property
    def looked_for_after(self):
        """When an in-doubt create may be looked for (the CRM may still be working on it before)."""
        if not self.in_doubt or self.unconfirmed_since is None:
            return None
        return self.unconfirmed_since + timedelta(seconds=settings.CRM_REQUEST_MAX_SECONDS)

    def differences_list(self) -> list[tuple[str, str, str | None]]:
        """(field, why in words, what MyCRM holds or None) for the record page and the admin."""
        return [
            (name, REASONS.get(entry.get("why"), entry.get("why", "")), entry.get("stored"))
            for name, entry in sorted(self.crm_differences.items())
        ]

    def display_value(self, name: str):
        """A field as pages, the admin and exports show it: sensitive ones (as the schema says)
        masked. A value dropped after sync is masked from the last four characters kept."""
        spec = field_map(self.module).get(name)
        if spec is None or not spec.sensitive:
            return getattr(self, name)
        return spec.masked(getattr(self, f"{name}_last4", "") if spec.drop_after_sync else getattr(self, name))


class Lead(Submission):
    kind = "lead"
    module = "Leads"

    lane = models.CharField("street", max_length=250, blank=True)
    code = models.CharField("ZIP", max_length=30, blank=True)
    pobox = models.CharField("PO box", max_length=30, blank=True)
    state = models.CharField(max_length=30, blank=True)
    city = models.CharField(max_length=30, blank=True)

    class Meta(Submission.Meta):
        indexes = [
            models.Index(fields=["submitted_by", "-created_at"], name="lead_by_user_recent"),
            models.Index(fields=["status", "-created_at"], name="lead_status_recent"),
        ]


class Contact(Submission):
    kind = "contact"
    module = "Contacts"

    homephone = models.CharField("home phone", max_length=50, blank=True)
    birthday = EncryptedTextField(blank=True, default="")  # YYYY-MM-DD
    is_customer = models.BooleanField("already a customer", default=False)
    mailingstreet = models.CharField("street", max_length=250, blank=True)
    mailingpobox = models.CharField("PO box", max_length=30, blank=True)
    mailingstate = models.CharField("state", max_length=40, blank=True)
    mailingcity = models.CharField("city", max_length=40, blank=True)
    mailingzip = models.CharField("ZIP", max_length=30, blank=True)
    pager = models.CharField(max_length=50, blank=True)
    csg_number = models.CharField("CSG account", max_length=50, blank=True)
    spouse_name = models.CharField("spouse's name", max_length=100, blank=True)
    ssn = EncryptedTextField("SSN", blank=True, default="")
    ssn_last4 = models.CharField(max_length=4, blank=True)
    service_dt = models.DateField("service date", null=True, blank=True)
    dl_license = EncryptedTextField("driver's license", blank=True, default="")
    dl_license_last4 = models.CharField(max_length=4, blank=True)
    dl_state = models.CharField("license state", max_length=2, blank=True)
    dl_expdate = models.DateField("license expires", null=True, blank=True)
    # The MyCRM Lead (its webservice id) this contact was converted from, if it was.
    converted_from_lead = models.CharField("converted from lead", max_length=32, blank=True, db_index=True)
    # When MyCRM says that lead is already converted: the contact it became, if MyCRM could tell.
    lead_contact_id = models.CharField("the lead's existing contact", max_length=32, blank=True)

    class Meta(Submission.Meta):
        indexes = [
            models.Index(fields=["submitted_by", "-created_at"], name="contact_by_user_recent"),
            models.Index(fields=["status", "-created_at"], name="contact_status_recent"),
        ]


SUBMISSION_MODELS: dict[str, type[Submission]] = {"lead": Lead, "contact": Contact}
# How pages name each kind: (singular, plural).
KIND_LABELS = {"lead": ("Lead", "Leads"), "contact": ("Contact", "Contacts")}


class SyncAttempt(models.Model):
    """One try at sending a submission to MyCRM: when, what, how it ended."""

    class Outcome(models.TextChoices):
        SYNCED = "synced", "Synced"
        FOUND = "found", "Found already in MyCRM"
        QUEUED = "queued", "CRM unavailable, queued"
        REJECTED = "rejected", "Rejected by MyCRM"

    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.CASCADE, related_name="sync_attempts")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="sync_attempts")
    at = models.DateTimeField(auto_now_add=True)
    operation = models.CharField(max_length=16)  # create, revise, reconcile
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    crm_id = models.CharField("CRM id", max_length=32, blank=True)
    triggered_by = models.CharField(
        max_length=150, blank=True, help_text="The rep, a staff member, or the retry worker."
    )
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False, contact__isnull=True)
                | models.Q(lead__isnull=True, contact__isnull=False),
                name="sync_attempt_of_one_submission",
            )
        ]

    def __str__(self):
        return f"{self.operation} → {self.outcome} at {self.at:%Y-%m-%d %H:%M:%S}"
