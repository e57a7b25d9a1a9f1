"""The rep's CRM account page: connect (or reconnect) a MyCRM username and access key; and staff's
"MyCRM fields" page: how the portal's fields fit the MyCRM it talks to."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .client import CrmAuthFailed, CrmError, CrmUnavailable
from .fieldfit import MODULES, describe_refresh, field_fit, fit_fetched_at
from .forms import CrmAccountForm
from .selectors import crm_account_for
from .sessions import crm_account_connect, crm_session_for


@require_http_methods(["GET", "POST"])
def crm_account(request):
    account = crm_account_for(user=request.user)
    if request.method == "POST" and request.POST.get("action") == "test":
        return _test_connection(request)
    if request.method == "POST":
        form = CrmAccountForm(request.POST)
        if form.is_valid():
            try:
                account = crm_account_connect(user=request.user, **form.cleaned_data)
            except CrmAuthFailed as exc:
                field = (
                    "access_key" if exc.code in ("INVALID_USER_CREDENTIALS", "ACCESSKEY_UNDEFINED") else "crm_username"
                )
                form.add_error(field, exc.message)
            except CrmUnavailable as exc:
                form.add_error(None, f"{exc.message} Your account was not changed; try again in a moment.")
            except CrmError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Connected to MyCRM as {account.crm_username} ({account.crm_user_id}).")
                return redirect("crm_account")
    else:
        form = CrmAccountForm(initial={"crm_username": account.crm_username if account else ""})
    return render(request, "crm/account.html", {"form": form, "account": account})


def _test_connection(request):
    try:
        crm_session_for(request.user).listtypes()
    except CrmError as exc:
        messages.error(request, f"MyCRM connection failed: {exc.message}")
    else:
        messages.success(request, "MyCRM answered: your account works.")
    return redirect("crm_account")


@staff_member_required
@require_http_methods(["GET", "POST"])
def crm_fields(request):
    """Each portal field against MyCRM's describe; POST reads describe again, as the staff member."""
    if request.method == "POST":
        try:
            describe_refresh(crm_session_for(request.user))
        except CrmError as exc:
            messages.error(request, f"MyCRM's fields could not be read: {exc.message}")
        else:
            messages.success(request, "MyCRM's fields were read again.")
        return redirect("crm_fields")
    modules = [
        {"module": module, "fetched_at": fit_fetched_at(module), "fits": field_fit(module)} for module in MODULES
    ]
    return render(
        request,
        "crm/fields.html",
        {"modules": modules, "choice_add_url": reverse("admin:crm_crmfieldchoice_add")},
    )
