"""`manage.py sandbox_fault`: switch the sandbox's faults and read its counters.

sandbox_fault crm slow --seconds 3     # or down, html_error, php_notice, commit_then_timeout, duplicates, query_denied
sandbox_fault fcc failed               # or down, slow, html_error
sandbox_fault sharing private          # a non-admin sees and changes only its own records (off: public)
sandbox_fault crm invalidate-sessions  # end every live CRM session
sandbox_fault clear                    # every fault off
sandbox_fault status                   # faults and counters
"""

from django.core.management.base import BaseCommand, CommandError

from mycrm_portal.sandbox import services


class Command(BaseCommand):
    help = "Switch sandbox faults (crm|fcc MODE [--seconds N], clear, status, crm invalidate-sessions)."

    def add_arguments(self, parser):
        parser.add_argument("target", help="crm, fcc, sharing, clear or status")
        parser.add_argument("mode", nargs="?", help="a fault mode, off, or (crm) invalidate-sessions")
        parser.add_argument("--seconds", type=float, default=5.0, help="delay of slow and commit_then_timeout")

    def handle(self, *args, target, mode, seconds, **options):
        if target == "clear":
            services.faults_clear()
            self.stdout.write("Every fault is off.")
            return
        if target == "status":
            self._status()
            return
        if target not in services.TARGETS:
            raise CommandError(f"Unknown target {target!r}: crm, fcc, sharing, clear or status.")
        if not mode:
            raise CommandError(f"Which fault? One of: {', '.join(services.MODES[target])}, off.")
        if mode == "off":
            services.faults_clear(target=target)
            self.stdout.write(f"No fault on {target}.")
            return
        if target == "crm" and mode == "invalidate-sessions":
            self.stdout.write(f"{services.sessions_invalidate()} CRM session(s) ended.")
            return
        try:
            services.fault_set(target=target, mode=mode, seconds=seconds)
        except ValueError as exc:
            raise CommandError(str(exc))
        delay = f" ({seconds:g} s)" if mode in services.DELAY_MODES else ""
        self.stdout.write(f"{target}: {mode}{delay} is on.")

    def _status(self):
        active = services.faults()
        for target in services.TARGETS:
            fault = active.get(target)
            if fault is None:
                state = "no fault"
            elif fault["mode"] in services.DELAY_MODES:
                state = f"{fault['mode']} ({fault['seconds']:g} s)"
            else:
                state = fault["mode"]
            self.stdout.write(f"{target}: {state}")
            for operation, count in sorted(services.counters(target).items()):
                self.stdout.write(f"  {operation}: {count}")
