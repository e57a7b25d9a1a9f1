"""HTTP entry points of the sandbox: the MyCRM webservice, the serviceability service, and a
staff-only page to switch faults, read counters and create CRM users.

The two service endpoints need no portal login (the portal's client calls them like it calls the
real services); the staff page checks access here, in the view. A new CRM user's access key is
shown once, in the answer to the form that created it, and never again.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from mycrm_portal.crm import schema

from . import faults, fcc, services, webservice
from .forms import OFF, CrmUserForm, FaultForm
from .models import SandboxRecord, SandboxUser


@csrf_exempt
@login_not_required
def webservice_php(request: HttpRequest) -> HttpResponse:
    return webservice.handle(request)


@require_GET
@login_not_required
def fcc_check(request: HttpRequest) -> HttpResponse:
    faults.count("fcc", "check")
    fault = faults.active("fcc")
    early = faults.transport_fault(fault)
    if early is not None:
        return early
    if fault.mode == "failed":
        return HttpResponse(fcc.fixture_bytes("upstream-failed.json"), content_type="application/json")
    address = request.GET.get("address", "").strip()
    body = fcc.answer(address) if address else fcc.missing_address()
    return HttpResponse(body, content_type="application/json")


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise PermissionDenied
    return None


@never_cache  # the answer to a user creation holds an access key
def home(request: HttpRequest) -> HttpResponse:
    denied = _staff_only(request)
    if denied:
        return denied
    created, user_form = None, CrmUserForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action != "user_create":
            if action == "fault":
                _apply_fault(request)
            elif action in _ACTIONS:
                messages.success(request, _ACTIONS[action]())
            return redirect("sandbox_home")
        user_form = CrmUserForm(request.POST)
        if user_form.is_valid():
            try:
                created, user_form = services.sandbox_user_create(**user_form.cleaned_data), CrmUserForm()
            except ValueError as exc:
                user_form.add_error("user_name", str(exc))
    return render(request, "sandbox/home.html", _context(user_form, created))


@require_GET
def web_record(request: HttpRequest) -> HttpResponse:
    """index.php?module=Leads&view=Detail&record=N: the record's stored fields, read-only, as
    MyCRM's own detail view would show them (any signed-in portal user: the sandbox has no web
    sign-in of its own)."""
    module = request.GET.get("module", "")
    number = request.GET.get("record", "")
    if request.GET.get("view") != "Detail" or module not in ("Leads", "Contacts") or not number.isdigit():
        raise Http404("Not a record's detail view.")
    record = SandboxRecord.objects.filter(pk=int(number), module=module, deleted=False).first()
    if record is None:
        raise Http404("No such record.")
    fields = schema.field_map(module)
    rows = [
        (name, fields[name].masked(value) if name in fields and fields[name].sensitive else value)
        for name, value in sorted(record.data.items())
        if value not in ("", None)
    ]
    return render(request, "sandbox/web_record.html", {"record": record, "rows": rows})


def _clear_faults() -> str:
    services.faults_clear()
    return "Every fault is off."


def _reset_counters() -> str:
    services.counters_reset()
    return "Counters reset."


def _end_sessions() -> str:
    return f"{services.sessions_invalidate()} CRM session(s) ended."


_ACTIONS = {"faults_clear": _clear_faults, "counters_reset": _reset_counters, "sessions_invalidate": _end_sessions}


def _apply_fault(request: HttpRequest) -> None:
    form = FaultForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That fault could not be set: check the mode and the seconds.")
        return
    target, mode = form.cleaned_data["target"], form.cleaned_data["mode"]
    if mode == OFF:
        services.faults_clear(target=target)
        messages.success(request, f"No fault on {target}.")
        return
    services.fault_set(target=target, mode=mode, seconds=form.cleaned_data["seconds"] or 0)
    messages.success(request, f"{target}: {mode} is on.")


def _context(user_form: CrmUserForm, created: SandboxUser | None) -> dict:
    services.ensure_admin()
    active = services.faults()
    targets = []
    for target in faults.TARGETS:
        current = active.get(target)
        initial = {"target": target, "mode": current["mode"] if current else OFF}
        if current and current["mode"] in faults.DELAY_MODES:
            initial["seconds"] = current["seconds"]
        targets.append(
            {
                "name": target,
                "fault": current,
                "form": FaultForm(initial=initial, target=target),
                "counters": sorted(services.counters(target).items()),
            }
        )
    fcc_url = reverse("sandbox_fcc")
    demo = [
        {
            "street": street,
            "city": city,
            "state": state,
            "fixture": fixture,
            "description": description,
            "url": f"{fcc_url}?{urlencode({'address': f'{street} {city}, {state}'})}",
        }
        for street, city, state, fixture, description in services.DEMO_ADDRESSES
    ]
    return {
        "targets": targets,
        "crm_users": SandboxUser.objects.order_by("ws_num"),
        "user_form": user_form,
        "created": created,
        "demo_addresses": demo,
        "webservice_url": reverse("sandbox_webservice"),
    }
