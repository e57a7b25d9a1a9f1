"""What serviceability/ announces to the apps above it (the reports), without knowing them."""

from django.dispatch import Signal

# Sent with `check` (a stored AddressCheck) and `providers` (the names at its primary location,
# each once) when a check has been made and stored.
address_check_made = Signal()

# Sent with `bulk_list_id` when a bulk list waits for a worker (new, or stalled): tasks.py enqueues it.
bulk_list_ready = Signal()
