"""Encryption at rest for the portal's secrets: CRM access keys and session ids, SSNs, driver's
license numbers, birthdays.

Values are encrypted with Fernet under FIELD_ENCRYPTION_KEYS (MultiFernet: the first key encrypts,
every key decrypts, so keys can be rotated). This module must never log, print or put in an
exception message a plaintext or a key.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


def _configured_keys() -> tuple[str, ...]:
    keys = tuple(k.strip() for k in settings.FIELD_ENCRYPTION_KEYS if k.strip())
    if keys:
        return keys
    # Development only (settings require explicit keys with DEBUG off): derived from SECRET_KEY.
    digest = hashlib.sha256(b"portal-field-encryption:" + settings.SECRET_KEY.encode()).digest()
    return (base64.urlsafe_b64encode(digest).decode(),)


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes); "
            "make one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from None


def fernet() -> MultiFernet:
    return _multifernet(_configured_keys())


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(
            "A stored secret could not be decrypted: FIELD_ENCRYPTION_KEYS no longer holds the key it was written with."
        ) from None


class EncryptedTextField(models.TextField):
    """Text stored Fernet-encrypted; the model sees plaintext. Empty stays empty.

    Lookups by value cannot match (each encryption is different): never filter on these fields.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "mycrm_portal.crypto.EncryptedTextField", args, kwargs
