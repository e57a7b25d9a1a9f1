"""A submission's fields as the CRM takes them, and the copy of a rep's form values onto a submission.

Which fields exist, which are sensitive and which are dropped after sync come from
mycrm_portal/crm/schema.py; nothing here lists field names of its own.
"""

from datetime import date

from django.db import models

from mycrm_portal.crm.schema import field_map, field_names, sensitive_names

from .models import SUBMISSION_MODELS, Submission

HIDDEN = "__sensitive__"  # stands for a sensitive value in pending_changes


def crm_fields(kind: str) -> list[str]:
    """The fields the portal sends for a kind of submission, in the seed's order."""
    return field_names(SUBMISSION_MODELS[kind].module)


def crm_value(submission: Submission, name: str) -> str:
    """A field as the CRM takes it: strings, dates as YYYY-MM-DD, checkboxes as "1"/"0"."""
    return crm_string(getattr(submission, name))


def crm_string(value) -> str:
    """A cleaned form value as the CRM takes it."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def crm_payload(submission: Submission, names=None) -> dict[str, str]:
    return {name: crm_value(submission, name) for name in (names or field_names(submission.module))}


def pending_value(submission: Submission, name: str) -> str:
    """What pending_changes records for a changed field: never a sensitive value itself."""
    return HIDDEN if name in sensitive_names(submission.module) else crm_value(submission, name)


def assign(submission: Submission, data: dict, *, editing: bool = False) -> list[str]:
    """Copy cleaned form values onto the submission; the names of the fields that changed.

    On the edit form a sensitive field left empty keeps what is stored (it is never rendered back).
    """
    changed = []
    for name, spec in field_map(submission.module).items():
        if name not in data:
            continue
        value = data[name]
        if spec.sensitive and editing and not value:
            continue
        if not isinstance(submission._meta.get_field(name), models.DateField):
            # A text column: a date (the encrypted birthday) as YYYY-MM-DD, nothing as "".
            value = value.isoformat() if isinstance(value, date) else ("" if value is None else value)
        if getattr(submission, name) != value:
            setattr(submission, name, value)
            changed.append(name)
            if spec.drop_after_sync:
                setattr(submission, f"{name}_last4", value[-4:] if value else "")
    return changed
