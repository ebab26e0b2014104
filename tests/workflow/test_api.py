"""Workflows over REST: list, export as a file, import, publish; 403 without the workflow permission and
400 naming the field for every refusal (issue 14)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.workflow.definition import definition_of
from aftersales.workflow.models import Workflow
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api_client, head_office):
    api_client.force_authenticate(head_office)
    return api_client


def with_hold(definition):
    definition = json.loads(json.dumps(definition))
    definition["states"].append({"code": "on_hold", "name": "معلق"})
    definition["transitions"] += [
        {"code": "hold", "name": "تعلیق", "source": "received", "target": "on_hold", "roles": ["receptionist"]},
        {"code": "release", "name": "ادامه", "source": "on_hold", "target": "received", "roles": ["receptionist"]}]
    return definition


def test_the_list_names_each_workflow_its_subject_version_and_records(admin_api, receive):
    receive(serial="UNKNOWN-1")
    response = admin_api.get("/api/workflows/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert set(rows) == {"repair", "sales-pipeline", "project-pipeline"}
    row = rows["repair"]
    assert (row["code"], row["subject"], row["version"], row["states"], row["records_in_flight"]) == (
        "repair", "repairs.repairorder", 1, 10, 1)
    assert row["subject_name"]
    assert (rows["sales-pipeline"]["subject"], rows["sales-pipeline"]["records_in_flight"]) == ("crm.party", 0)


def test_export_is_a_file_download_of_the_definition(admin_api):
    response = admin_api.get("/api/workflows/repair/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="workflow-repair-v1.json"'
    assert json.loads(response.content) == definition_of(Workflow.objects.get(code="repair"))


def test_export_import_round_trip_through_a_file(admin_api):
    data = json.loads(admin_api.get("/api/workflows/repair/export/").content)
    data["code"] = "repair_test_site"
    upload = SimpleUploadedFile("workflow.json", json.dumps(data, ensure_ascii=False).encode(), "application/json")
    response = admin_api.post("/api/workflows/import/", {"file": upload, "reason": "از سایت آزمایشی"},
                              format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["workflow"] == "repair_test_site" and response.json()["number"] == 1
    copy = definition_of(Workflow.objects.get(code="repair_test_site"))
    assert copy == data


def test_import_as_json_publishes_over_the_workflow_with_its_code(admin_api):
    definition = with_hold(definition_of(Workflow.objects.get(code="repair")))
    response = admin_api.post("/api/workflows/import/", {"definition": definition, "reason": "حالت معلق",
                                                         "base_version": 1}, format="json")
    assert response.status_code == 201 and response.json()["number"] == 2


def test_a_file_of_another_product_is_a_400_naming_the_file(admin_api):
    upload = SimpleUploadedFile("x.json", b'{"doctype": "Workflow", "states": []}', "application/json")
    with nothing_written():
        response = admin_api.post("/api/workflows/import/", {"file": upload, "reason": "x"}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "format" and response.json()["file"]


def test_an_import_without_a_file_or_reason_is_a_400(admin_api):
    response = admin_api.post("/api/workflows/import/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "file" in response.json()


def test_publish_refusals_are_400s_naming_the_field(admin_api, receive, reception_a):
    workflow = Workflow.objects.get(code="repair")
    definition = with_hold(definition_of(workflow))
    url = "/api/workflows/repair/publish/"
    response = admin_api.post(url, {"definition": definition, "reason": " ", "base_version": 1}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "reason" and response.json()["reason"]
    broken = json.loads(json.dumps(definition))
    broken["transitions"][0]["condition"] = "moon_is_full"
    response = admin_api.post(url, {"definition": broken, "reason": "x", "base_version": 1}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "problems"
    assert any("moon_is_full" in message for message in response.json()["problems"])
    response = admin_api.post(url, {"definition": definition, "reason": "حالت معلق", "base_version": 1},
                              format="json")
    assert response.status_code == 201 and response.json()["published_by"] == "head_office"
    response = admin_api.post(url, {"definition": definition, "reason": "دوباره", "base_version": 1}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "stale"
    assert response.json()["version"] == 2 and response.json()["by"] and response.json()["reason"] == "حالت معلق"
    from aftersales.repairs.services import order_transition

    order_transition(order=receive(serial="UNKNOWN-1"), code="hold", acting_user=reception_a)
    response = admin_api.post(url, {"definition": definition_of(Workflow.objects.get(code="repair"), 1),
                                    "reason": "بدون معلق", "base_version": 2}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "moves"
    assert response.json()["states"] == {"on_hold": 1} and response.json()["moves"]
    response = admin_api.post(url, {"definition": definition_of(Workflow.objects.get(code="repair"), 1),
                                    "reason": "بدون معلق", "base_version": 2, "moves": {"on_hold": "received"}},
                              format="json")
    assert response.status_code == 201 and response.json()["moves"] == {"on_hold": "received"}


@pytest.mark.parametrize(("method", "url"), [("get", "/api/workflows/"), ("get", "/api/workflows/repair/export/"),
                                             ("post", "/api/workflows/import/"),
                                             ("post", "/api/workflows/repair/publish/")])
def test_without_the_workflow_permission_it_is_403(api_client, manager_a, method, url):
    api_client.force_authenticate(manager_a)
    assert getattr(api_client, method)(url, {}, format="json").status_code == 403


def test_the_endpoints_are_in_the_openapi_schema(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()
    assert {"/api/workflows/", "/api/workflows/{code}/export/", "/api/workflows/import/",
            "/api/workflows/{code}/publish/"} <= set(schema["paths"])
