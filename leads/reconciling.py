"""Finding the record a timed-out create may have left in MyCRM, so that it is never created twice.

A create that reached the CRM without a readable answer (a time-out, a dropped connection, a 5xx)
may have been carried out. Before it is sent again, the CRM is searched for a record created since
the first attempt that holds every value sent. A CRM that refuses the search keeps the submission
queued: without the answer the portal cannot tell, so it never creates blindly.
"""

from datetime import UTC, timedelta

from mycrm_portal.crm.client import CrmQueryError, CrmRejected, quote_literal
from mycrm_portal.crm.schema import sensitive_names

from .models import Submission
from .payload import crm_payload

# Fields the CRM can narrow a search by, most selective first.
_NARROW_BY = ("email", "phone", "mobile", "lastname", "firstname")


def submission_find_in_crm(*, session, submission: Submission) -> dict | None:
    """The record an unconfirmed create left in the CRM, if it did: created since the first
    attempt (with a day's margin for the CRM's clock and time zone), with every value sent."""
    payload = crm_payload(submission)
    since = (submission.first_attempt_at - timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    where = ""
    # Narrow by a field the CRM can search for: a quote cannot be escaped in a query (capture 122).
    for name in _NARROW_BY:
        try:
            where = f"{name} = {quote_literal(payload[name])} and " if payload.get(name) else ""
        except ValueError:
            continue
        if where:
            break
    # VTQL, not SQL: the module is ours, the values went through quote_literal, `since` is a timestamp.
    vtql = f"select * from {submission.module} where {where}createdtime >= '{since}' limit 100;"  # noqa: S608
    try:
        rows = session.query(vtql)
    except CrmRejected as exc:
        raise CrmQueryError(f"MyCRM could not be searched for an earlier copy: {exc.message}", exc.code) from None
    hidden = sensitive_names(submission.module)
    for row in rows:
        if all(
            str(row.get(name, "")).strip() == value
            for name, value in payload.items()
            if value and name in row and name not in hidden and name != "assigned_user_id"
        ):
            return row
    return None
