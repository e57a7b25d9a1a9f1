"""`manage.py rotate_encryption_keys`: re-encrypt every stored secret with the first key of
FIELD_ENCRYPTION_KEYS, so that older keys can then be removed."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from mycrm_portal.crypto import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the first (newest) FIELD_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            names = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
            if not names:
                continue
            count = 0
            for obj in model._default_manager.iterator(chunk_size=500):
                # Reading decrypts with any key; saving encrypts with the first.
                with transaction.atomic():
                    obj.save(update_fields=names)
                count += 1
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted ({', '.join(names)})")
        self.stdout.write(f"Done: {total} rows.")
