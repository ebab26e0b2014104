"""The message templates and event rules the product ships (``fixtures/message_templates.json``)."""

import json

from django.conf import settings


def shipped_templates() -> dict:
    with open(settings.PACKAGE_DIR / "fixtures" / "message_templates.json", encoding="utf-8") as source:
        return json.load(source)


def load_default_templates(template_model, rule_model) -> None:
    """Add the shipped templates and rules that are missing; never touch what administrators edited."""
    data = shipped_templates()
    fields = {field.name for field in template_model._meta.get_fields()}
    for item in data["templates"]:
        template_model.objects.get_or_create(code=item["code"], defaults={
            name: value for name, value in item.items() if name in fields})
    for item in data["rules"]:
        template = template_model.objects.get(code=item["template"])
        rule_model.objects.get_or_create(event=item["event"], template=template, recipient=item["recipient"])


def update_shipped_templates(template_model) -> None:
    """Bring shipped templates nobody edited (their text is one the product shipped) up to date.

    Their text becomes the shipped one and their fallbacks the shipped ones, where they have none.
    """
    for item in shipped_templates()["templates"]:
        template = template_model.objects.filter(
            code=item["code"], body__in=[item["body"], *item.get("replaces", [])]).first()
        if template is not None:
            template.body = item["body"]
            template.fallbacks = template.fallbacks or item.get("fallbacks", {})
            template.save(update_fields=["body", "fallbacks"])
