"""The message templates and event rules the product ships (``fixtures/message_templates.json``)."""

import json

from django.conf import settings


def load_default_templates(template_model, rule_model) -> None:
    """Add the shipped templates and rules that are missing; never touch what administrators edited."""
    with open(settings.PACKAGE_DIR / "fixtures" / "message_templates.json", encoding="utf-8") as source:
        data = json.load(source)
    for item in data["templates"]:
        template_model.objects.get_or_create(code=item["code"], defaults=item)
    for item in data["rules"]:
        template = template_model.objects.get(code=item["template"])
        rule_model.objects.get_or_create(event=item["event"], template=template, recipient=item["recipient"])
