"""A rep's CRM identity: which MyCRM user they act as, and the session the portal keeps for them.

The access key and the session id are encrypted at rest and never shown after entry.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from mycrm_portal.crypto import EncryptedTextField


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
