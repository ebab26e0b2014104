from django.db import migrations


class Migration(migrations.Migration):
    """Placeholder reserved for the workflow designer (issue 14): the repair workflow names its subject."""

    dependencies = [("repairs", "0010_estimate_approved_backfill")]

    operations = []
