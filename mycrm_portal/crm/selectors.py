"""Reads of CRM accounts: the one way portal code finds a rep's CrmAccount."""

from .models import CrmAccount


def crm_account_for(*, user, with_secrets: bool = False) -> CrmAccount | None:
    """The user's connected CRM account, or None (also for an anonymous user).

    Pages need only the names and ids: the encrypted access key and session are not read (nor
    decrypted) unless `with_secrets`, which only the session code asks for.
    """
    if user is None or not user.is_authenticated:
        return None
    qs = CrmAccount.objects.filter(user_id=user.pk)
    if not with_secrets:
        qs = qs.defer("access_key", "session_name")
    return qs.first()
