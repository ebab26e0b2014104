from django.db import migrations


def load(apps, schema_editor):
    from aftersales.crm.reference import load_marketing_reference

    load_marketing_reference(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
