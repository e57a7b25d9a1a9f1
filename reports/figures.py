"""The figures of /reports/: for a date range and a set of reps, each read in one aggregate query
(a fixed number of queries, whatever the range or the number of rows).

It stands above leads/ and serviceability/ (it reads their models) and below nothing; it never
writes. Who may see which reps is mycrm_portal/access.py's rule, applied by the caller (views.py),
which passes the user ids (or None for everyone).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone

from leads.models import Contact, Lead, Status
from serviceability.models import AddressCheck, CheckProvider

__all__ = ["Figures", "figures_for", "week_starts"]

STATUS_ROWS = [
    ("In MyCRM", (Status.SYNCED,)),
    ("In MyCRM, with differences", (Status.DIFFERS,)),
    ("Queued", (Status.QUEUED,)),
    ("Rejected", (Status.REJECTED,)),
    ("Being sent", (Status.PENDING,)),
]
LEVEL_ROWS = [("Served", "served"), ("Underserved", "underserved"), ("Unserved", "unserved"), ("No level", None)]
TOP_PROVIDERS = 10


@dataclass
class Figures:
    start: date
    end: date
    weeks: list[date]
    # (rep id, week) -> {"lead": n, "contact": n}
    created: dict[tuple[int, date], dict[str, int]] = field(default_factory=dict)
    statuses: list[tuple[str, int, int]] = field(default_factory=list)  # (label, leads, contacts)
    checks: dict[date, tuple[int, int]] = field(default_factory=dict)  # week -> (checks, became leads)
    levels: list[tuple[str, int]] = field(default_factory=list)
    providers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def reps(self) -> list[int]:
        return sorted({rep for rep, _ in self.created})

    @property
    def total_checks(self) -> int:
        return sum(n for n, _ in self.checks.values())

    @property
    def total_converted(self) -> int:
        return sum(c for _, c in self.checks.values())


def week_starts(start: date, end: date) -> list[date]:
    """The Mondays of the weeks the range touches."""
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _week(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def figures_for(*, start: date, end: date, user_ids: frozenset[int] | None) -> Figures:
    """Five aggregate queries: created per rep and week, statuses, checks per week with how many
    became leads, the mix of levels, the providers seen most."""
    since, until = _bounds(start, end)
    result = Figures(start=start, end=end, weeks=week_starts(start, end))

    def mine(qs, user_field):
        qs = qs.filter(created_at__gte=since, created_at__lt=until)
        return qs if user_ids is None else qs.filter(**{f"{user_field}__in": user_ids})

    # 1. Leads and contacts created, per rep and week (one UNION query).
    weekly = [
        mine(model.objects.order_by(), "submitted_by")
        .annotate(week=TruncWeek("created_at"), kind=Value(model.kind))
        .values("submitted_by", "week", "kind")
        .annotate(n=Count("id"))
        .order_by()
        for model in (Lead, Contact)
    ]
    for row in weekly[0].union(weekly[1], all=True).order_by():
        counts = result.created.setdefault((row["submitted_by"], _week(row["week"])), {"lead": 0, "contact": 0})
        counts[row["kind"]] += row["n"]

    # 2. Where they are now (one UNION query).
    by_status = [
        mine(model.objects.order_by(), "submitted_by")
        .annotate(kind=Value(model.kind))
        .values("status", "kind")
        .annotate(n=Count("id"))
        .order_by()
        for model in (Lead, Contact)
    ]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in by_status[0].union(by_status[1], all=True).order_by():
        counts[(row["status"], row["kind"])] += row["n"]
    result.statuses = [
        (label, sum(counts[(s, "lead")] for s in statuses), sum(counts[(s, "contact")] for s in statuses))
        for label, statuses in STATUS_ROWS
    ]

    # 3. Address checks per week, and how many a lead was started from.
    converted = Lead.objects.filter(from_check__isnull=False).values("from_check")
    checks = (
        mine(AddressCheck.objects.order_by(), "user")
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("id"), became=Count("id", filter=Q(pk__in=converted)))
    )
    result.checks = {_week(row["week"]): (row["n"], row["became"]) for row in checks}

    # 4. The mix of residential service levels checked.
    levels = {
        row["residential_level"]: row["n"]
        for row in mine(AddressCheck.objects.order_by(), "user").values("residential_level").annotate(n=Count("id"))
    }
    result.levels = [(label, levels.get(value, 0)) for label, value in LEVEL_ROWS]

    # 5. The providers seen most (at the primary location of each check).
    providers = CheckProvider.objects.filter(checked_at__gte=since, checked_at__lt=until)
    if user_ids is not None:
        providers = providers.filter(user__in=user_ids)
    result.providers = [
        (row["name"], row["n"])
        for row in providers.values("name")
        .annotate(n=Count("check_ref", distinct=True))
        .order_by("-n", "name")[:TOP_PROVIDERS]
    ]
    return result
