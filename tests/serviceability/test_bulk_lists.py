"""Bulk address lists (/check/bulk/): the CSV reader with every format a spreadsheet writes and the
files it must refuse, the background check through the cache, resume after a worker stopped, the
list's page and CSV, who may open it, and the upstream budget shared by two processes."""

import csv
import io
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from serviceability.bulk import MAX_ROWS, BulkInputError, parse_csv, parse_lines
from serviceability.models import BulkList, BulkRow
from tests.conftest import as_
from tests.leads.helpers import run_worker
from tests.serviceability.helpers import upstream_calls

PROJECT = Path(__file__).resolve().parents[2]

# --- Reading --------------------------------------------------------------------------------------


def test_a_header_in_any_order_with_optional_columns():
    parsed = parse_csv(
        b"State,ZIP Code,City,Street Address,Apt,Notes\nGA,30303,Atlanta,55 Trinity Ave SW,4B,call first\n"
    )

    (row,) = parsed.rows
    assert (row.street, row.city, row.state, row.zip, row.unit) == ("55 Trinity Ave SW", "Atlanta", "GA", "30303", "4B")
    assert parsed.columns == ["State", "ZIP Code", "City", "Street Address", "Apt", "Notes"]
    assert row.values[-1] == "call first" and row.reason == ""


def test_excels_utf8_byte_order_mark_and_semicolons():
    data = "\ufeffstreet;city;state\n1 Rue de l’Église;Montréal;VT\n".encode()

    (row,) = parse_csv(data).rows

    assert (row.street, row.city, row.state) == ("1 Rue de l’Église", "Montréal", "VT")


def test_pasted_lines_with_commas_or_semicolons():
    parsed = parse_lines("55 Trinity Ave SW, Atlanta, GA, 30303\n\n39 Main St; Montpelier; vt\n")

    assert [(r.street, r.city, r.state, r.zip) for r in parsed.rows] == [
        ("55 Trinity Ave SW", "Atlanta", "GA", "30303"),
        ("39 Main St", "Montpelier", "VT", ""),
    ]


def test_rows_that_cannot_be_checked_are_kept_with_their_reason():
    data = (
        "street,city,state\n"
        "1 Main St,,GA\n"
        "2 Main St,Macon,ZZ\n"
        f"{'9' * 301} Long St,Macon,GA\n"
        '=HYPERLINK("http://x"),Macon,GA\n'
        "5 Main St,Macon,GA\n"
    ).encode()

    rows = parse_csv(data).rows

    assert [r.number for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].reason == "No city."
    assert rows[1].reason.startswith("State:")
    assert "longer than 300" in rows[2].reason
    assert "spreadsheet formula" in rows[3].reason
    assert rows[4].reason == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x" * 10_000_000, "larger than 1 MB"),
        (b"PK\x03\x04\x00\x00binary", "not a CSV file"),
        ("street,city,state\n1 Main St,Macon,GA\n".encode("utf-16"), "not a CSV file"),
        ("street,city,state\n1 Mäin St,Macon,GA\n".encode("latin-1"), "not UTF-8"),
        (b"name,phone\nAnn,404\n", "must name the columns street, city and state"),
        (b"", "empty"),
        (("street,city,state\n" + "1 Main St,Macon,GA\n" * (MAX_ROWS + 1)).encode(), "at most 1000"),
    ],
    ids=["10MB", "binary", "utf16", "latin1", "no-columns", "empty", "1001-rows"],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_sentence(data, message):
    with pytest.raises(BulkInputError, match=message):
        parse_csv(data)


@pytest.mark.django_db
def test_a_refused_file_imports_nothing_and_says_why_next_to_the_field(client, owner):
    client.force_login(owner)
    rows = "street,city,state\n" + "1 Main St,Macon,GA\n" * (MAX_ROWS + 1)

    response = client.post("/check/bulk/", {"file": SimpleUploadedFile("list.csv", rows.encode(), "text/csv")})

    page = response.content.decode()
    assert response.status_code == 200
    assert "at most 1000 can be checked at once" in page.split('id="errors-file"')[1].split("</div>")[0]
    assert BulkList.objects.count() == 0 and BulkRow.objects.count() == 0


# --- Checking -------------------------------------------------------------------------------------


