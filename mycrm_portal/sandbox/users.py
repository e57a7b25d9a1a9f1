"""The sandbox CRM's users and groups: the built-in admin, vtiger's default groups, and the users
that tests, benchmarks and the demo set-up add.

Tests flush every table between tests, so the admin and the groups are created lazily on first use
(never by a data migration), and the admin's access key follows `settings.SANDBOX_ACCESS_KEY`.
Nothing here may log an access key.
"""

import secrets
import string

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from . import dates
from .models import SandboxGroup, SandboxUser

ADMIN_NUMBER = 1
# vtiger's default groups; users and groups share one id sequence, so the first user after the
# admin is 19x5 (capture 230).
DEFAULT_GROUPS = {2: "Team Selling", 3: "Marketing Group", 4: "Support Group"}
ACCESS_KEY_LENGTH = 16
_ACCESS_KEY_CHARS = string.ascii_letters + string.digits


def generate_access_key() -> str:
    return "".join(secrets.choice(_ACCESS_KEY_CHARS) for _ in range(ACCESS_KEY_LENGTH))


def ensure_defaults() -> SandboxUser:
    """The admin (19x1, key from the settings) and the default groups, created when missing."""
    admin = SandboxUser.objects.filter(ws_num=ADMIN_NUMBER).first()
    if admin is None:
        try:
            with transaction.atomic():
                admin = SandboxUser.objects.create(
                    ws_num=ADMIN_NUMBER,
                    user_name="admin",
                    last_name="Administrator",
                    email="admin@example.com",
                    is_admin=True,
                    access_key=settings.SANDBOX_ACCESS_KEY,
                    date_format="yyyy-mm-dd",
                )
        except IntegrityError:  # another request created it first
            admin = SandboxUser.objects.get(ws_num=ADMIN_NUMBER)
        SandboxGroup.objects.bulk_create(
            [SandboxGroup(ws_num=number, name=name) for number, name in DEFAULT_GROUPS.items()],
            ignore_conflicts=True,
        )
    if admin.access_key != settings.SANDBOX_ACCESS_KEY:
        SandboxUser.objects.filter(pk=admin.pk).update(access_key=settings.SANDBOX_ACCESS_KEY)
        admin.access_key = settings.SANDBOX_ACCESS_KEY
    return admin


def user_by_name(user_name: str) -> SandboxUser | None:
    return SandboxUser.objects.filter(user_name__iexact=user_name).first() if user_name else None


def user_numbers() -> set[int]:
    return set(SandboxUser.objects.values_list("ws_num", flat=True))


def group_numbers() -> set[int]:
    return set(SandboxGroup.objects.values_list("ws_num", flat=True))


def create_user(
    *, user_name: str, first_name: str, last_name: str, email: str, is_admin: bool, date_format: str
) -> SandboxUser:
    user_name = (user_name or "").strip()
    if not user_name:
        raise ValueError("A CRM user needs a user name.")
    given = {"user_name": user_name, "first_name": first_name, "last_name": last_name, "email": email}
    for field, value in given.items():
        if len(value) > SandboxUser._meta.get_field(field).max_length:
            raise ValueError(f"{field} is too long for a CRM user.")
    if date_format not in dates.FORMATS:
        raise ValueError(f"date_format must be one of {', '.join(dates.FORMATS)}.")
    ensure_defaults()
    for _attempt in range(20):
        if user_by_name(user_name):
            raise ValueError(f"The CRM user {user_name!r} already exists.")
        highest = SandboxUser.objects.aggregate(top=Max("ws_num"))["top"] or 0
        number = max(highest, max(DEFAULT_GROUPS)) + 1
        try:
            with transaction.atomic():
                return SandboxUser.objects.create(
                    ws_num=number,
                    user_name=user_name,
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    is_admin=is_admin,
                    access_key=generate_access_key(),
                    date_format=date_format,
                )
        except IntegrityError:  # a concurrent create took the number (or the name): look again
            continue
    raise RuntimeError("Could not allocate a CRM user id; too many concurrent creations.")
