"""The admin's date drill-down for submissions, without reading every row.

Django's date hierarchy lists the years, months or days that have rows with a DISTINCT over the
whole table on every changelist view. Here the choices are the calendar between the first and the
last date (two index lookups); a choice may hold no row, which costs nothing to show.
"""

import calendar
from datetime import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Max, Min
from django.utils import timezone

register = template.Library()


class _CalendarRange:
    """Stands in for the changelist's queryset inside Django's date_hierarchy()."""

    def __init__(self, queryset):
        self._queryset = queryset
        self._answers = {}

    def aggregate(self, **kwargs):
        # One aggregate per query: a database answers MIN or MAX alone from the created_at
        # index, but MIN and MAX together by reading every row. Each is asked once per page.
        result = {}
        for name, expression in kwargs.items():
            key = (name, str(expression))
            if key not in self._answers:
                self._answers[key] = self._queryset.aggregate(**{name: expression})[name]
            result[name] = self._answers[key]
        return result

    def datetimes(self, field_name, kind):
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if not bounds["first"]:
            return []
        first, last = timezone.localtime(bounds["first"]), timezone.localtime(bounds["last"])
        tz = first.tzinfo
        if kind == "year":
            return [datetime(y, 1, 1, tzinfo=tz) for y in range(first.year, last.year + 1)]
        if kind == "month":
            months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
            return [datetime(m // 12, m % 12 + 1, 1, tzinfo=tz) for m in months]
        days = calendar.monthrange(first.year, first.month)[1]
        end = last.day if (last.year, last.month) == (first.year, first.month) else days
        return [datetime(first.year, first.month, d, tzinfo=tz) for d in range(first.day, end + 1)]


class _ChangeList:
    def __init__(self, changelist):
        self._changelist = changelist
        self.queryset = _CalendarRange(changelist.queryset)

    def __getattr__(self, name):
        return getattr(self._changelist, name)


@register.inclusion_tag("admin/date_hierarchy.html")
def submission_date_hierarchy(changelist):
    return date_hierarchy(_ChangeList(changelist))
