from django.db import migrations


def load(apps, schema_editor):
    """Ship the templates and rules F16/F17 need; administrators edit them afterwards."""
    from aftersales.messaging.reference import load_default_templates

    load_default_templates(apps.get_model("messaging", "MessageTemplate"), apps.get_model("messaging", "EventRule"))


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
