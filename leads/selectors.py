"""Reads for the pages: which submissions a user may see, and the dashboard's lists.

Keyword-only functions named <noun>_list / <noun>_for, each taking the user whose access applies
(mycrm_portal/access.py: a rep sees their own, a team lead their teams', staff every one).
"""

from django.db.models import Q

from mycrm_portal import access

from .models import SUBMISSION_MODELS, Status, Submission

_SEARCHED = ("firstname", "lastname", "email", "phone", "mobile")


def _visible(kind: str, user):
    return access.visible(SUBMISSION_MODELS[kind].objects.select_related("submitted_by"), user, "submitted_by")


def submission_list(*, kind: str, user, search: str = "", status: str = ""):
    """The submissions this user may see, newest first, searchable."""
    qs = _visible(kind, user)
    if status in Status.values:
        qs = qs.filter(status=status)
    for term in search.split()[:5]:
        match = Q(crm_id__iexact=term)
        for name in _SEARCHED:
            match |= Q(**{f"{name}__icontains": term})
        qs = qs.filter(match)
    return qs.order_by("-created_at", "-pk")


def submission_for(*, kind: str, user, pk: int) -> Submission | None:
    """The submission if this user may see it (access.py), else None."""
    return _visible(kind, user).filter(pk=pk).first()


def submission_recent_list(*, user, limit: int = 8) -> list[Submission]:
    """The user's own newest Leads and Contacts together, newest first."""
    return _newest(user, limit, statuses=None)


def submission_attention_list(*, user, limit: int = 8) -> list[Submission]:
    """The user's own submissions that need them: queued or rejected, newest first."""
    return _newest(user, limit, statuses=[Status.QUEUED, Status.REJECTED])


# What the dashboard's lists show of a submission: reading (and decrypting) the whole row of each
# took twice as long.
_LISTED = ("pk", "firstname", "lastname", "status", "last_error_message", "crm_id", "created_at")


def _newest(user, limit, *, statuses):
    found = []
    for model in SUBMISSION_MODELS.values():
        qs = model.objects.filter(submitted_by=user).only(*_LISTED)
        if statuses:
            qs = qs.filter(status__in=statuses)
        found.extend(qs.order_by("-created_at")[:limit])
    return sorted(found, key=lambda s: s.created_at, reverse=True)[:limit]
