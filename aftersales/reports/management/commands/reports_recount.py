"""Recount every summary the reports read from the records they summarise, after data was written
around the services (a repair in SQL, a restore)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Recount the summaries the reports read (centers' days and months, fault and part months, units sold, billing days)."

    def handle(self, *args, **options):
        from aftersales.billing.tallies import billing_days_rebuild
        from aftersales.catalog.tallies import units_sold_rebuild
        from aftersales.repairs.tallies import (center_days_rebuild, center_state_months_rebuild,
                                                fault_months_rebuild, part_months_rebuild)

        for label, rebuild in ((_("centers' days"), center_days_rebuild),
                               (_("centers' months in states"), center_state_months_rebuild),
                               (_("months of fault codes"), fault_months_rebuild),
                               (_("months of spare parts"), part_months_rebuild),
                               (_("units sold of production days"), units_sold_rebuild),
                               (_("centers' billing days"), billing_days_rebuild)):
            started = time.perf_counter()
            rows = rebuild()
            self.stdout.write(f"{label}: {rows} ({time.perf_counter() - started:.1f} s)")
