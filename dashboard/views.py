"""The dashboard: a rep's recent submissions, what needs their attention, their recent address
checks and their CRM account, each read from the app that owns it.

It stands above leads/ and serviceability/ (it imports their selectors); nothing imports it.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from leads.selectors import submission_attention_list, submission_recent_list
from mycrm_portal.crm.selectors import crm_account_for
from serviceability.selectors import address_check_recent_list


@require_GET
def dashboard(request):
    user = request.user
    context = {
        "recent_submissions": submission_recent_list(user=user),
        "attention_submissions": submission_attention_list(user=user),
        "recent_checks": address_check_recent_list(user=user, limit=5),
        "crm_account": crm_account_for(user=user),
    }
    return render(request, "dashboard.html", context)
