"""Helpers for the Leads and Contacts tests: complete form data, posting a form with its token,
running the task worker the way `make run` does."""

import re
import uuid

from django.core.management import call_command

FULL_LEAD = {
    "firstname": "Ann",
    "lastname": "Smith",
    "phone": "404-555-0123",
    "mobile": "(404) 555 0199",
    "leadsource": "Web Site",
    "email": "ann.smith@example.com",
    "business_name": "Smith & Sons <LLC>",
    "lane": "55 Trinity Ave SW",
    "code": "30303-1234",
    "pobox": "PO 42",
    "state": "GA",
    "city": "Atlanta",
    "apart": "Apt 4",
    "description": 'Wants fiber; call after 5pm. Quotes "ok" & <b>tags</b>.',
    "utm_source": "google",
    "utm_medium": "cpc",
    "utm_campaign": "fall-fiber",
    "utm_content": "ad-1",
    "utm_term": "fiber internet",
}

FULL_CONTACT = {
    "firstname": "Bob",
    "lastname": "Jones",
    "phone": "212-555-0199",
    "mobile": "212 555 0100",
    "homephone": "212-555-0101",
    "leadsource": "Existing Customer",
    "birthday": "1980-05-17",
    "email": "bob.jones@example.com",
    "business_name": "Jones Plumbing",
    "is_customer": "on",
    "mailingstreet": "9 Elm St",
    "mailingpobox": "PO 7",
    "mailingstate": "TX",
    "mailingcity": "Austin",
    "mailingzip": "73301-0001",
    "apart": "Unit 2",
    "description": "Existing customer moving.",
    "pager": "512-555-0102",
    "csg_number": "CSG-001",
    "spouse_name": "Ann Jones",
    "ssn": "123-45-6789",
    "service_dt": "2026-12-01",
    "dl_license": "D1234-5678",
    "dl_state": "TX",
    "dl_expdate": "2030-05-17",
    "utm_source": "referral",
    "utm_medium": "",
    "utm_campaign": "",
    "utm_content": "",
    "utm_term": "",
}


def form_token(client, url):
    """The idempotency token the form page hands out."""
    page = client.get(url).content.decode()
    return re.search(r'name="token" value="([0-9a-f-]+)"', page).group(1)


def post_new(client, kind, data, *, token=None, assigned=None, follow=True):
    url = f"/{kind}s/new/"
    token = token or form_token(client, url)
    body = {**data, "token": token}
    body.setdefault("assigned_user_id", assigned or own_choice(client, url))
    return client.post(url, body, follow=follow)


def own_choice(client, url):
    page = client.get(url).content.decode()
    return re.search(r'<select name="assigned_user_id"[^>]*>\s*<option value="([^"]+)"', page).group(1)


def run_worker(max_tasks=50):
    """Work off the ready tasks, as `manage.py db_worker` does in the background."""
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--queue-name",
        "*",
        "--max-tasks",
        str(max_tasks),
        verbosity=0,
    )


def new_token():
    return str(uuid.uuid4())


def crm_leads(sandbox, lastname):
    """The sandbox CRM's Leads with this last name."""
    return [r for r in sandbox.records("Leads") if r["lastname"] == lastname]
