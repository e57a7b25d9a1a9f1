"""The sandbox's state: CRM users and groups, challenges, webservice sessions, records, fault
switches and request counters, all in the database.

The portal server, its task worker and the tests are separate processes and threads, so nothing
here may live in one process's memory. These tables belong to the emulator only: the portal's own
code must never read them (it talks to the sandbox over HTTP like to the real CRM).
"""

from django.db import models
from django.db.models.functions import Lower

# Webservice id prefixes of vtiger 8's entity types (vtiger_ws_entity).
USER_PREFIX = "19"
GROUP_PREFIX = "20"


class SandboxUser(models.Model):
    """A CRM user. `ws_num` is vtiger's user id: 1 is the admin, 2-4 are taken by the default
    groups (users and groups share one id sequence in vtiger), so other users start at 5."""

    ws_num = models.PositiveIntegerField(unique=True)
    user_name = models.CharField(max_length=64)
    first_name = models.CharField(max_length=40, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    email = models.CharField(max_length=100, blank=True)
    is_admin = models.BooleanField(default=False)
    access_key = models.CharField(max_length=64, blank=True)
    date_format = models.CharField(max_length=10, default="yyyy-mm-dd")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ws_num"]
        constraints = [models.UniqueConstraint(Lower("user_name"), name="sandbox_user_name_ci_unique")]

    def __str__(self):
        return self.user_name

    @property
    def ws_id(self) -> str:
        return f"{USER_PREFIX}x{self.ws_num}"


class SandboxGroup(models.Model):
    ws_num = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["ws_num"]

    def __str__(self):
        return self.name

    @property
    def ws_id(self) -> str:
        return f"{GROUP_PREFIX}x{self.ws_num}"


class SandboxChallenge(models.Model):
    """The one live challenge token of a user: a newer getchallenge replaces it."""

    user = models.OneToOneField(SandboxUser, on_delete=models.CASCADE, related_name="challenge")
    token = models.CharField(max_length=32)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"challenge of {self.user_id}"  # never the token


class SandboxSession(models.Model):
    name = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(SandboxUser, on_delete=models.CASCADE, related_name="sessions")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()

    def __str__(self):
        return f"session of {self.user_id}"  # never the session name


class SandboxRecord(models.Model):
    """A Lead or Contact. The primary key is the CRM id: one sequence across modules, like
    vtiger_crmentity, so `10x7` and `12x7` can never both exist.

    `data` holds the stored value of every editable field, always as strings; `owner` is the raw
    owner number vtiger keeps (it may name no user or group at all, capture 43a)."""

    module = models.CharField(max_length=20)
    number = models.PositiveIntegerField()  # LEA<number> / CON<number>
    data = models.JSONField(default=dict)
    owner = models.CharField(max_length=20)
    label = models.CharField(max_length=255, blank=True)
    created_by = models.PositiveIntegerField()
    modified_by = models.PositiveIntegerField()
    # Users who saved the record: vtiger keeps `starred` per user and only for them.
    savers = models.JSONField(default=list)
    deleted = models.BooleanField(default=False)
    converted = models.BooleanField(default=False)  # a Lead convertlead turned into a Contact
    created_at = models.DateTimeField()
    modified_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["module", "deleted"], name="sandbox_rec_module_idx")]

    def __str__(self):
        return f"{self.module} {self.pk}"


class SandboxSequence(models.Model):
    """Per-module record numbers (LEA1, LEA2, ...), incremented under the row's lock."""

    name = models.CharField(max_length=20, primary_key=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.value}"


class SandboxFault(models.Model):
    """The fault switched on for a target (`crm` or `fcc`); no row means no fault."""

    target = models.CharField(max_length=10, primary_key=True)
    mode = models.CharField(max_length=30)
    seconds = models.FloatField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.target}: {self.mode}"


class SandboxCounter(models.Model):
    target = models.CharField(max_length=10)
    operation = models.CharField(max_length=40)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["target", "operation"]
        constraints = [models.UniqueConstraint(fields=["target", "operation"], name="sandbox_counter_unique")]

    def __str__(self):
        return f"{self.target} {self.operation}: {self.count}"
