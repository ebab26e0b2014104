from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from aftersales.organization.demo import DEMO_PASSWORD, SIZES, seed_organization
from aftersales.organization.roles import role_label


class Command(BaseCommand):
    help = "Create realistic Persian demo data once (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")

    def handle(self, *args, size, **options):
        result = seed_organization(size=size)
        if result["created"]:
            self.stdout.write(f"Demo data created: {result['centers']} centers, {result['users']} users.")
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for username, role in result["logins"]:
            self.stdout.write(f"  {username:<12} {role_label(role)}")
