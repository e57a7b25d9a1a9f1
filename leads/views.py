"""Pages for Leads and Contacts: list, create, record, edit, resend, and per-field validation.

Thin views: they check access (a rep sees their own submissions, staff see all; anyone else gets
a 404), validate a form, call a service (leads/saving.py, leads/sending.py) or a selector
(leads/selectors.py) and render. Every view takes `kind`
("lead" or "contact") from the URLconf.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mycrm_portal import access
from mycrm_portal.crm.fieldfit import send_plan
from mycrm_portal.crm.schema import prefill_from, sensitive_names
from mycrm_portal.paginator import capped_paginator

from . import saving, selectors, sending
from .crm_options import assignee_label
from .duplicates import CHECKED_FIELDS, duplicate_matches, duplicates_for_form
from .forms import FORMS, form_token
from .models import KIND_LABELS, Status
from .payload import crm_fields

# Counting a rep's submissions stops at 1,000 (40 pages): the list costs the same at any size.
LIST_PAGINATOR = capped_paginator(1000)


def _context(kind, **extra):
    singular, plural = KIND_LABELS[kind]
    return {"kind": kind, "singular": singular, "plural": plural, **extra}


def _get_for_user(request, kind, pk):
    submission = selectors.submission_for(kind=kind, user=request.user, pk=pk)
    if submission is None:
        raise Http404(f"No such {KIND_LABELS[kind][0].lower()}.")
    return submission


def _form(kind, request, *, data=None, instance=None, initial=None):
    # A new record's phone and e-mail are also checked against MyCRM's records while typed.
    validate_url = reverse(f"{kind}_validate") + ("" if instance is not None else "?dupes=1")
    return FORMS[kind](data, user=request.user, instance=instance, initial=initial, validate_url=validate_url)


@require_GET
def submission_list(request, kind):
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    submissions = selectors.submission_list(kind=kind, user=request.user, search=search, status=status)
    page = LIST_PAGINATOR(submissions, 25).get_page(request.GET.get("page"))
    context = _context(kind, page=page, search=search, status=status, statuses=Status.choices)
    context["sees_others"] = access.sees_others(request.user)
    context["watching"] = any(s.status in (Status.PENDING, Status.QUEUED) for s in page)
    template = (
        "leads/list.html#rows" if request.htmx and request.htmx.target == "submission-rows" else "leads/list.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def submission_create(request, kind):
    # The address check a "Create a lead at this address" link came from, carried through the form.
    from_check = _check_id((request.POST if request.method == "POST" else request.GET).get("from_check"))
    if request.method == "POST":
        form = _form(kind, request, data=request.POST)
        token = form_token(request.POST.get("token"))
        if form.is_valid():
            # A record with this phone or e-mail in MyCRM: ask once (create anyway, or update it).
            duplicates = []
            if request.POST.get("duplicates") != "create":
                duplicates = duplicates_for_form(user=request.user, cleaned=form.cleaned_data)
            if duplicates:
                context = _context(
                    kind,
                    form=form,
                    token=token,
                    duplicates=duplicates,
                    duplicate_fields=CHECKED_FIELDS,
                    from_check=from_check,
                )
                return render(request, "leads/form.html", context)
            submission, created = saving.submission_create(
                kind=kind,
                user=request.user,
                data=form.cleaned_data,
                token=token,
                from_check=from_check,
                plan=form.plan,
                account=form.crm_account,
            )
            return _after_send(request, submission, verb="created")
    else:
        token = uuid.uuid4()
        form = _form(kind, request, initial=prefill_from(FORMS[kind].module, request.GET))
    return render(
        request,
        "leads/form.html",
        _context(
            kind,
            form=form,
            token=token,
            crm_account=form.crm_account,
            duplicate_fields=CHECKED_FIELDS,
            from_check=from_check,
        ),
    )


def _check_id(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 12 else None


@require_http_methods(["GET", "POST"])
def submission_edit(request, kind, pk):
    submission = _get_for_user(request, kind, pk)
    duplicates = []
    if request.method == "POST":
        form = _form(kind, request, data=request.POST, instance=submission)
        if form.is_valid():
            changed = saving.submission_edit(
                submission=submission, user=request.user, data=form.cleaned_data, plan=form.plan
            )
            if not changed:
                messages.info(request, "Nothing changed.")
                return redirect(submission)
            return _after_send(request, submission, verb="updated")
    else:
        form = _form(kind, request, instance=submission, initial=_initial(submission))
        if submission.status == Status.REJECTED:
            form = _form(kind, request, data=_as_data(form), instance=submission)
            form.is_valid()
            _show_crm_error(form, submission)
            if submission.last_error_code == "0":  # MyCRM's duplicate prevention: show what it matched
                duplicates = duplicates_for_form(user=request.user, cleaned=form.cleaned_data)
    return render(request, "leads/form.html", _context(kind, form=form, submission=submission, duplicates=duplicates))


def _after_send(request, submission, *, verb):
    singular = KIND_LABELS[submission.kind][0]
    if submission.status == Status.SYNCED:
        messages.success(request, f"{singular} {submission.crm_id} {verb} in MyCRM.")
        return redirect(submission)
    if submission.status == Status.DIFFERS:
        # The status panel lists what MyCRM holds differently; the message only confirms the send.
        messages.warning(request, f"{singular} {submission.crm_id} {verb} in MyCRM, with differences (see below).")
        return redirect(submission)
    if submission.status == Status.QUEUED:
        return redirect(submission)  # the status panel says why and what comes next: one message
    if submission.status == Status.REJECTED:
        messages.error(request, f"MyCRM refused this {singular.lower()}: fix what it says below and send it again.")
        return redirect(reverse(f"{submission.kind}_edit", args=[submission.pk]))
    return redirect(submission)  # pending: the status panel says it is being sent


@require_GET
def submission_detail(request, kind, pk):
    submission = _get_for_user(request, kind, pk)
    attempts = submission.sync_attempts.all()[:50]
    conversions = []
    if kind == "lead" and submission.crm_id:
        # The contacts this lead became through the portal (its conversion page made them).
        contacts = selectors.submission_list(kind="contact", user=request.user)
        conversions = contacts.filter(converted_from_lead=submission.crm_id)[:5]
    context = _context(
        kind, submission=submission, attempts=attempts, fields=_display_fields(submission), conversions=conversions
    )
    return render(request, "leads/detail.html", context)


@require_GET
def submission_status(request, kind, pk):
    """The status badge alone: polled by the record page while the submission is on its way."""
    submission = _get_for_user(request, kind, pk)
    return render(request, "leads/detail.html#status", _context(kind, submission=submission))


@require_POST
def submission_resend(request, kind, pk):
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can resend.")
    submission = _get_for_user(request, kind, pk)
    status = sending.submission_resend(submission=submission, actor=f"staff: {request.user.get_username()}")
    submission.refresh_from_db()
    label = dict(Status.choices)[status]
    level = messages.SUCCESS if status == Status.SYNCED else messages.WARNING
    messages.add_message(request, level, f"Resent: {label}. {submission.last_error_message}".strip())
    return redirect(submission)


@require_POST
def submission_validate(request, kind):
    """One field's errors while the rep types (htmx): the whole form is posted, so that fields
    that depend on each other (ZIP and ZIP+4) are checked together; nothing is saved."""
    name = request.headers.get("HX-Trigger-Name", "")
    form = _form(kind, request, data=request.POST)
    if name not in form.fields:
        return HttpResponse(status=204)
    form.is_valid()
    errors = form.errors.get(name, []) if request.POST.get(name, "") != "" or form.fields[name].required else []
    context = {"errors": errors, "name": name, "kind": kind}
    if name in CHECKED_FIELDS and request.GET.get("dupes"):
        # The records MyCRM already has with this phone or e-mail, under the field (out of band).
        value = form.cleaned_data.get(name) if not errors else ""
        context["dupes_oob"] = True
        if value:
            email, phones = (value, ()) if name == "email" else ("", (value,))
            context["hits"] = duplicate_matches(user=request.user, email=email, phones=phones)
    return render(request, "partials/field_errors.html", context)


def _initial(submission):
    hidden = sensitive_names(submission.module)  # never rendered back; the form shows them masked
    return {name: getattr(submission, name) for name in crm_fields(submission.kind) if name not in hidden}


def _as_data(form):
    """An unbound form's initial values as POST-like data (to show the CRM's errors on them)."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value in (None, False):
            continue
        data[name] = "on" if value is True else str(value)
    return data


def _show_crm_error(form, submission):
    field = submission.last_error_field if submission.last_error_field in form.fields else None
    message = f"MyCRM: {submission.last_error_message}"
    form.add_error(field, message)


def _display_fields(submission):
    """(label, value, note) rows for the record page, sensitive values masked; a field this MyCRM
    lacks says it is kept in the portal only, a hidden one shows only when it holds a value."""
    form_class = FORMS[submission.kind]
    plan = send_plan(submission.module)
    rows = []
    for title, names in form_class.fieldsets:
        values = []
        for name in names:
            field = form_class.base_fields[name]
            if name == "assigned_user_id":
                value = assignee_label(submission)
            else:
                value = submission.display_value(name)
                if isinstance(value, bool):
                    value = "Yes" if value else "No"
            if name in plan.hidden and value in ("", None, "No"):
                continue
            note = "kept in the portal only" if name in plan.portal_only or name in plan.hidden else ""
            values.append((field.label, value, note))
        # A section with nothing in it (no campaign, no identity given) is not shown at all.
        if any(value not in ("", None) for _, value, _ in values):
            rows.append((title, values))
    return rows
