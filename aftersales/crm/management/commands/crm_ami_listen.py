"""Listen to the telephone exchange (Asterisk/Issabel AMI) and pop the caller's panel up on the agent's page."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from aftersales.crm.ami import listen


class Command(BaseCommand):
    help = ("Listen to the Asterisk/Issabel manager interface (CRM_AMI_HOST, CRM_AMI_PORT, CRM_AMI_USERNAME, "
            "CRM_AMI_SECRET) and record each call ringing at an agent's extension, so their open page shows the "
            "caller's panel. Runs until stopped; reconnects by itself. Off unless CRM_AMI_ENABLED.")

    def add_arguments(self, parser):
        parser.add_argument("--calls", type=int, default=None,
                            help="Stop after this many ringing calls (a check of the connection).")

    def handle(self, *args, calls=None, **options):
        if not settings.CRM_AMI_ENABLED:
            self.stdout.write("CRM_AMI_ENABLED is off: nothing to listen to. Set it (and CRM_AMI_HOST, "
                              "CRM_AMI_USERNAME, CRM_AMI_SECRET) to show ringing calls to the agents.")
            return
        stop = threading.Event()
        for name in ("SIGTERM", "SIGINT"):
            signal.signal(getattr(signal, name), lambda *_args: stop.set())
        self.stdout.write(f"Listening to {settings.CRM_AMI_HOST}:{settings.CRM_AMI_PORT} as "
                          f"{settings.CRM_AMI_USERNAME}…")
        handled = listen(host=settings.CRM_AMI_HOST, port=settings.CRM_AMI_PORT,
                         username=settings.CRM_AMI_USERNAME, secret=settings.CRM_AMI_SECRET, stop=stop,
                         max_calls=calls)
        self.stdout.write(f"Stopped after {handled} ringing call(s).")
