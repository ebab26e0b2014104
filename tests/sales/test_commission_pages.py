"""The agents' and commission pages and API (F42): wiring, permissions, scope, the PDF."""

from django.urls import reverse

from aftersales.organization.roles import Role
from aftersales.sales.models import Agent, CommissionRule, CommissionStatement
from tests.factories import UserFactory
from tests.sales.test_commission import (MONTH, YEAR, catalog, commission_manager, month, party,  # noqa: F401
                                         tree)


def test_the_tree_shows_each_agent_indented_with_its_sub_agents(login, tree, commission_manager):
    page = login(commission_manager).get(reverse("sales:agent-tree"))
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("P1") < body.index("C1") < body.index("S1")
    assert "نمایندگی شهر ری" in body


def test_a_manager_adds_an_agent_from_the_page_and_a_second_submit_is_refused(login, tree, commission_manager,
                                                                             center_a):
    customer = party("فروشگاه امید")
    client = login(commission_manager)
    data = {"customer": customer.pk, "code": "S2", "center": center_a.pk, "parent": tree[1].pk}
    answer = client.post(reverse("sales:agent-create"), data)
    agent = Agent.objects.get(code="S2")
    assert answer.status_code == 302 and agent.level == 3
    again = client.post(reverse("sales:agent-create"), data)
    assert again.status_code == 400 and "نماینده" in again.content.decode()


def test_the_month_is_calculated_approved_and_printed_from_the_pages(login, month, commission_manager):
    client = login(commission_manager)
    answer = client.post(reverse("sales:commission-calculate"), {"year": YEAR, "month": MONTH})
    assert answer.status_code == 302
    page = client.get(reverse("sales:commission-period"), {"year": YEAR, "month": MONTH})
    assert "۲٬۳۱۰٬۰۰۰" in page.content.decode() or "2,310,000" in page.content.decode()
    statement = CommissionStatement.objects.get(agent__code="S1")
    detail = client.get(reverse("sales:commission-statement", args=[statement.pk]))
    assert detail.status_code == 200 and detail.content.decode().count("<tr>") >= 4
    client.post(reverse("sales:commission-approve-all"), {"year": YEAR, "month": MONTH})
    assert not CommissionStatement.objects.filter(status="draft").exists()
    pdf = client.get(reverse("sales:commission-statement-pdf", args=[statement.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_an_overlapping_rule_on_the_page_is_a_form_error(login, commission_manager):
    client = login(commission_manager)
    data = {"kind": "own", "level": "۲", "tier_from": "0", "rate": "۲٫۵", "valid_from": "1405/01/01",
            "valid_to": ""}
    assert client.post(reverse("sales:commission-rules"), data).status_code == 302
    answer = client.post(reverse("sales:commission-rules"), {**data, "valid_from": "1405/06/01"})
    assert answer.status_code == 400 and CommissionRule.objects.count() == 1


def test_another_centers_manager_sees_none_of_its_agents_or_statements(login, month, commission_manager, manager_b):
    from aftersales.sales.services_commission import commission_calculate

    statement = commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)[0]
    client = login(manager_b)
    assert "P1" not in client.get(reverse("sales:agent-tree")).content.decode()
    assert client.get(reverse("sales:agent-detail", args=[statement.agent_id])).status_code == 404
    assert client.get(reverse("sales:commission-statement", args=[statement.pk])).status_code == 404
    assert client.get(reverse("sales:commission-statement-pdf", args=[statement.pk])).status_code == 404


def test_an_accountant_calculates_but_cannot_approve(login, month, center_a):
    accountant = UserFactory(username="accountant_a", role=Role.ACCOUNTANT, centers=[center_a])
    client = login(accountant)
    client.post(reverse("sales:commission-calculate"), {"year": YEAR, "month": MONTH})
    statement = CommissionStatement.objects.get(agent__code="S1")
    assert statement.total == 2_310_000
    assert client.post(reverse("sales:commission-approve", args=[statement.pk])).status_code == 403


def test_the_api_calculates_lists_shows_lines_and_approves(api_client, month, commission_manager):
    api_client.force_authenticate(commission_manager)
    answer = api_client.post("/api/commission-statements/", {"year": YEAR, "month": MONTH}, format="json")
    assert answer.status_code == 200
    assert {row["agent_code"]: row["total"] for row in answer.json()} == {"P1": 1_605_000, "C1": 1_435_000,
                                                                         "S1": 2_310_000}
    listed = api_client.get("/api/commission-statements/", {"year": YEAR, "month": MONTH, "status": "draft"}).json()
    assert listed["count"] == 3
    sub = next(row for row in listed["results"] if row["agent_code"] == "S1")
    detail = api_client.get(f"/api/commission-statements/{sub['id']}/").json()
    assert sorted(line["amount"] for line in detail["lines"]) == [-300_000, 600_000, 810_000, 1_200_000]
    approved = api_client.post(f"/api/commission-statements/{sub['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert api_client.post(f"/api/commission-statements/{sub['id']}/approve/").status_code == 400


def test_the_api_adds_agents_and_refuses_overlapping_rules_with_400(api_client, tree, commission_manager, center_a):
    api_client.force_authenticate(commission_manager)
    customer = party("فروشگاه امید")
    answer = api_client.post("/api/agents/", {"customer": customer.pk, "center": center_a.pk, "parent": tree[2].pk,
                                              "code": "S4"}, format="json")
    assert answer.status_code == 201 and answer.json()["level"] == 4
    assert api_client.get(f"/api/agents/{answer.json()['id']}/").json()["code"] == "S4"
    assert api_client.get("/api/agents/").json()["count"] == 4
    rule = {"kind": "override", "level": 1, "rate": "1.5", "valid_from": "1405/01/01"}
    assert api_client.post("/api/commission-rules/", rule, format="json").status_code == 201
    refused = api_client.post("/api/commission-rules/", {**rule, "valid_from": "2026-06-01"}, format="json")
    assert refused.status_code == 400 and "valid_from" in refused.json()
    assert api_client.get("/api/commission-rules/").json()["count"] == 1


def test_the_demo_writes_a_tree_rules_and_statements(center_a):
    import random

    from aftersales.sales import demo_commission

    UserFactory(username="marketing", role=Role.MARKETING_MANAGER, centers=[center_a])
    done = demo_commission.seed(size="small", rng=random.Random(1))
    assert done and "4 agents" in done[0]
    assert [agent.level for agent in Agent.objects.order_by("path")] == [1, 2, 3, 2]
    assert CommissionRule.objects.filter(kind="override").count() == 2
    assert CommissionStatement.objects.filter(status="approved").count() == 4
    assert demo_commission.seed(size="small", rng=random.Random(1)) == []