def _upload(client, text: str, name="door-to-door.csv"):
    return client.post("/check/bulk/", {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


LIST = (
    "street,city,state,zip\n55 Trinity Ave SW,Atlanta,GA,30303\n39 Main St,Montpelier,VT,\n"
    "12 Oak St,,GA,\n7 Pine Rd,Macon,GA,31201\n"
)


def test_a_list_is_checked_in_the_background_and_lands_on_its_page(sandbox, signed_in, owner):
    response = _upload(signed_in, LIST)

    bulk = BulkList.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/check/bulk/{bulk.pk}/"
    page = signed_in.get(response["Location"]).content.decode()
    assert "1 of 4 done" in page  # the row without a city is done: it cannot be checked
    assert 'hx-trigger="every 2s"' in page
    assert "Row 3 (12 Oak St): No city." in page

    run_worker()

    page = signed_in.get(f"/check/bulk/{bulk.pk}/").content.decode()
    assert "All 4 done" in page and 'hx-trigger="every 2s"' not in page
    rows = {r.number: r for r in bulk.rows.all()}
    assert rows[1].level == "served" and rows[1].best_provider == "Xfinity" and rows[1].best_speeds == "1200/35 Mbps"
    assert rows[2].level == "unserved"
    assert rows[4].status == BulkRow.Status.DONE
    assert upstream_calls(sandbox) == 3
    assert page.count(">Create lead<") == 3
    lead = signed_in.get(f"/check/bulk/{bulk.pk}/rows/1/lead/")
    assert lead.status_code == 302 and lead["Location"].startswith("/leads/new/?")
    assert f"from_check={rows[1].address_check_id}" in lead["Location"] and "lane=55+Trinity+Ave+SW" in lead["Location"]
    assert signed_in.get(f"/check/bulk/{bulk.pk}/rows/3/lead/").status_code == 404  # no city: never checked
    assert f'href="/check/bulk/{bulk.pk}/csv/"' in page


def test_a_second_upload_of_the_same_addresses_calls_no_one_upstream(sandbox, signed_in):
    _upload(signed_in, LIST)
    run_worker()
    calls = upstream_calls(sandbox)

    _upload(signed_in, LIST)
    run_worker()

    assert upstream_calls(sandbox) == calls
    second = BulkList.objects.order_by("-pk").first()
    assert second.rows.filter(address_check__from_cache=True).count() == 3


def test_the_csv_has_the_input_columns_and_the_results_with_formulas_defused(sandbox, signed_in):
    _upload(signed_in, LIST + '"=SUM(A1)",Macon,GA,\n')
    run_worker()
    bulk = BulkList.objects.get()

    response = signed_in.get(f"/check/bulk/{bulk.pk}/csv/")

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "street",
        "city",
        "state",
        "zip",
        "check_status",
        "level",
        "best_provider",
        "technology",
        "down_up_mbps",
        "reason",
    ]
    assert rows[1][:4] == ["55 Trinity Ave SW", "Atlanta", "GA", "30303"] and rows[1][5:7] == ["served", "Xfinity"]
    assert rows[3][4] == "Cannot be checked" and rows[3][-1] == "No city."
    assert rows[5][0] == "'=SUM(A1)"


def test_a_list_resumes_after_its_worker_stopped_and_checks_nothing_twice(sandbox, signed_in, monkeypatch, settings):
    from serviceability import bulk as bulk_module

    settings.BULK_CHECK_THREADS = 1  # the rows in order, so that the process dies at a known one
    _upload(signed_in, LIST)
    bulk = BulkList.objects.get()
    real = bulk_module.address_check
    calls = []

    def dies_on_the_second(**kwargs):
        calls.append(kwargs["street"])
        if len(calls) == 2:
            raise SystemExit("worker killed")  # the process goes away mid-list
        return real(**kwargs)

    monkeypatch.setattr(bulk_module, "address_check", dies_on_the_second)
    with pytest.raises(SystemExit):
        bulk_module.bulk_list_run(bulk.pk)  # the worker takes the list's task and dies in it
    monkeypatch.setattr(bulk_module, "address_check", real)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # a killed worker's task never finishes nor runs again
    assert bulk.rows.filter(status=BulkRow.Status.DONE).count() == 1
    first_calls = upstream_calls(sandbox)

    # A reload before it is stale does not start it twice; once stale, opening the page does.
    signed_in.get(f"/check/bulk/{bulk.pk}/")
    run_worker()
    assert bulk.rows.filter(status=BulkRow.Status.PENDING).count() == 2
    BulkList.objects.filter(pk=bulk.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    signed_in.get(f"/check/bulk/{bulk.pk}/")
    run_worker()

    assert bulk.rows.filter(status=BulkRow.Status.PENDING).count() == 0
    assert upstream_calls(sandbox) == first_calls + 2  # the first row was not checked again
    assert BulkList.objects.get().status == BulkList.Status.DONE


# --- Who may open it ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees"), [("rep", True), ("lead_here", True), ("lead_elsewhere", False), ("staff", True)]
)
def test_a_list_is_its_makers_their_leads_and_staffs(client, people, role, sees):
    bulk = BulkList.objects.create(user=people["rep"], name="doors.csv", columns=["street"], total=0)
    as_(client, people, role)

    assert client.get(f"/check/bulk/{bulk.pk}/").status_code == (200 if sees else 404)
    assert client.get(f"/check/bulk/{bulk.pk}/csv/").status_code == (200 if sees else 404)
    assert client.get(f"/check/bulk/{bulk.pk}/rows/1/lead/").status_code == 404  # (no such row, or not theirs)
    assert ("doors.csv" in client.get("/check/bulk/").content.decode()) is sees


# --- The upstream budget, shared by processes -----------------------------------------------------

_SLOTS = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from serviceability.ratelimit import upstream_slot
    taken = []
    for _ in range(int(sys.argv[1])):
        taken.append(upstream_slot(wait=30))  # the second whose budget it was counted in
    print(json.dumps(taken))
    """
)


def test_two_processes_share_one_budget_of_calls_per_second(tmp_path):
    import json

    database = tmp_path / "shared.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mycrm_portal.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_URL": "",
        "SERVICEABILITY_MAX_RPS": "5",
        "DEBUG": "true",
    }
    env.pop("CACHE_URL")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "mycrm_portal", "0001", "--noinput", "-v", "0"],
        cwd=PROJECT,
        env=env,
        check=True,
        timeout=60,
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", _SLOTS, "10"], cwd=PROJECT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    taken = sorted(t for worker in workers for t in json.loads(worker.communicate(timeout=60)[0]))

    assert len(taken) == 20
    per_second: dict[int, int] = {}
    for moment in taken:
        per_second[int(moment)] = per_second.get(int(moment), 0) + 1
    assert max(per_second.values()) <= 5  # never more than the budget in any second, both together
    assert len(per_second) >= 4  # 20 calls at 5 a second take four seconds' budgets


def test_the_progress_bar_fills_in_as_the_rows_are_checked(live_server, sandbox, owner, page, tmp_path):
    from playwright.sync_api import expect

    from tests.conftest import sign_in

    source = tmp_path / "doors.csv"
    source.write_text(LIST, encoding="utf-8")
    sign_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/check/bulk/")
    page.set_input_files("#id_file", str(source))
    page.get_by_role("button", name="Check these addresses").click()
    page.wait_for_url(f"{live_server.url}/check/bulk/*/")

    bar = page.locator("#bulk-bar")
    expect(bar).to_have_attribute("value", "1")  # the row without a city only
    expect(page.locator("#bulk-progress")).to_contain_text("1 of 4 done")
    page.evaluate("window.notReloaded = true")

    run_worker()  # the background worker checks the list

    expect(page.locator("#bulk-progress")).to_contain_text("All 4 done", timeout=10_000)
    expect(bar).to_have_attribute("value", "4")
    assert page.evaluate("window.notReloaded === true")  # htmx polled the rows in
    expect(page.locator("table.bulk-rows tbody tr").first).to_contain_text("Served")


@pytest.mark.django_db
def test_a_spent_budget_waits_for_the_next_second_then_gives_up(settings):
    import time

    from serviceability.ratelimit import UpstreamBusy, upstream_slot

    settings.SERVICEABILITY_MAX_RPS = 2
    first = upstream_slot(wait=0)
    if upstream_slot(wait=0) != first:  # the second began between the two calls: start again
        first = upstream_slot(wait=0)
        upstream_slot(wait=0)
    with pytest.raises(UpstreamBusy):
        while int(time.time()) == first:  # the budget of this second is spent
            upstream_slot(wait=0)
    assert upstream_slot(wait=2) > first  # the next second's budget
