"""Add the compact form (no spaces) to every stored search text (issue 13): see
``core.migration_ops.add_compact_search_forms``."""

from django.db import migrations

from aftersales.core.migration_ops import add_compact_search_forms


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_unit_event_transferred")]

    operations = [add_compact_search_forms("catalog", "ProductGroup", "Brand", "ComponentType", "ProductModel", "SparePart", "ServiceItem", "FaultCode")]
