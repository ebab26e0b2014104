"""The marketing workflows are edited in the workflow designer like the repair workflow (F44, F57)."""

import pytest

from aftersales.crm.services import party_move
from aftersales.workflow.definition import definition_of, workflow_publish
from aftersales.workflow.models import Workflow

pytestmark = pytest.mark.django_db


def test_the_designer_opens_a_marketing_workflow(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-Pass-123")
    client.force_login(admin)
    assert client.get("/workflows/").status_code == 200
    page = client.get("/workflows/sales-pipeline/")
    assert page.status_code == 200
    assert "بررسی نیاز" in page.content.decode()


def test_a_published_change_is_what_parties_move_along(lead, visitor_a, head_office):
    workflow = Workflow.objects.get(code="sales-pipeline")
    definition = definition_of(workflow)
    definition["transitions"].append({"code": "skip_to_negotiation", "name": "مذاکره مستقیم",
                                      "source": "first_contact", "target": "negotiation", "roles": [],
                                      "condition": "", "required_fields": [], "requires_comment": False,
                                      "actions": []})
    workflow_publish(workflow=workflow, definition=definition, acting_user=head_office,
                     reason="نماینده‌های قدیمی مستقیم مذاکره می‌کنند", base_version=workflow.version)
    moved = party_move(party=lead, code="skip_to_negotiation", acting_user=visitor_a)
    assert moved.state.code == "negotiation"
