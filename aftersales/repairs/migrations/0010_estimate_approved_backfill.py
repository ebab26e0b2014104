"""Estimates approved before the approved figure was kept: the amount on record is the one approved."""

from django.db import migrations
from django.db.models import F


def keep_approved(apps, schema_editor):
    RepairOrder = apps.get_model("repairs", "RepairOrder")
    RepairOrder.objects.filter(estimate_status="approved", estimate_approved_amount__isnull=True).update(
        estimate_approved_amount=F("estimate_amount"))


class Migration(migrations.Migration):
    dependencies = [("repairs", "0009_estimate_lines")]

    operations = [migrations.RunPython(keep_approved, migrations.RunPython.noop)]
