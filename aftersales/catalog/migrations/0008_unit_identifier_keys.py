"""Identifiers kept as given, matched on key columns (issue 20).

On a 10-million-row unit table: the five key columns are added with a constant default (no rewrite on
PostgreSQL ≥ 11); one UPDATE copies every identifier into its key, which is already the key for every
row written before (serials and imported numbers were stored stripped and upper-cased); only the rows
whose numbers were typed in a form with separators or lower case (few) are computed in Python. Then the
unique constraint and indexes move from the serial to its key; the invoice and subscription indexes on
the stored values go, partial indexes on the non-empty keys come.
"""

from django.db import migrations, models

KEYS = {
    "serial": "serial_key",
    "sale_invoice_no": "sale_invoice_key",
    "delivery_note_no": "delivery_note_key",
    "subscription_no": "subscription_key",
    "batch": "batch_key",
}


def keys_fill(apps, schema_editor):
    from aftersales.catalog.identifiers import identifier_key

    ProductUnit = apps.get_model("catalog", "ProductUnit")
    table = ProductUnit._meta.db_table
    quote = schema_editor.quote_name
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET " + ", ".join(f"{quote(key)} = {quote(name)}" for name, key in KEYS.items()))
        # A value with anything but upper-case ASCII letters and digits is not its own key.
        if connection.vendor == "postgresql":
            odd = " OR ".join(f"{quote(name)} ~ '[^A-Z0-9]'" for name in KEYS)
        else:
            odd = " OR ".join(f"{quote(name)} GLOB '*[^A-Z0-9]*'" for name in KEYS)
        cursor.execute(f"SELECT id FROM {table} WHERE {odd}")
        ids = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(ids), 2000):
        units = list(ProductUnit.objects.filter(pk__in=ids[start:start + 2000]).only("pk", *KEYS))
        for unit in units:
            for name, key in KEYS.items():
                setattr(unit, key, identifier_key(getattr(unit, name)))
        ProductUnit.objects.bulk_update(units, list(KEYS.values()))


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0007_search_text_compact_form"),
    ]

    operations = [
        migrations.AddField(
            model_name="productunit",
            name="serial_key",
            field=models.CharField(default="", editable=False, max_length=40, verbose_name="serial (matching key)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="productunit",
            name="batch_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="productunit",
            name="sale_invoice_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="productunit",
            name="delivery_note_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="productunit",
            name="subscription_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
        ),
        migrations.RunPython(keys_fill, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(
            model_name="productunit",
            name="catalog_unit_serial_unique_per_brand",
        ),
        migrations.RemoveIndex(
            model_name="productunit",
            name="catalog_unit_serial_idx",
        ),
        migrations.AlterField(
            model_name="productunit",
            name="sale_invoice_no",
            field=models.CharField(blank=True, max_length=40, verbose_name="sale invoice no."),
        ),
        migrations.AlterField(
            model_name="productunit",
            name="subscription_no",
            field=models.CharField(blank=True, max_length=40, verbose_name="subscription no."),
        ),
        migrations.AddConstraint(
            model_name="productunit",
            constraint=models.UniqueConstraint(fields=("brand", "serial_key"), name="catalog_unit_serial_key_unique_per_brand"),
        ),
        migrations.AddIndex(
            model_name="productunit",
            index=models.Index(fields=["serial_key"], name="catalog_unit_serial_key_idx"),
        ),
        migrations.AddIndex(
            model_name="productunit",
            index=models.Index(condition=models.Q(("sale_invoice_key", ""), _negated=True), fields=["sale_invoice_key"],
                               name="catalog_unit_invoice_key_idx"),
        ),
        migrations.AddIndex(
            model_name="productunit",
            index=models.Index(condition=models.Q(("delivery_note_key", ""), _negated=True), fields=["delivery_note_key"],
                               name="catalog_unit_delivery_key_idx"),
        ),
        migrations.AddIndex(
            model_name="productunit",
            index=models.Index(condition=models.Q(("subscription_key", ""), _negated=True), fields=["subscription_key"],
                               name="catalog_unit_subscr_key_idx"),
        ),
    ]
