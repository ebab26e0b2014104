from django.db import migrations


def update(apps, schema_editor):
    """Shipped templates nobody edited say the cost with its unit (free for warranty work)."""
    from aftersales.messaging.reference import update_shipped_templates

    update_shipped_templates(apps.get_model("messaging", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_template_fallbacks_and_held_messages")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
