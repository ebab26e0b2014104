from django.db import migrations


def load(apps, schema_editor):
    """Ship the SMS of the contracts' and cheques' alarms (event ``sales_alarm``) and its rule (F52)."""
    from aftersales.messaging.reference import load_default_templates

    load_default_templates(apps.get_model("messaging", "MessageTemplate"), apps.get_model("messaging", "EventRule"))


class Migration(migrations.Migration):
    dependencies = [("sales", "0004_credited_line"), ("messaging", "0004_shipped_templates_without_holes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
