"""What the parts need in the database: reps connected to the sandbox CRM, and many submissions.

Reps are Django users with a CRM user of their own in the sandbox and a CrmAccount for it (no CRM
session yet, like a rep who just connected). Submissions are seeded with bulk_create, spread over
the past `days` days so that dates look like a real history (the admin's date hierarchy sees
years and months).
"""

from __future__ import annotations

import functools
import math
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from leads.models import Lead, Status, SyncAttempt
from mycrm_portal.crm.models import CrmAccount
from mycrm_portal.sandbox import services as sandbox
from serviceability.models import AddressCheck, CheckProvider

# Signs the bench's own users in on loopback; never a real credential.
PASSWORD = "bench-only-pw-7Qx-loopback"  # noqa: S105

_FIRST_NAMES = ("Ann", "Bob", "Carla", "Dev", "Eve", "Farid", "Gina", "Hugo", "Iris", "Jon")
_CITIES = (("Atlanta", "GA", "30303"), ("Austin", "TX", "73301"), ("Denver", "CO", "80202"), ("Tampa", "FL", "33602"))


@functools.cache
def _password_hash() -> str:
    # One hash for every bench user: the production hasher is slow on purpose.
    return make_password(PASSWORD)


def rep_create(username: str, *, staff: bool = False, crm: bool = True):
    """A rep (staff: a superuser) with, unless crm=False, a CRM user in the sandbox and a
    CrmAccount without a session."""
    user = get_user_model()(
        username=username,
        first_name="Bench",
        last_name=username.replace("-", " ").title(),
        email=f"{username}@example.com",
        is_staff=staff,
        is_superuser=staff,
    )
    user.password = _password_hash()
    user.save()
    if crm:
        crm_user = sandbox.sandbox_user_create(user_name=username, first_name="Bench", last_name=user.last_name)
        CrmAccount.objects.create(user=user, crm_username=crm_user.user_name, access_key=crm_user.access_key)
    return user


def lead_data(lastname: str, firstname: str = "Bench") -> dict:
    """Cleaned form values for submission_create: the fields a rep must fill."""
    return {"firstname": firstname, "lastname": lastname, "assigned_user_id": "self"}


def leads_bulk_create(*, user, count: int, start: int = 0, days: int = 400, batch_size: int = 2000) -> list[int]:
    """`count` submissions of `user` (numbered from `start`), mostly in MyCRM, some queued or
    rejected, created over the past `days` days, oldest first. Returns their primary keys."""
    now = timezone.now()
    pks: list[int] = []
    for offset in range(0, count, batch_size):
        batch = [_lead(user, start + i, now) for i in range(offset, min(offset + batch_size, count))]
        created = Lead.objects.bulk_create(batch, batch_size=batch_size)
        pks.extend(lead.pk for lead in created)
    if None in pks:  # a backend that cannot return primary keys from a bulk insert
        pks = list(Lead.objects.filter(submitted_by=user).order_by("-pk").values_list("pk", flat=True)[:count])[::-1]
    _spread_over_days(pks, now, days)
    _settle(Lead)
    return pks


