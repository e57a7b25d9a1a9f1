"""Print how the portal's fields fit MyCRM (from its describe), optionally reading describe again.

manage.py crm_fields                 # what the portal last read
manage.py crm_fields --refresh USER  # read describe again, as the portal user USER
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mycrm_portal.crm.client import CrmError
from mycrm_portal.crm.fieldfit import MODULES, describe_refresh, field_fit, fit_fetched_at
from mycrm_portal.crm.sessions import crm_session_for


class Command(BaseCommand):
    help = "Show which portal fields MyCRM has, of which type, and what the portal does with the others."

    def add_arguments(self, parser):
        parser.add_argument("--refresh", metavar="USER", help="read describe again as this portal user first")

    def handle(self, *args, refresh=None, **options):
        if refresh:
            user = get_user_model().objects.filter(username=refresh).first()
            if user is None:
                raise CommandError(f"No portal user named {refresh!r}.")
            try:
                describe_refresh(crm_session_for(user))
            except CrmError as exc:
                raise CommandError(f"MyCRM's fields could not be read: {exc.message}") from None
        missing = 0
        for module in MODULES:
            fetched = fit_fetched_at(module)
            when = f"read {fetched:%Y-%m-%d %H:%M} UTC" if fetched else "not read from MyCRM yet"
            self.stdout.write(f"{module} ({when})")
            for fit in field_fit(module):
                crm = f"{fit.crm_type}{', mandatory' if fit.mandatory else ''}" if fit.present else ""
                hint = f"; suggested: {fit.suggestion}" if fit.suggestion and not fit.sent_as else ""
                self.stdout.write(f"  {fit.name:18} {fit.field.type:9} {crm:20} {fit.status}{hint}")
                missing += fit.present is False
        self.stdout.write(f"{missing} portal field(s) missing from MyCRM.")
