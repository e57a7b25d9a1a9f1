"""/reports/: team leads and staff; the figures of the chosen range and people, each as a chart
and a table, each table as CSV; a fixed number of queries whatever the range."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from leads.models import Contact, Lead, Status
from reports.models import DailyFigure
from reports.rollups import bump, bump_many, rebuild_report_figures
from serviceability.models import AddressCheck, CheckProvider
from tests.conftest import as_

pytestmark = pytest.mark.django_db


def _at(days_ago: int) -> datetime:
    return timezone.now() - timedelta(days=days_ago)


def _lead(user, days_ago=1, status=Status.SYNCED, model=Lead, **extra):
    row = model.objects.create(submitted_by=user, firstname="A", lastname="B", status=status, **extra)
    model.objects.filter(pk=row.pk).update(created_at=_at(days_ago))
    return row


def _check(user, days_ago=1, level="served", providers=("Xfinity",)):
    check = AddressCheck.objects.create(
        user=user,
        street="1 Main St",
        city="Macon",
        state="GA",
        normalized_key="k",
        lookup="l",
        outcome="ok",
        residential_level=level,
    )
    AddressCheck.objects.filter(pk=check.pk).update(created_at=_at(days_ago))
    for name in providers:
        CheckProvider.objects.create(
            check_ref=check, user=user, checked_at=_at(days_ago), name=name, technology="Cable"
        )
    return check


@pytest.fixture
def activity(people):
    rep, other = people["rep"], people["other"]
    check = _check(rep, providers=("Xfinity", "AT&T"))
    _check(rep, level="unserved", providers=("Starlink",))
    _lead(rep, from_check=check)
    _lead(rep, status=Status.QUEUED)
    _lead(rep, status=Status.DIFFERS, model=Contact)
    _lead(rep, days_ago=200)  # outside the default eight weeks
    _lead(other, status=Status.REJECTED)
    _check(other, providers=("Xfinity",))
    rebuild_report_figures()  # the rows were moved back in time after they were counted


@pytest.mark.parametrize("role", ["rep"])
def test_a_rep_has_no_reports(client, people, role):
    as_(client, people, role)
    assert client.get("/reports/").status_code == 404


def test_a_team_lead_sees_their_teams_figures_only(client, people, activity):
    as_(client, people, "lead_here")

    page = client.get("/reports/").content.decode()

    assert "for your teams" in page
    statuses = page.split('id="r-statuses"')[1].split("</section>")[0].split("<table")[1]
    assert '<th scope="row" class="card-title">In MyCRM</th><td class="num" data-label="Leads">1</td>' in statuses
    assert '<th scope="row" class="card-title">Queued</th><td class="num" data-label="Leads">1</td>' in statuses
    assert '<td class="num" data-label="Contacts">1</td>' in statuses.split("with differences")[1].split("</tr>")[0]
    assert '<th scope="row" class="card-title">Rejected</th><td class="num" data-label="Leads">0</td>' in statuses
    assert "2 checks; a lead was started from 1 of them (50 %)" in page
    assert "Rita Rep" in page and "Omar" not in page.split("<main")[1]
    assert '<svg class="chart"' in page and "<title" in page


def test_the_lead_of_another_team_sees_only_theirs(client, people, activity):
    as_(client, people, "lead_elsewhere")

    page = client.get("/reports/").content.decode()

    assert "1 check; a lead was started from 0 of them (0 %)" in page
    assert "Rita Rep" not in page
    refused = client.get("/reports/", {"rep": people["rep"].pk}).content.decode()
    assert "Select a valid choice" in refused.split('id="errors-rep"')[1].split("</div>")[0]
    assert "Rita Rep" not in refused


def test_staff_see_everyone_and_can_narrow_to_a_team_or_a_rep(client, people, activity):
    as_(client, people, "staff")

    everyone = client.get("/reports/").content.decode()
    assert "3 checks" in everyone and "for everyone" in everyone
    team = people["rep"].teams.get()  # South
    south = client.get("/reports/", {"team": team.pk}).content.decode()
    assert "for team South" in south and "2 checks" in south
    one = client.get("/reports/", {"rep": people["other"].pk}).content.decode()
    assert "1 check;" in one


def test_each_table_downloads_as_csv_with_the_same_filters(client, people, activity):
    as_(client, people, "lead_here")

    response = client.get("/reports/", {"csv": "providers"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Provider", "Checks where it serves"]
    assert sorted(rows[1:]) == [["AT&T", "1"], ["Starlink", "1"], ["Xfinity", "1"]]  # not the other team's
    assert client.get("/reports/", {"csv": "nope"}).status_code == 404


def test_a_csv_cell_that_looks_like_a_formula_is_defused(client, people, activity):
    people["rep"].first_name, people["rep"].last_name = "=HYPERLINK(1)", ""
    people["rep"].save()
    as_(client, people, "lead_here")

    rows = list(csv.reader(io.StringIO(client.get("/reports/", {"csv": "created"}).content.decode())))

    assert any(row[0] == "'=HYPERLINK(1)" for row in rows[1:])
    assert not any(row[0].startswith("=") for row in rows)


def test_a_range_the_wrong_way_round_is_said_next_to_the_field(client, people):
    as_(client, people, "staff")

    page = client.get("/reports/", {"start": "2026-12-01", "end": "2026-11-01"}).content.decode()

    assert "The start is after the end." in page.split('id="errors-start"')[1].split("</div>")[0]
    assert 'value="2026-12-01"' in page


@pytest.mark.parametrize("days", [7, 365])
def test_the_page_makes_a_fixed_number_of_queries_whatever_the_range(
    client,
    people,
    activity,
    days,
    django_assert_max_num_queries,
):
    as_(client, people, "lead_here")
    end = timezone.localdate()
    client.get("/reports/")

    with django_assert_max_num_queries(12):
        response = client.get(
            "/reports/", {"start": (end - timedelta(days=days - 1)).isoformat(), "end": end.isoformat()}
        )
    assert response.status_code == 200


def test_the_counts_kept_as_work_happens_are_those_a_rebuild_finds(sandbox, signed_in, owner_crm):
    from tests.leads.helpers import FULL_LEAD, post_new
    from tests.serviceability.helpers import check_params, demo_address, latest_check

    street, city, state = demo_address("seed-sample")
    signed_in.get("/check/", check_params(street, city, state))
    signed_in.get("/check/", check_params(*demo_address("rural-unserved")))
    first = latest_check()
    post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "Alpha", "from_check": first.pk})
    post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "Beta", "email": "b@example.com", "from_check": first.pk})
    post_new(signed_in, "contact", {"firstname": "C", "lastname": "Gamma"})
    live = sorted(DailyFigure.objects.values_list("day", "user", "metric", "key", "count"))

    rebuild_report_figures()

    assert sorted(DailyFigure.objects.values_list("day", "user", "metric", "key", "count")) == live
    metrics = {(metric, key): n for _, _, metric, key, n in live}
    assert metrics[("created", "lead")] == 2 and metrics[("created", "contact")] == 1
    assert metrics[("checks", "")] == 2 and metrics[("converted", "")] == 1  # one check, two leads: once
    assert metrics[("provider", "Starlink")] == 1 and metrics[("level", "unserved")] == 1


def test_a_count_kept_again_adds_up_with_or_without_a_user(people):
    rep, day = people["rep"], timezone.localdate()
    counts = [("checks", ""), ("provider", "Xfinity"), ("provider", "Xfinity")]  # one provider line twice

    bump_many(day=day, user_id=rep.pk, counts=counts)
    bump_many(day=day, user_id=rep.pk, counts=counts)
    bump(day=day, user_id=None, metric="checks")
    bump(day=day, user_id=None, metric="checks")

    kept = {(f.user_id, f.metric, f.key): f.count for f in DailyFigure.objects.filter(day=day)}
    assert kept == {(rep.pk, "checks", ""): 2, (rep.pk, "provider", "Xfinity"): 2, (None, "checks", ""): 2}
