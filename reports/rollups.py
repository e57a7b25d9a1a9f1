"""Keeping reports.DailyFigure up to date: counted as the work happens (a lead or contact saved, an
address check made, the first lead started from a check), and rebuilt from the records themselves
by `manage.py rebuild_report_figures` (after bulk imports, deletions in the admin, or to verify).

The receivers are connected when the app is ready (apps.py). A count that fails to be written
is logged and never breaks the work it counts.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from leads.models import Contact, Lead
from serviceability.models import AddressCheck, CheckProvider
from serviceability.signals import address_check_made

from .models import DailyFigure

logger = logging.getLogger(__name__)


def bump(*, day, user_id, metric: str, key: str = "") -> None:
    """Add 1 to one count (created if missing)."""
    bump_many(day=day, user_id=user_id, counts=[(metric, key)])


def bump_many(*, day, user_id, counts: list[tuple[str, str]]) -> None:
    """Add 1 to each (metric, key) of one day and user, created if missing: one upsert however
    many there are. In a savepoint of its own: a failure is logged and never breaks the work it
    counts (the lead's insert, the check's commit)."""
    counts = list(dict.fromkeys(counts))
    try:
        with transaction.atomic():
            if user_id is not None:
                _upsert(day, user_id, counts)
            else:
                for metric, key in counts:
                    _bump_without_user(day, metric, key)
    except DatabaseError:
        logger.exception("Could not count %s for the reports", ", ".join(metric for metric, _ in counts))


def _bump_without_user(day, metric: str, key: str) -> None:
    """The ORM's way, for a count without a user, which the unique constraint does not cover."""
    mine = DailyFigure.objects.filter(day=day, user_id=None, metric=metric, key=key)
    if not mine.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                DailyFigure.objects.create(day=day, user_id=None, metric=metric, key=key, count=1)
        except IntegrityError:  # created by another process a moment ago
            mine.update(count=F("count") + 1)


def _upsert(day, user_id, counts: list[tuple[str, str]]) -> None:
    """INSERT … ON CONFLICT DO UPDATE (SQLite and PostgreSQL): one statement for every (metric,
    key) of one day and user (each once), where the ORM takes two or three. The unique constraint
    report_daily_once is the conflict target; a row without a user is not covered by it, hence
    _bump_without_user."""
    quote = connection.ops.quote_name
    table = quote(DailyFigure._meta.db_table)
    columns = ", ".join(quote(c) for c in ("day", "user_id", "metric", "key", "count"))
    target = ", ".join(quote(c) for c in ("day", "user_id", "metric", "key"))
    count = quote("count")
    rows = ", ".join(["(%s, %s, %s, %s, 1)"] * len(counts))
    day_value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(
            # Every name comes from the model (quoted), every value is a parameter.
            f"INSERT INTO {table} ({columns}) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT ({target}) DO UPDATE SET {count} = {table}.{count} + 1",
            [value for metric, key in counts for value in (day_value, user_id, metric, key)],
        )


@receiver(post_save, sender=Lead)
@receiver(post_save, sender=Contact)
def submission_saved(sender, instance, created, **kwargs):
    if not created or kwargs.get("raw"):
        return
    day = timezone.localdate(instance.created_at)
    bump(day=day, user_id=instance.submitted_by_id, metric="created", key=sender.kind)
    check_id = getattr(instance, "from_check_id", None)
    if sender is Lead and check_id and not Lead.objects.filter(from_check_id=check_id).exclude(pk=instance.pk).exists():
        check = AddressCheck.objects.filter(pk=check_id).values("created_at", "user").first()
        if check:
            bump(day=timezone.localdate(check["created_at"]), user_id=check["user"], metric="converted")


@receiver(address_check_made)
def check_made(sender, check, providers, **kwargs):
    counts = [("checks", ""), ("level", check.residential_level or "")] + [("provider", name) for name in providers]
    bump_many(day=timezone.localdate(check.created_at), user_id=check.user_id, counts=counts)


def rebuild_report_figures() -> int:
    """Every count anew from the records (one aggregate query per metric); returns the rows."""
    rows: list[DailyFigure] = []

    def add(metric, queryset, user_field, key_field=None, count=None):
        values = ["day", user_field] + ([key_field] if key_field else [])
        for row in queryset.values(*values).annotate(n=count or Count("pk")).order_by():
            key = str(row[key_field] or "") if key_field else ""
            rows.append(DailyFigure(day=row["day"], user_id=row[user_field], metric=metric, key=key, count=row["n"]))

    for model in (Lead, Contact):
        submissions = model.objects.annotate(day=TruncDate("created_at"))
        for row in submissions.values("day", "submitted_by").annotate(n=Count("pk")).order_by():
            rows.append(
                DailyFigure(
                    day=row["day"], user_id=row["submitted_by"], metric="created", key=model.kind, count=row["n"]
                )
            )
    checks = AddressCheck.objects.annotate(day=TruncDate("created_at"))
    add("checks", checks, "user")
    add("level", checks, "user", "residential_level")
    add("converted", checks.filter(pk__in=Lead.objects.filter(from_check__isnull=False).values("from_check")), "user")
    add(
        "provider",
        CheckProvider.objects.annotate(day=TruncDate("checked_at")),
        "user",
        "name",
        count=Count("check_ref", distinct=True),
    )
    with transaction.atomic():
        DailyFigure.objects.all().delete()
        DailyFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
