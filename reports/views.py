"""/reports/: what a team lead and a manager open every morning. Team leads and staff only; the
reps a viewer may report on are mycrm_portal/access.py's rule. Every figure is a chart and the
table of its numbers, and each table downloads as CSV (?csv=<table>) with the same filters."""

from __future__ import annotations

import csv
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mycrm_portal import access
from mycrm_portal.spreadsheet import safe_cell

from . import charts
from .figures import figures_for

DEFAULT_DAYS = 56  # eight weeks
MAX_DAYS = 366
TABLES = ("created", "statuses", "checks", "levels", "providers")


class ReportForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ChoiceField(label="Team", required=False)
    rep = forms.ChoiceField(label="Rep", required=False)

    def __init__(self, data, *, teams, reps):
        super().__init__(data)
        self.fields["team"].choices = [("", "All my teams" if teams else "Everyone")] + [
            (str(team.pk), team.name) for team in teams
        ]
        self.fields["rep"].choices = [("", "Every rep")] + [(str(pk), name) for pk, name in reps]

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        end = cleaned.get("end") or today
        start = cleaned.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("start", "The start is after the end.")
        elif (end - start).days >= MAX_DAYS:
            self.add_error("start", f"Choose at most {MAX_DAYS} days.")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def _scope(user, form_data, teams, reps) -> tuple[frozenset[int] | None, str]:
    """The user ids the report covers (None: everyone) and a sentence naming them."""
    visible = access.visible_user_ids(user)
    team_id, rep_id = form_data.get("team"), form_data.get("rep")
    if rep_id:
        pk = int(rep_id)
        return frozenset({pk}), dict(reps).get(pk, "")
    if team_id:
        team = next(team for team in teams if str(team.pk) == team_id)
        people = get_user_model().objects.filter(Q(teams=team) | Q(teams_led=team)).values_list("pk", flat=True)
        return frozenset(people), f"team {team.name}"
    return visible, "everyone" if visible is None else "your teams"


@require_GET
def reports(request):
    user = request.user
    if not access.leads_a_team(user):
        raise Http404("Reports are for team leads and staff.")
    teams = list(access.teams_visible(user))
    visible = access.visible_user_ids(user)
    people = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    if visible is not None:
        people = people.filter(pk__in=visible)
    reps = [(person.pk, person.get_full_name() or person.get_username()) for person in people]
    form = ReportForm(request.GET, teams=teams, reps=reps)
    if not form.is_valid():
        return render(request, "reports/index.html", {"form": form}, status=200)
    user_ids, scope = _scope(user, form.cleaned_data, teams, reps)
    figures = figures_for(start=form.cleaned_data["start"], end=form.cleaned_data["end"], user_ids=user_ids)
    names = dict(reps)
    tables = _tables(figures, names)
    for table in tables.values():
        table["labelled"] = [list(zip(table["head"], row, strict=True)) for row in table["rows"]]
    wanted = request.GET.get("csv")
    if wanted:
        if wanted not in tables:
            raise Http404("No such table.")
        return _csv(wanted, tables[wanted], figures)
    context = {
        "form": form,
        "figures": figures,
        "scope": scope,
        "tables": tables,
        "query": request.GET.urlencode(),
        "created_chart": charts.columns(
            [(week.strftime("%b %-d"), *_week_totals(figures, week)) for week in figures.weeks]
        ),
        "checks_chart": charts.columns(
            [(week.strftime("%b %-d"), *figures.checks.get(week, (0, 0))) for week in figures.weeks]
        ),
        "status_chart": charts.hbars([(label, leads + contacts) for label, leads, contacts in figures.statuses]),
        "levels_chart": charts.hbars(figures.levels),
        "providers_chart": charts.hbars(figures.providers),
    }
    return render(request, "reports/index.html", context)


def _week_totals(figures, week) -> tuple[int, int]:
    leads = sum(c["lead"] for (_, w), c in figures.created.items() if w == week)
    contacts = sum(c["contact"] for (_, w), c in figures.created.items() if w == week)
    return leads, contacts


def _tables(figures, names) -> dict[str, dict]:
    created_rows = [
        (names.get(rep, f"user {rep}"), week.isoformat(), counts["lead"], counts["contact"])
        for (rep, week), counts in sorted(
            figures.created.items(), key=lambda item: (item[0][1], names.get(item[0][0], ""))
        )
    ]
    checks_rows = []
    for week in figures.weeks:
        n, became = figures.checks.get(week, (0, 0))
        checks_rows.append((week.isoformat(), n, became, f"{round(100 * became / n)} %" if n else "—"))
    return {
        "created": {
            "title": "Leads and contacts created, per rep and week",
            "head": ("Rep", "Week of", "Leads", "Contacts"),
            "rows": created_rows,
        },
        "statuses": {
            "title": "Where they are now",
            "head": ("Status", "Leads", "Contacts"),
            "rows": figures.statuses,
        },
        "checks": {
            "title": "Address checks, and how many a lead was started from",
            "head": ("Week of", "Checks", "Became leads", "Conversion"),
            "rows": checks_rows,
        },
        "levels": {"title": "Service levels checked (homes)", "head": ("Level", "Checks"), "rows": figures.levels},
        "providers": {
            "title": "Providers seen most",
            "head": ("Provider", "Checks where it serves"),
            "rows": figures.providers,
        },
    }


def _csv(name: str, table: dict, figures) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{name}-{figures.start}-{figures.end}.csv"'
    writer = csv.writer(response)
    writer.writerow(table["head"])
    for row in table["rows"]:
        writer.writerow([safe_cell(value) for value in row])
    return response
