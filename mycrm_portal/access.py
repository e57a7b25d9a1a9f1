"""Who may see and act on whose work: the one access rule of every list, page, report and export.

- staff see everyone's;
- a team lead sees their own and that of everyone on a team they lead (members and fellow leads);
- a rep sees their own.

Views and selectors ask here, never `user.is_staff` or `submitted_by=user` on their own. The set of
users is read once per request (kept on the user object).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import Team

_CACHE_ATTR = "_portal_visible_user_ids"


def visible_user_ids(user) -> frozenset[int] | None:
    """The ids of the users whose work `user` may see; None for everyone (staff)."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_staff:
        return None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    # One query: the members and the leads of every team this user leads.
    people = get_user_model().objects.filter(Q(teams__leads=user) | Q(teams_led__leads=user))
    result = frozenset({user.pk, *people.values_list("pk", flat=True).distinct()})
    setattr(user, _CACHE_ATTR, result)
    return result


def visible(qs: QuerySet, user, field: str) -> QuerySet:
    """`qs` narrowed to the rows whose `field` (a user foreign key) `user` may see."""
    ids = visible_user_ids(user)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


def may_act_for(user, owner_id: int | None) -> bool:
    """May `user` see and act on work done by the user `owner_id`?"""
    ids = visible_user_ids(user)
    return ids is None or (owner_id is not None and owner_id in ids)


def sees_others(user) -> bool:
    """Staff and team leads: their pages name who did what."""
    ids = visible_user_ids(user)
    return ids is None or len(ids) > 1


def leads_a_team(user) -> bool:
    """Staff, or the lead of at least one team (the reports are theirs)."""
    return user.is_authenticated and (user.is_staff or Team.objects.filter(leads=user).exists())


def teams_visible(user) -> QuerySet:
    """The teams `user` may report on: all for staff, the ones they lead otherwise."""
    if user.is_staff:
        return Team.objects.all()
    return Team.objects.filter(leads=user)
