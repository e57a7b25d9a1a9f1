"""Finding the record a timed-out create may have left in MyCRM, so that it is never created twice.

A create that reached the CRM without a readable answer (a time-out, a dropped connection, a 5xx)
may have been carried out. Before it is sent again, the CRM is searched for a record created since
the first attempt that holds every value sent, compared with the form MyCRM stores it in (emoji as
????, the script rule, values cut to the column: crm/storage.py), so that such a record is found,
not created again. A CRM that refuses the search keeps the submission queued: without the answer
the portal cannot tell, so it never creates blindly.
"""

from datetime import UTC, timedelta

from django.conf import settings

from mycrm_portal.crm import storage
from mycrm_portal.crm.client import CrmQueryError, CrmRejected, quote_literal
from mycrm_portal.crm.fieldfit import Plan, send_plan
from mycrm_portal.crm.schema import field_map, sensitive_names

from .models import Submission
from .payload import crm_payload

# Fields the CRM can narrow a search by, most selective first.
_NARROW_BY = ("email", "phone", "mobile", "lastname", "firstname")


def submission_find_in_crm(*, session, submission: Submission, plan: Plan | None = None) -> dict | None:
    """The record an unconfirmed create left in the CRM, if it did: created since the first
    attempt (with a day's margin for the CRM's clock and time zone), with every value sent as
    MyCRM stores it. The record is MyCRM's (its field names)."""
    plan = plan or send_plan(submission.module)
    payload = {name: value for name, value in crm_payload(submission).items() if name in plan.outgoing}
    specs = field_map(submission.module)
    keeps_4byte = settings.MYCRM_TEXT_4BYTE
    since = (submission.first_attempt_at - timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    where = ""
    for name in _NARROW_BY:
        value = payload.get(name, "")
        # Only a value MyCRM stores as sent can be searched for (an emoji cannot, capture 335d).
        if not value or storage.stored_form(value, max_length=specs[name].max_length, keeps_4byte=keeps_4byte) != value:
            continue
        try:
            where = f"{plan.outgoing[name]} = {quote_literal(value)} and "
        except ValueError:
            continue
        break
    # VTQL, not SQL: the module is ours, the values went through quote_literal, `since` is a timestamp.
    vtql = f"select * from {submission.module} where {where}createdtime >= '{since}' limit 100;"  # noqa: S608
    try:
        rows = session.query(vtql)
    except CrmRejected as exc:
        raise CrmQueryError(f"MyCRM could not be searched for an earlier copy: {exc.message}", exc.code) from None
    hidden = sensitive_names(submission.module)
    compared = {
        plan.outgoing[name]: (value, specs[name].max_length)
        for name, value in payload.items()
        if value and name not in hidden and name != "assigned_user_id"
    }
    for row in rows:
        if all(
            storage.same_stored(value, row.get(crm_name), max_length=length)
            for crm_name, (value, length) in compared.items()
            if crm_name in row
        ):
            return row
    return None
