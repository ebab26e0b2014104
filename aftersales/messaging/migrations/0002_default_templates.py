import json

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    """Ship the templates and rules F16/F17 need; administrators edit them afterwards."""
    template_model = apps.get_model("messaging", "MessageTemplate")
    rule_model = apps.get_model("messaging", "EventRule")
    with open(settings.PACKAGE_DIR / "fixtures" / "message_templates.json", encoding="utf-8") as source:
        data = json.load(source)
    for item in data["templates"]:
        template_model.objects.get_or_create(code=item["code"], defaults=item)
    for item in data["rules"]:
        template = template_model.objects.get(code=item["template"])
        rule_model.objects.get_or_create(event=item["event"], template=template, recipient=item["recipient"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
