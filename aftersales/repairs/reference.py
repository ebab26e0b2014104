"""The default repair workflow the product ships (``fixtures/repair_workflow.json``)."""

import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext


def load_repair_workflow(workflow_model, state_model, transition_model, version_model=None) -> None:
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
    if version_model is None and hasattr(workflow_model, "versions") and not hasattr(workflow_model, "__fake__"):
        from aftersales.workflow.models import WorkflowVersion

        version_model = WorkflowVersion
    if version_model is not None:
        repair_workflow_subject(workflow_model, state_model, transition_model, version_model)


def repair_workflow_subject(workflow_model, state_model, transition_model, version_model) -> None:
    """Name repair orders as the repair workflow's subject and keep its definition as version 1.

    Works on the real models and on a migration's historical ones (no model methods used).
    """
    from aftersales.workflow.definition import definition_from_rows

    content_type_model = workflow_model._meta.get_field("subject").related_model
    workflow = workflow_model.objects.filter(code=settings.REPAIRS_WORKFLOW).first()
    if workflow is None:
        return
    subject, _created = content_type_model.objects.get_or_create(app_label="repairs", model="repairorder")
    if workflow.subject_id is None:
        workflow.subject_id = subject.pk
    if not version_model.objects.filter(workflow_id=workflow.pk).exists():
        workflow.version = 1
        with translation.override(settings.LANGUAGE_CODE):
            shipped = gettext("The workflow as the product ships it.")
        states = state_model.objects.filter(workflow_id=workflow.pk, is_active=True).order_by("order", "pk")
        transitions = (transition_model.objects.filter(workflow_id=workflow.pk, source__is_active=True)
                       .select_related("source", "target").order_by("order", "pk"))
        version_model.objects.create(
            workflow_id=workflow.pk, number=1, reason=shipped,
            definition=definition_from_rows(workflow, states, transitions, subject="repairs.repairorder", version=1))
    workflow.save(update_fields=["subject", "version"])
