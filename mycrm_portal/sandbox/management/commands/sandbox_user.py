"""`manage.py sandbox_user NAME [--admin] [--first-name X] [--last-name Y]`: create a CRM user in
the sandbox and print its id and access key (the only time the key is shown)."""

from django.core.management.base import BaseCommand, CommandError

from mycrm_portal.sandbox import dates, services


class Command(BaseCommand):
    help = "Create a CRM user in the sandbox CRM and print its access key."

    def add_arguments(self, parser):
        parser.add_argument("user_name")
        parser.add_argument("--admin", action="store_true", help="an admin may assign records to anyone")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--date-format", default="yyyy-mm-dd", choices=dates.FORMATS)

    def handle(self, *args, **options):
        try:
            user = services.sandbox_user_create(
                user_name=options["user_name"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                is_admin=options["admin"],
                date_format=options["date_format"],
            )
        except ValueError as exc:
            raise CommandError(str(exc))
        role = "admin" if user.is_admin else "user"
        self.stdout.write(f"Created CRM {role} {user.user_name} ({user.ws_id}).")
        self.stdout.write(f"Access key: {user.access_key}")
