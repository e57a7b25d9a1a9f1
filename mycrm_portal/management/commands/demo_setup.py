"""`manage.py demo_setup`: the demo users `make run` prints, connected to the sandbox CRM.

Development only: it refuses to run with DEBUG off or without the sandbox.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mycrm_portal.crm.models import CrmAccount

DEMO_USERS = [
    # (portal username, first, last, staff, CRM user in the sandbox, CRM admin)
    ("demo", "Dana", "Demo", False, "demo", False),
    ("manager", "Morgan", "Manager", True, "admin", True),
]


class Command(BaseCommand):
    help = "Create the demo rep and manager, connected to the sandbox CRM, and print their sign-in."

    def handle(self, *args, **options):
        if not settings.DEBUG or not settings.SANDBOX_ENABLED:
            raise CommandError("demo_setup is for development: it needs DEBUG and the sandbox on.")
        from mycrm_portal.sandbox import services as sandbox

        password = os.environ.get("DEMO_PASSWORD", "sales-demo-2026")
        sandbox.ensure_admin()
        lines = []
        for username, first, last, staff, crm_name, crm_admin in DEMO_USERS:
            user, _ = get_user_model().objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"}
            )
            user.is_staff = user.is_superuser = staff
            if not user.check_password(password):
                user.set_password(password)
            user.save()
            crm_user = (
                sandbox.ensure_admin()
                if crm_name == "admin"
                else sandbox.sandbox_user_get_or_create(
                    user_name=crm_name, first_name=first, last_name=last, is_admin=crm_admin
                )
            )
            account, _ = CrmAccount.objects.get_or_create(user=user, defaults={"crm_username": crm_user.user_name})
            if account.crm_username != crm_user.user_name or account.access_key != crm_user.access_key:
                account.crm_username = crm_user.user_name
                account.access_key = crm_user.access_key
                account.session_name = ""
            account.crm_user_id = crm_user.ws_id
            account.crm_name = f"{first} {last}"
            account.crm_is_admin = crm_user.is_admin
            account.last_error = ""
            account.save()
            role = "manager, staff" if staff else "sales rep"
            lines.append(
                f"  {username} / {password}   ({role}; MyCRM sandbox user {crm_user.user_name}, {crm_user.ws_id})"
            )
        self.stdout.write("Demo sign-in (development only):")
        for line in lines:
            self.stdout.write(line)
