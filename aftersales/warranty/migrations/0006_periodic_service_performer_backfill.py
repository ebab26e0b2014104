"""Visits recorded before the performer was kept: whoever recorded them gave them."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    PeriodicService = apps.get_model("warranty", "PeriodicService")
    PeriodicService.objects.filter(done_on__isnull=False, performed_by__isnull=True).update(performed_by=F("done_by"))


class Migration(migrations.Migration):
    dependencies = [("warranty", "0005_periodic_service_performed_by")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
