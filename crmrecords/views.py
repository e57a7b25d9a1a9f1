"""Pages for MyCRM's own records: find, open, update (with conflicts shown side by side), and
convert a lead to a contact. Every read and write runs as the rep (crm_session_for), so MyCRM's
permissions decide what a rep may see and change; staff act as their own CRM user.

Thin views: a MyCRM that refuses a record is "MyCRM does not let you open this record" (403), one
that cannot answer a plain sentence (503), never a 500.
"""

import uuid

from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from leads import selectors
from leads.crm_options import crm_user_names
from leads.forms import FORMS, form_token
from leads.models import KIND_LABELS
from leads.payload import crm_string
from mycrm_portal import access
from mycrm_portal.crm import vtql
from mycrm_portal.crm.client import CrmError
from mycrm_portal.crm.records import RecordNotAllowed, crm_record_for, crm_search_page, valid_crm_id
from mycrm_portal.crm.schema import field_map, sensitive_names

from .editing import fingerprint, record_edit_resolve, record_edit_save
from .models import RecordEdit

_BASE_SALT = "crmrecords.edit-base"


def _owner_name(request):
    return crm_user_names(user=request.user)


@require_GET
def crm_search(request):
    term = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in KIND_LABELS else ""
    try:
        page = max(1, min(int(request.GET.get("page") or 1), 50))
    except ValueError:
        page = 1
    results = []
    if term:
        for k in [kind] if kind else list(KIND_LABELS):
            results.append(
                crm_search_page(
                    user=request.user, kind=k, term=term, page=page if kind else 1, owner_name=_owner_name(request)
                )
            )
    return render(request, "crmrecords/search.html", {"q": term, "kind": kind, "results": results, "page": page})


def _record_or_page(request, kind, crm_id):
    """(record, None) or (None, the response that says why not)."""
    if kind not in KIND_LABELS or not valid_crm_id(kind, crm_id):
        raise Http404("No such MyCRM record.")
    try:
        return crm_record_for(user=request.user, kind=kind, crm_id=crm_id, owner_name=_owner_name(request)), None
    except RecordNotAllowed:
        context = {"crm_id": crm_id, "singular": KIND_LABELS[kind][0]}
        return None, render(request, "crmrecords/denied.html", context, status=403)
    except CrmError as exc:
        context = {"crm_id": crm_id, "message": exc.message, "singular": KIND_LABELS[kind][0]}
        return None, render(request, "crmrecords/unavailable.html", context, status=503)


def _rows(record):
    """(fieldset title, [(label, value shown)]) for the record page, sensitive values masked."""
    form_class = FORMS[record.kind]
    rows = []
    for title, names in form_class.fieldsets:
        values = []
        for name in names:
            if name == "assigned_user_id":
                value = record.owner
            else:
                value = record.shown(name)
                if field_map(record.module)[name].type == "boolean":
                    value = "Yes" if value == "1" else ""
            if value:
                values.append((form_class.base_fields[name].label, value))
        if values:
            rows.append((title, values))
    return rows


@require_GET
def crm_record(request, kind, crm_id):
    record, refused = _record_or_page(request, kind, crm_id)
    if refused:
        return refused
    submissions = selectors.submission_list(kind=kind, user=request.user).filter(crm_id=crm_id)[:10]
    conversions = []
    if kind == "lead":
        contacts = selectors.submission_list(kind="contact", user=request.user)
        conversions = contacts.filter(converted_from_lead=crm_id)[:5]
    context = {
        "record": record,
        "kind": kind,
        "singular": KIND_LABELS[kind][0],
        "rows": _rows(record),
        "submissions": submissions,
        "conversions": conversions,
        "edits": RecordEdit.objects.filter(crm_id=crm_id).select_related("user")[:20],
    }
    return render(request, "crmrecords/record.html", context)


def _form(kind, request, *, data=None, initial=None):
    return FORMS[kind](data, user=request.user, initial=initial, validate_url=reverse(f"{kind}_validate"))


def _initial(module: str, values: dict, owner_id: str) -> dict:
    """A form's initial values from MyCRM's (never a sensitive one: those are not rendered back)."""
    hidden = sensitive_names(module)
    initial = {name: value for name, value in values.items() if name not in hidden}
    initial["assigned_user_id"] = owner_id
    for name, spec in field_map(module).items():
        if spec.type == "boolean":
            initial[name] = initial.get(name) == "1"
    return initial


def _base_token(record) -> str:
    """The record as the form loads it, signed into the page: what the rep's changes are measured
    against when the form comes back (sensitive values only as an HMAC)."""
    values = {name: fingerprint(record.module, name, value) for name, value in record.values.items()}
    values["assigned_user_id"] = record.owner_id
    data = {"crm_id": record.crm_id, "name": record.name, "owner": record.owner, "values": values}
    return signing.dumps(data, salt=_BASE_SALT, compress=True)


