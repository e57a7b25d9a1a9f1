"""Sending a contact converted from a MyCRM Lead: convertlead where MyCRM can, a plain create where
it cannot, and never a second contact.

Where convertlead works, MyCRM marks the lead converted and links the contact the way its own UI
does; the contact-only fields (birthday, SSN, license, ...) are then set with revise. A stock vtiger
8.2 on PHP 8 answers every convertlead with an empty HTTP 500 and does nothing (capture 360): the
portal then creates the contact itself, keeps the link locally, and sets the lead's status to
LEAD_CONVERTED_STATUS when configured. convertlead has no rollback (370): a try that failed may have
left a contact, so before any retry the portal looks for a contact with the lead's e-mail made since
the first try.
"""

import logging
from datetime import UTC, timedelta

from django.conf import settings
from django.core.cache import cache

from mycrm_portal.crm.client import CrmConvertUnavailable, CrmError, CrmRejected, quote_literal
from mycrm_portal.crm.fieldfit import Plan

from .models import Contact, SyncAttempt
from .reconciling import submission_find_in_crm

logger = logging.getLogger(__name__)

_UNAVAILABLE = "crm:convertlead:unavailable"
# A Lead's fields and the Contact field each goes to: the conversion form is prefilled by this.
LEAD_TO_CONTACT = {
    "firstname": "firstname",
    "lastname": "lastname",
    "phone": "phone",
    "mobile": "mobile",
    "email": "email",
    "business_name": "business_name",
    "leadsource": "leadsource",
    "lane": "mailingstreet",
    "city": "mailingcity",
    "state": "mailingstate",
    "code": "mailingzip",
    "pobox": "mailingpobox",
    "apart": "apart",
    "zip4": "zip4",
    "description": "description",
    "utm_source": "utm_source",
    "utm_medium": "utm_medium",
    "utm_campaign": "utm_campaign",
    "utm_content": "utm_content",
    "utm_term": "utm_term",
}
# The Contact fields a conversion fills from the lead (MyCRM's lead mapping does the same); the
# others are contact-only, set afterwards by revise.
FROM_LEAD = frozenset(LEAD_TO_CONTACT.values())


def conversion_send(*, session, submission: Contact, outcome, plan: Plan, payload: dict, on_unconfirmed) -> dict:
    """The contact record in MyCRM for a converted lead (raises CrmError). `on_unconfirmed(exc)`
    marks the submission as maybe applied."""
    if submission.create_unconfirmed:
        outcome.operation = "reconcile"
        found = contact_made_since(session=session, submission=submission, plan=plan)
        if found is not None:
            outcome.result = SyncAttempt.Outcome.FOUND
            return _contact_only(session, found["id"], plan, payload) or found
    if not cache.get(_UNAVAILABLE):
        outcome.operation = "convert"
        shared = {name: value for name, value in payload.items() if name in FROM_LEAD and value}
        element = {
            "leadId": submission.converted_from_lead,
            "assignedTo": payload.get("assigned_user_id", ""),
            "transferRelatedRecordsTo": "Contacts",
            "entities": {"Contacts": {"create": True, "name": "Contacts", **plan.crm_values(shared)}},
        }
        try:
            result = session.convertlead(element)
        except CrmConvertUnavailable:
            # Permanent on this server: say so once a day in the log, create from now on.
            logger.info("MyCRM cannot convert leads (HTTP 500 on convertlead): creating contacts instead")
            cache.set(_UNAVAILABLE, True, timeout=24 * 3600)
        except CrmRejected as exc:
            if exc.code == "LEAD_ALREADY_CONVERTED":
                found = contact_of_lead(session=session, submission=submission, plan=plan)
                submission.lead_contact_id = found["id"] if found else ""
            raise
        except CrmError as exc:
            if exc.maybe_applied:
                on_unconfirmed(exc)
            raise
        else:
            contact_id = (result or {}).get("Contacts")
            if contact_id:
                return _contact_only(session, contact_id, plan, payload) or session.retrieve(contact_id)
    outcome.operation = "create"
    try:
        record = session.create("Contacts", plan.crm_values(payload))
    except CrmError as exc:
        if exc.maybe_applied:
            on_unconfirmed(exc)
        raise
    _mark_lead_converted(session, submission.converted_from_lead)
    return record


def _contact_only(session, contact_id: str, plan: Plan, payload: dict) -> dict | None:
    """Set the contact-only fields the rep filled in; the revised record, or None when none."""
    values = {name: value for name, value in payload.items() if name not in FROM_LEAD and value}
    values.pop("assigned_user_id", None)
    to_send = plan.crm_values(values)
    return session.revise({"id": contact_id, **to_send}) if to_send else None


def _mark_lead_converted(session, lead_id: str) -> None:
    status = settings.LEAD_CONVERTED_STATUS
    if not status:
        return
    try:
        session.revise({"id": lead_id, "leadstatus": status})
    except CrmError as exc:
        # The contact exists and the portal keeps the link: the lead's status is a nicety.
        logger.warning("Lead %s: status not set to %r after conversion (%s)", lead_id, status, exc.code)


def contact_made_since(*, session, submission: Contact, plan: Plan) -> dict | None:
    """A contact with this lead's e-mail created since the first try: what an earlier try made."""
    email = submission.email.strip()
    if not email or "email" not in plan.outgoing:
        return submission_find_in_crm(session=session, submission=submission, plan=plan)
    since = (submission.first_attempt_at - timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    try:
        literal = quote_literal(email)
    except ValueError:
        return submission_find_in_crm(session=session, submission=submission, plan=plan)
    # VTQL sent to MyCRM: the value went through quote_literal, `since` is a timestamp.
    vtql = (
        f"select * from Contacts where {plan.outgoing['email']} = {literal} "  # noqa: S608
        f"and createdtime >= '{since}' order by createdtime desc limit 5;"
    )
    rows = session.query(vtql)
    return rows[0] if rows else None


def contact_of_lead(*, session, submission: Contact, plan: Plan) -> dict | None:
    """The contact MyCRM made from the lead (found by the lead's e-mail, capture 364c), if any."""
    email = submission.email.strip()
    if not email or "email" not in plan.outgoing:
        return None
    try:
        literal = quote_literal(email)
        # VTQL sent to MyCRM: the value went through quote_literal.
        rows = session.query(
            f"select id, firstname, lastname from Contacts where {plan.outgoing['email']} = {literal} "  # noqa: S608
            "and isconvertedfromlead = '1' limit 5;"
        )
    except (CrmError, ValueError):
        return None
    return rows[0] if rows else None
