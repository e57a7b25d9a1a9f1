from django.dispatch import Signal

# Sent with `user` when a rep connects (or fixes) their CRM account, so that work waiting for a
# working account (queued submissions) can go now.
crm_account_connected = Signal()

# Sent at most once a day by the audit trail (audit.py): the rows past AUDIT_RETENTION_DAYS may go.
crm_writes_prune_due = Signal()