def _base_from(token: str, crm_id: str) -> dict | None:
    try:
        data = signing.loads(token, salt=_BASE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and data.get("crm_id") == crm_id else None


def _with_owner_choice(form, owner_id: str, owner: str):
    """The record's owner stays selectable (a colleague's record keeps its owner)."""
    field = form.fields["assigned_user_id"]
    choices = list(field.choices)
    if owner_id and owner_id not in {value for value, _ in choices}:
        field.choices = [*choices, (owner_id, owner)]


@require_http_methods(["GET", "POST"])
def crm_record_edit(request, kind, crm_id):
    if kind not in KIND_LABELS or not valid_crm_id(kind, crm_id):
        raise Http404("No such MyCRM record.")
    module = vtql.MODULES[kind]
    loaded = _base_from(request.POST.get("base", ""), crm_id) if request.method == "POST" else None
    if loaded is not None and not request.POST.get("from_form"):
        # The form as the rep loaded it: saved locally, then sent (one retrieve, one revise), so a
        # MyCRM that is down now queues the change instead of losing it.
        base = loaded["values"]
        initial = _initial(module, base, base.get("assigned_user_id", ""))
        form = _form(kind, request, data=request.POST, initial=initial)
        _with_owner_choice(form, base.get("assigned_user_id", ""), loaded.get("owner", ""))
        if form.is_valid():
            changed = [n for n in form.changed_data if n in field_map(module)]
            if not changed:
                messages.info(request, "Nothing changed.")
                return redirect("crm_" + kind + "_detail", crm_id)
            edit = record_edit_save(
                user=request.user,
                module=module,
                crm_id=crm_id,
                record_name=loaded.get("name", ""),
                changes={name: crm_string(form.cleaned_data[name]) for name in changed},
                base=base,
                token=form_token(request.POST.get("token")),
            )
            return _after_edit(request, edit)
        context = {"record": {"crm_id": crm_id, "name": loaded.get("name", crm_id)}, "token": request.POST.get("token")}
        return render(request, "crmrecords/edit.html", {**context, **_edit_context(kind, form, request.POST["base"])})
    record, refused = _record_or_page(request, kind, crm_id)
    if refused:
        return refused
    if request.method == "POST":
        # "Update this one" from a create form: what the rep typed, over this record, to review.
        form = _form(kind, request, data=request.POST, initial=_initial(record.module, record.values, record.owner_id))
        _with_owner_choice(form, record.owner_id, record.owner)
        form.is_valid()
    else:
        form = _form(kind, request, initial=_initial(record.module, record.values, record.owner_id))
        _with_owner_choice(form, record.owner_id, record.owner)
    context = {"record": record, "token": str(uuid.uuid4()), **_edit_context(kind, form, _base_token(record))}
    return render(request, "crmrecords/edit.html", context)


def _edit_context(kind, form, base_token):
    return {"kind": kind, "singular": KIND_LABELS[kind][0], "form": form, "base": base_token}


def _after_edit(request, edit):
    names = ", ".join(edit.fields)
    if edit.status == RecordEdit.Status.SAVED:
        messages.success(request, f"Saved in MyCRM: {names}.")
    elif edit.status == RecordEdit.Status.DIFFERS:
        messages.warning(request, f"Saved in MyCRM, with differences: MyCRM does not hold {names} exactly as typed.")
    elif edit.status == RecordEdit.Status.CONFLICT:
        messages.warning(request, "Someone changed this record in MyCRM since you opened it: choose what to keep.")
        return redirect("crm_edit_conflict", edit.pk)
    elif edit.status == RecordEdit.Status.QUEUED:
        messages.warning(request, f"Saved, not yet in MyCRM: {edit.last_error_message} It will be sent automatically.")
    else:
        messages.error(request, f"MyCRM refused the change: {edit.last_error_message}")
    return redirect(edit)


@require_http_methods(["GET", "POST"])
def crm_edit_conflict(request, pk):
    edit = get_object_or_404(RecordEdit, pk=pk)
    if not access.may_act_for(request.user, edit.user_id):
        raise Http404("No such edit.")
    if edit.status != RecordEdit.Status.CONFLICT:
        return redirect(edit)
    if request.method == "POST":
        choices = {name: request.POST.get(f"keep_{name}", "") for name in edit.conflicts}
        if any(choice not in ("mine", "theirs") for choice in choices.values()):
            messages.error(request, "Choose, for each field, which value to keep.")
        else:
            return _after_edit(request, record_edit_resolve(edit=edit, choices=choices))
    form_class = FORMS[edit.kind]
    mine = edit.changes
    rows = [
        {
            "name": name,
            "label": form_class.base_fields[name].label if name in form_class.base_fields else name,
            "theirs": theirs,
            "mine": field_map(edit.module)[name].masked(mine.get(name, "")) if theirs is None else mine.get(name, ""),
        }
        for name, theirs in edit.conflicts.items()
    ]
    context = {"edit": edit, "rows": rows, "singular": KIND_LABELS[edit.kind][0]}
    return render(request, "crmrecords/conflict.html", context)
