"""The default repair workflow the product ships (``fixtures/repair_workflow.json``)."""

import json

from django.conf import settings


def load_repair_workflow(workflow_model, state_model, transition_model) -> None:
    """Create the shipped workflow if it is missing; an edited one is left as administrators made it."""
    with open(settings.PACKAGE_DIR / "fixtures" / "repair_workflow.json", encoding="utf-8") as source:
        data = json.load(source)
    workflow, created = workflow_model.objects.get_or_create(code=data["code"], defaults={"name": data["name"]})
    if not created:
        return
    states = {}
    for order, item in enumerate(data["states"]):
        states[item["code"]] = state_model.objects.create(workflow=workflow, order=order, **item)
    for order, item in enumerate(data["transitions"]):
        item = dict(item)
        source, target = states[item.pop("source")], states[item.pop("target")]
        transition_model.objects.create(workflow=workflow, source=source, target=target, order=order, **item)
