"""The dashboard: a rep's recent submissions, what needs their attention, their recent address
checks and their CRM account, each read from the app that owns it.

It stands above leads/ and serviceability/ (it imports their selectors); nothing imports it.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dashboard.forms import ProfileForm
from leads.selectors import submission_attention_list, submission_recent_list
from mycrm_portal import access
from mycrm_portal.crm.selectors import crm_account_for
from mycrm_portal.models import RepProfile
from serviceability.domain import technology_names
from serviceability.selectors import address_check_recent_list


@require_GET
def dashboard(request):
    user = request.user
    context = {
        "recent_submissions": submission_recent_list(user=user),
        "attention_submissions": submission_attention_list(user=user),
        "recent_checks": address_check_recent_list(user=user, limit=5),
        "crm_account": crm_account_for(user=user),
        "reports": access.leads_a_team(user),
    }
    return render(request, "dashboard.html", context)


@require_GET
def help_page(request):
    """The words of the address check and the record pages: BEAD, BSL, the levels, technologies."""
    return render(request, "help.html", {"technologies": technology_names()})


@require_http_methods(["GET", "POST"])
def profile(request):
    """The rep's own name, e-mail and phone: what a customer sees on a shared page."""
    user = request.user
    rep, _ = RepProfile.objects.get_or_create(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            user.first_name, user.last_name, user.email = data["first_name"], data["last_name"], data["email"]
            user.save(update_fields=["first_name", "last_name", "email"])
            rep.phone = data["phone"]
            rep.save(update_fields=["phone"])
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "phone": rep.phone,
            }
        )
    return render(request, "profile.html", {"form": form})
