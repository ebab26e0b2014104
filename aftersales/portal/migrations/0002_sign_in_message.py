from django.db import migrations


def load(apps, schema_editor):
    """Ship the SMS carrying the portal's sign-in code (event ``portal_sign_in_code``) and its rule."""
    from aftersales.messaging.reference import load_default_templates

    load_default_templates(apps.get_model("messaging", "MessageTemplate"), apps.get_model("messaging", "EventRule"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_sign_in"), ("messaging", "0004_shipped_templates_without_holes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
