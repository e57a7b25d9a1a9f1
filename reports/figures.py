"""The figures of /reports/ for a date range and a set of reps, in two queries whatever the range
or the number of rows: the daily counts (reports.DailyFigure, kept by rollups.py) and the live
statuses.

It stands above leads/ and serviceability/ (it reads their models) and below nothing; it never
writes. Who may see which reps is mycrm_portal/access.py's rule, applied by the caller (views.py),
which passes the user ids (or None for everyone).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Value
from django.utils import timezone

from leads.models import Contact, Lead, Status

from .models import DailyFigure

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


def figures_for(*, start: date, end: date, user_ids: frozenset[int] | None) -> Figures:
    """Two queries: the daily counts of the range (created, checks, conversions, levels,
    providers; reports.DailyFigure, bounded by days x reps, not by rows), and where the range's
    submissions are now (statuses change, so they are counted live, from an index)."""
    since, until = _bounds(start, end)
    result = Figures(start=start, end=end, weeks=week_starts(start, end))

    # 1. The daily counts, by week in Python (a few hundred rows at most).
    daily = DailyFigure.objects.filter(day__gte=start, day__lte=end)
    if user_ids is not None:
        daily = daily.filter(user__in=user_ids)
    checks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    levels: dict[str, int] = defaultdict(int)
    providers: dict[str, int] = defaultdict(int)
    for day, user, metric, key, n in daily.values_list("day", "user", "metric", "key", "count").order_by():
        week = day - timedelta(days=day.weekday())
        if metric == "created":
            counts = result.created.setdefault((user, week), {"lead": 0, "contact": 0})
            counts[key] = counts.get(key, 0) + n
        elif metric == "checks":
            checks[week][0] += n
        elif metric == "converted":
            checks[week][1] += n
        elif metric == "level":
            levels[key] += n
        elif metric == "provider":
            providers[key] += n
    result.checks = {week: (n, became) for week, (n, became) in checks.items()}
    result.levels = [(label, levels.get(value or "", 0)) for label, value in LEVEL_ROWS]
    result.providers = sorted(providers.items(), key=lambda item: (-item[1], item[0]))[:TOP_PROVIDERS]

    # 2. Where the range's leads and contacts are now (one UNION query). Only the few not simply
    # "In MyCRM" are counted live, from the (status, created_at) index; "In MyCRM" is what remains
    # of the day counts, so the query reads a few rows per hundred, whatever the table's size.
    by_status = []
    others = [status for status in Status.values if status != Status.SYNCED]
    for model in (Lead, Contact):
        qs = model.objects.filter(status__in=others, created_at__gte=since, created_at__lt=until)
        if user_ids is not None:
            qs = qs.filter(submitted_by__in=user_ids)
        by_status.append(
            qs.annotate(kind=Value(model.kind)).values("status", "kind").annotate(n=Count("id")).order_by()
        )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in by_status[0].union(by_status[1], all=True).order_by():
        counts[(row["status"], row["kind"])] += row["n"]
    for kind in ("lead", "contact"):
        created = sum(c.get(kind, 0) for c in result.created.values())
        counts[(Status.SYNCED, kind)] = max(created - sum(counts[(s, kind)] for s in others), 0)
    result.statuses = [
        (label, sum(counts[(s, "lead")] for s in statuses), sum(counts[(s, "contact")] for s in statuses))
        for label, statuses in STATUS_ROWS
    ]
    return result
