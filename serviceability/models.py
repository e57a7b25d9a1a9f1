"""AddressCheck: one stored address check, the record behind history, share links and the admin;
ShareLink: a public link to a check's public (FCC) data that a rep sends a customer.

A check keeps the address as the rep typed it, its normalized key and lookup, the outcome, and a
snapshot of the parsed result (``ServiceabilityResult.to_dict()``), so that a shared link shows what
the rep saw without asking the service again. It must never store the raw upstream body.

A share link stores only the SHA-256 hash of its token and the token's first characters (to tell
links apart): it must never store the token itself, so that a leaked database opens no link.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from serviceability.address import NormalizedAddress, normalize_address
from serviceability.parser import ServiceabilityResult

SNAPSHOT_FORMAT = 1


class AddressCheck(models.Model):
    class Outcome(models.TextChoices):
        FOUND = "found", "Found"
        NO_MATCH = "no_match", "No location found"
        UNAVAILABLE = "unavailable", "Service unavailable"
        STALE = "stale", "Stale result shown"

    class Level(models.TextChoices):
        SERVED = "served", "Served"
        UNDERSERVED = "underserved", "Underserved"
        UNSERVED = "unserved", "Unserved"

    # SET_NULL: a shared link keeps working after the rep's account is removed.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="address_checks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # As typed (whitespace trimmed).
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    zip = models.CharField("ZIP", max_length=10, blank=True)

    # Normalized.
    unit = models.CharField(max_length=60, blank=True)
    normalized_key = models.CharField(max_length=300)
    lookup = models.CharField(max_length=300)

    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    from_cache = models.BooleanField(default=False)
    fetched_at = models.DateTimeField(null=True, blank=True, help_text="When the shown data came from the service.")
    snapshot = models.JSONField(default=dict, blank=True)
    # NULL, not "", when no location was found: "no level" is not a level, and the admin filter says so.
    residential_level = models.CharField(max_length=20, choices=Level.choices, null=True, blank=True)  # noqa: DJ001
    business_level = models.CharField(max_length=20, choices=Level.choices, null=True, blank=True)  # noqa: DJ001
    error_message = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="svc_check_user_recent"),
            models.Index(fields=["-created_at"], name="svc_check_recent"),
            models.Index(fields=["normalized_key"], name="svc_check_key"),
        ]

    def __str__(self):
        return f"{self.address} ({self.get_outcome_display()})"

    def get_absolute_url(self):
        return reverse("address_check_detail", args=[self.pk])

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}, {self.state}" + (f" {self.zip}" if self.zip else "")

    @property
    def normalized(self) -> NormalizedAddress:
        return normalize_address(self.street, self.city, self.state)

    @cached_property
    def result(self) -> ServiceabilityResult | None:
        """The stored result, parsed from the snapshot once per instance (every page reads it)."""
        snapshot = self.snapshot
        if not isinstance(snapshot, dict) or not isinstance(snapshot.get("result"), dict):
            return None
        return ServiceabilityResult.from_dict(snapshot["result"])


class ShareLinkQuerySet(models.QuerySet):
    def active(self, *, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def expired(self, *, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__lte=now or timezone.now())

    def revoked(self):
        return self.filter(revoked_at__isnull=False)


class ShareLink(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    # Not called ``check``: that name is Model.check(), Django's system checks.
    address_check = models.ForeignKey(AddressCheck, on_delete=models.CASCADE, related_name="share_links")
    # Hex SHA-256 of the token: enough to find the link, useless to open it.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        "link prefix", max_length=6, editable=False, help_text="The token's first characters, to tell links apart."
    )
    # SET_NULL: a link outlives its maker's account (the page then names no rep).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="share_links_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="share_links_revoked",
    )

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["address_check", "-created_at"], name="svc_share_check_recent"),
        ]

    def __str__(self):
        return f"{self.token_prefix}… ({self.get_status_display()})"

    def get_status(self, *, now=None) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    @property
    def status(self) -> str:
        return self.get_status()

    def get_status_display(self) -> str:
        return self.Status(self.get_status()).label

    @property
    def is_active(self) -> bool:
        return self.get_status() == self.Status.ACTIVE


class CheckProvider(models.Model):
    """A provider line of a check's primary location, kept as a row for the reports ("providers
    seen most"): who checked and when are copied here so that the figure needs no join."""

    check_ref = models.ForeignKey(AddressCheck, on_delete=models.CASCADE, related_name="provider_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    checked_at = models.DateTimeField()
    name = models.CharField(max_length=200)
    technology = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["checked_at", "user"], name="svc_provider_when")]

    def __str__(self):
        return f"{self.name} ({self.technology})"


class BulkList(models.Model):
    """A door-to-door list: addresses uploaded (a CSV) or pasted, checked one by one in the
    background (serviceability/bulk.py) through the same cache and single flight as /check/."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        RUNNING = "running", "Checking"
        DONE = "done", "Done"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="bulk_lists")
    name = models.CharField(max_length=200, blank=True, help_text="The uploaded file's name, or “Pasted lines”.")
    columns = models.JSONField(default=list, help_text="The input's column names, in its order (for the CSV).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker last checked a row of it: a list that stops moving is started again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name or f"List {self.pk}"

    def get_absolute_url(self):
        return reverse("bulk_list_detail", args=[self.pk])


class BulkRow(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DONE = "done", "Checked"
        INVALID = "invalid", "Cannot be checked"

    bulk_list = models.ForeignKey(BulkList, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(help_text="The row's line in the input (1 = the first address).")
    values = models.JSONField(default=list, help_text="The input row as it came, for the CSV download.")
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip = models.CharField(max_length=10, blank=True)
    unit = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=200, blank=True, help_text="Why the row cannot be checked.")
    address_check = models.ForeignKey(AddressCheck, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    level = models.CharField(max_length=20, blank=True)
    best_provider = models.CharField(max_length=200, blank=True)
    best_technology = models.CharField(max_length=60, blank=True)
    best_speeds = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["bulk_list", "number"], name="bulk_row_once")]
        indexes = [models.Index(fields=["bulk_list", "status", "number"], name="bulk_row_todo")]

    def __str__(self):
        return f"Row {self.number} of {self.bulk_list_id}"
