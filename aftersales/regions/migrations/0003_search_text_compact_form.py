"""Add the compact form (no spaces) to every stored search text (issue 13): see
``core.migration_ops.add_compact_search_forms``."""

from django.db import migrations

from aftersales.core.migration_ops import add_compact_search_forms


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_load_iran_regions")]

    operations = [add_compact_search_forms("regions", "Region", "SalesTerritory")]
