"""Add the compact form (no spaces) to every stored search text (issue 13): see
``core.migration_ops.add_compact_search_forms``."""

from django.db import migrations

from aftersales.core.migration_ops import add_compact_search_forms


class Migration(migrations.Migration):
    dependencies = [("warranty", "0003_activation_request_paid_periodic_services")]

    operations = [add_compact_search_forms("warranty", "WarrantyPolicy")]
