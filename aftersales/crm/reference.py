"""The marketing workflows, party types and lead sources the product ships (``fixtures/marketing_workflows.json``)."""

import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext


def load_marketing_reference(apps) -> None:
    """Create what is missing of the shipped workflows, party types and lead sources; what administrators
    edited is left as they made it. Works on a migration's historical models (``apps``)."""
    from aftersales.workflow.definition import definition_from_rows

    with open(settings.PACKAGE_DIR / "fixtures" / "marketing_workflows.json", encoding="utf-8") as source:
        data = json.load(source)
    workflow_model, state_model = apps.get_model("workflow", "Workflow"), apps.get_model("workflow", "State")
    transition_model, version_model = apps.get_model("workflow", "Transition"), apps.get_model("workflow", "WorkflowVersion")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    subject, _created = content_type_model.objects.get_or_create(app_label="crm", model="party")
    with translation.override(settings.LANGUAGE_CODE):
        shipped = gettext("The workflow as the product ships it.")
    workflows = {}
    for item in data["workflows"]:
        workflow, created = workflow_model.objects.get_or_create(
            code=item["code"], defaults={"name": item["name"], "subject_id": subject.pk, "version": 1})
        workflows[item["code"]] = workflow
        if not created:
            continue
        states = {}
        for order, row in enumerate(item["states"]):
            states[row["code"]] = state_model.objects.create(workflow=workflow, order=order, **row)
        for order, row in enumerate(item["transitions"]):
            row = dict(row)
            source, target = states[row.pop("source")], states[row.pop("target")]
            transition_model.objects.create(workflow=workflow, source=source, target=target, order=order, **row)
        version_model.objects.create(
            workflow_id=workflow.pk, number=1, reason=shipped,
            definition=definition_from_rows(
                workflow, state_model.objects.filter(workflow_id=workflow.pk).order_by("order", "pk"),
                transition_model.objects.filter(workflow_id=workflow.pk).select_related("source", "target")
                .order_by("order", "pk"), subject="crm.party", version=1))
    type_model, source_model = apps.get_model("crm", "PartyType"), apps.get_model("crm", "LeadSource")
    for order, row in enumerate(data["party_types"]):
        type_model.objects.get_or_create(code=row["code"], defaults={
            "name": row["name"], "workflow": workflows[row["workflow"]], "order": order})
    for row in data["lead_sources"]:
        source_model.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})
