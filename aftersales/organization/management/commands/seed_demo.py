import random

from django.core.management.base import BaseCommand

from aftersales.core.demo import seeders
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
            self.stdout.write("Demo organization already present; nothing changed.")
        for name, seeder in seeders():
            line = seeder(size=size, rng=random.Random(f"{name}-1405"))
            self.stdout.write(f"{name}: {line}")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for username, role in result["logins"]:
            self.stdout.write(f"  {username:<12} {role_label(role)}")
