"""Converting a MyCRM Lead to a Contact: the Contact form prefilled from the lead, with the
contact-only fields to fill; the contact is saved locally first and sent as the lead's conversion
(leads/converting.py: convertlead where MyCRM can, a plain create where it cannot, never twice).
"""

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from leads import selectors
from leads.converting import LEAD_TO_CONTACT
from leads.forms import FORMS, form_token
from leads.models import Contact, Status
from leads.saving import submission_create

from .views import _record_or_page, _with_owner_choice


@require_http_methods(["GET", "POST"])
def crm_lead_convert(request, crm_id):
    record, refused = _record_or_page(request, "lead", crm_id)
    if refused:
        return refused
    done = selectors.submission_list(kind="contact", user=request.user).filter(converted_from_lead=crm_id)
    done = done.exclude(status=Status.REJECTED).first()
    if done is not None:
        messages.info(request, "This lead was converted already: here is its contact.")
        return redirect(done)
    initial = {contact: record.values.get(lead, "") for lead, contact in LEAD_TO_CONTACT.items()}
    initial["assigned_user_id"] = record.owner_id
    if request.method == "POST":
        form = FORMS["contact"](
            request.POST, user=request.user, initial=initial, validate_url=reverse("contact_validate")
        )
        _with_owner_choice(form, record.owner_id, record.owner)
        token = form_token(request.POST.get("token"))
        if form.is_valid():
            contact, _ = submission_create(
                kind="contact", user=request.user, data=form.cleaned_data, token=token, converted_from_lead=crm_id
            )
            return _after_convert(request, contact)
    else:
        form = FORMS["contact"](user=request.user, initial=initial, validate_url=reverse("contact_validate"))
        _with_owner_choice(form, record.owner_id, record.owner)
        token = uuid.uuid4()
    return render(request, "crmrecords/convert.html", {"record": record, "form": form, "token": token})


def _after_convert(request, contact: Contact):
    if contact.in_mycrm:
        messages.success(request, f"Converted: contact {contact.crm_id} is in MyCRM.")
    elif contact.status == Status.REJECTED and contact.last_error_code == "LEAD_ALREADY_CONVERTED":
        messages.error(request, "MyCRM says this lead is already converted.")
    elif contact.status == Status.REJECTED:
        messages.error(request, f"MyCRM refused the conversion: {contact.last_error_message}")
    else:
        messages.warning(
            request, f"Saved, not yet in MyCRM: {contact.last_error_message} It will be sent automatically."
        )
    return redirect(contact)