def _settle(model) -> None:
    """PostgreSQL: vacuum and analyze after a bulk load, as autovacuum soon would in service, so that
    the planner's statistics and index-only scans are those of a table in use."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')


def _lead(user, n: int, now) -> Lead:
    city, state, zip_code = _CITIES[n % len(_CITIES)]
    status = Status.QUEUED if n % 50 == 7 else Status.REJECTED if n % 97 == 11 else Status.SYNCED
    synced = status == Status.SYNCED
    return Lead(
        token=uuid.uuid4(),
        submitted_by=user,
        status=status,
        crm_id=f"10x{1_000_000 + n}" if synced else "",
        attempts=1,
        synced_at=now if synced else None,
        last_error_code="" if synced else "MANDATORY_FIELDS_MISSING" if status == Status.REJECTED else "503",
        last_error_message="" if synced else "MyCRM answered with an error.",
        firstname=_FIRST_NAMES[n % len(_FIRST_NAMES)],
        lastname=f"Seed{n:06d}",
        email=f"seed{n}@example.com",
        phone=f"404-555-{n % 10000:04d}",
        leadsource="Web Site",
        assigned_user_id="19x5",
        lane=f"{100 + n % 900} Peachtree St",
        city=city,
        state=state,
        code=zip_code,
    )


def _spread_over_days(pks: list[int], now, days: int, model=Lead) -> None:
    """created_at is auto_now_add (bulk_create sets it to now): move each day's share of the
    rows, in primary-key order, to its day. One UPDATE per day."""
    if not pks:
        return
    pks = sorted(pks)
    per_day = math.ceil(len(pks) / days)
    chunks = [pks[i : i + per_day] for i in range(0, len(pks), per_day)]
    stamps = {"created_at"} | ({"updated_at"} if model is Lead else set())
    for age, chunk in enumerate(reversed(chunks)):
        moment = now - timedelta(days=age, hours=1)
        model.objects.filter(pk__in=chunk).update(**dict.fromkeys(stamps, moment))


_LEVELS = ("served", "served", "underserved", "unserved")
_PROVIDERS = (("Xfinity", "Cable"), ("AT&T Inc", "Fiber"), ("Starlink", "Low-orbit satellite"), ("Windstream", "DSL"))


def checks_bulk_create(*, user, count: int, days: int = 400, batch_size: int = 2000) -> None:
    """`count` address checks of `user` over the past `days` days, with a provider row each (what
    the reports read), the same mix of levels and providers at any size."""
    now = timezone.now()
    pks: list[int] = []
    for offset in range(0, count, batch_size):
        size = min(batch_size, count - offset)
        batch = [
            AddressCheck(
                user=user,
                street=f"{n} Main St",
                city="Atlanta",
                state="GA",
                normalized_key=f"{n} main st atlanta ga",
                lookup=f"{n} Main St Atlanta, GA",
                outcome="ok",
                residential_level=_LEVELS[n % len(_LEVELS)],
                business_level=_LEVELS[n % len(_LEVELS)],
            )
            for n in range(offset, offset + size)
        ]
        pks.extend(check.pk for check in AddressCheck.objects.bulk_create(batch))
    if None in pks:
        pks = list(AddressCheck.objects.filter(user=user).order_by("-pk").values_list("pk", flat=True)[:count])[::-1]
    _spread_over_days(pks, now, days, model=AddressCheck)
    # The same day as _spread_over_days gave the check.
    per_day = math.ceil(len(pks) / days) if pks else 1
    last_chunk = (len(pks) - 1) // per_day if pks else 0
    rows = []
    for index, pk in enumerate(sorted(pks)):
        moment = now - timedelta(days=last_chunk - index // per_day, hours=1)
        name, technology = _PROVIDERS[index % len(_PROVIDERS)]
        rows.append(CheckProvider(check_ref_id=pk, user=user, checked_at=moment, name=name, technology=technology))
        if len(rows) >= batch_size:
            CheckProvider.objects.bulk_create(rows)
            rows = []
    CheckProvider.objects.bulk_create(rows)
    _settle(AddressCheck)
    _settle(CheckProvider)


def sync_attempts_create(lead: Lead, count: int = 3) -> None:
    """A short sync history (queued twice, then synced) for a record page."""
    outcomes = [SyncAttempt.Outcome.QUEUED] * (count - 1) + [SyncAttempt.Outcome.SYNCED]
    SyncAttempt.objects.bulk_create(
        SyncAttempt(
            lead=lead,
            operation="create",
            outcome=outcome,
            error_code="" if outcome == SyncAttempt.Outcome.SYNCED else "503",
            crm_id=lead.crm_id if outcome == SyncAttempt.Outcome.SYNCED else "",
            triggered_by="retry worker",
            duration_ms=40,
        )
        for outcome in outcomes
    )


def submissions_delete_all() -> None:
    """Every Lead and Contact (and their sync history): parts that count rows start from zero."""
    from leads.models import Contact

    SyncAttempt.objects.all().delete()
    Lead.objects.all().delete()
    Contact.objects.all().delete()
