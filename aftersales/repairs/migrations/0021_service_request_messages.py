from django.db import migrations


def load(apps, schema_editor):
    """Ship the SMS of a service request received and declined (issue 22) and their rules."""
    from aftersales.messaging.reference import load_default_templates

    load_default_templates(apps.get_model("messaging", "MessageTemplate"), apps.get_model("messaging", "EventRule"))


class Migration(migrations.Migration):
    dependencies = [("repairs", "0020_service_requests"), ("messaging", "0004_shipped_templates_without_holes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
