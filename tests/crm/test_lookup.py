"""Who is calling: a phone number in any Iranian form finds its customers and leads (page and API)."""

import pytest
from django.urls import reverse

from aftersales.crm.panel import AREA_CODES, PhoneInvalid, phone_candidates
from aftersales.organization.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["+98 912 123 4567", "۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "0098-912-123-4567",
                                   "989121234567", "9121234567", "(0912) 123 45 67"])
def test_a_mobile_in_any_form_is_one_number(typed):
    assert phone_candidates(typed) == ["09121234567"]


@pytest.mark.parametrize("typed", ["021-8877 6655", "02188776655", "+98 21 8877 6655", "2188776655", "۰۲۱۸۸۷۷۶۶۵۵"])
def test_a_landline_with_its_area_code_is_one_number(typed):
    assert phone_candidates(typed) == ["02188776655"]


def test_a_landline_without_its_area_code_is_looked_for_in_every_province():
    numbers = phone_candidates("8877-6655")
    assert len(numbers) == len(AREA_CODES) and "02188776655" in numbers and "03188776655" in numbers


@pytest.mark.parametrize("typed", ["", "123", "+1 555 123 4567", "09121234", "abc", "0912123456789"])
def test_what_is_no_iranian_phone_is_refused_in_persian(typed):
    with pytest.raises(PhoneInvalid) as error:
        phone_candidates(typed)
    assert str(error.value)


@pytest.fixture
def landline_owner(db):
    from aftersales.customers.models import Customer, CustomerPhone

    shop = Customer.objects.create(kind="legal", company_name="فروشگاه ستاره", mobile="09351112233")
    CustomerPhone.objects.create(customer=shop, kind="landline", number="02188776655")
    return shop


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", role=Role.CALL_CENTER_AGENT)


def _lookup(api_client, user, phone):
    api_client.force_authenticate(user)
    return api_client.get("/api/crm/lookup/", {"phone": phone})


@pytest.mark.parametrize("typed", ["+98 912 123 4567", "۰۹۱۲۱۲۳۴۵۶۷"])
def test_the_api_finds_a_customer_by_mobile_however_typed(api_client, agent, owner, typed):
    answer = _lookup(api_client, agent, typed)
    assert answer.status_code == 200
    assert [(row["id"], row["name"], row["is_lead"], row["mobile"]) for row in answer.json()] == [
        (owner.pk, "سارا احمدی", False, "09121234567")]
    assert answer.json()[0]["panel"] == reverse("crm:panel", args=[owner.pk])


def test_the_api_finds_a_customer_by_a_landline_with_or_without_its_area_code(api_client, agent, landline_owner):
    for typed in ("021-8877 6655", "88776655"):
        rows = _lookup(api_client, agent, typed).json()
        assert [row["id"] for row in rows] == [landline_owner.pk], typed


def test_the_api_gives_stage_and_credit_of_a_lead(api_client, visitor_a, lead):
    from aftersales.crm.services import credit_assess

    credit_assess(party=lead, status="limited", limit=500_000_000,
                  verdict="خوش‌حساب", acting_user=UserFactory(username="ho", role=Role.HEAD_OFFICE_MANAGER))
    [row] = _lookup(api_client, visitor_a, "09121234567").json()
    assert row["is_lead"] is True and row["stage"]["code"] == "first_contact"
    assert (row["credit_status"], row["credit_limit"]) == ("limited", 500_000_000)


def test_another_teams_lead_is_left_out_but_a_customer_is_found_by_anyone(api_client, visitor_b, lead, landline_owner):
    assert _lookup(api_client, visitor_b, "09121234567").json() == []
    assert [row["id"] for row in _lookup(api_client, visitor_b, "02188776655").json()] == [landline_owner.pk]


def test_a_bad_phone_is_a_400_with_a_persian_message(api_client, agent):
    answer = _lookup(api_client, agent, "12345")
    assert answer.status_code == 400
    message = answer.json()["phone"][0]
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)
    assert _lookup(api_client, agent, "").status_code == 400


def test_the_lookup_and_the_panel_are_in_the_api_schema(api_client, agent):
    api_client.force_authenticate(agent)
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/crm/lookup/" in schema["paths"] and "/api/crm/panel/{customer_pk}/" in schema["paths"]
    parameters = schema["paths"]["/api/crm/lookup/"]["get"]["parameters"]
    assert any(parameter["name"] == "phone" and parameter["required"] for parameter in parameters)


def test_the_caller_page_opens_the_panel_of_the_one_party_with_the_number(client, agent, owner):
    client.force_login(agent)
    answer = client.get(reverse("crm:caller", args=["+98 912 123 4567"]))
    assert answer.status_code == 302 and answer["Location"] == reverse("crm:panel", args=[owner.pk])


def test_the_caller_page_lists_several_parties_to_pick_from(client, agent, owner, landline_owner):
    from aftersales.customers.models import CustomerPhone

    CustomerPhone.objects.create(customer=owner, kind="landline", number="02188776655")
    client.force_login(agent)
    html = client.get(reverse("crm:caller", args=["021-88776655"])).content.decode()
    assert html.count('data-testid="caller-choice"') == 2 and "فروشگاه ستاره" in html and "سارا احمدی" in html


def test_an_unknown_caller_can_be_registered_as_a_lead_or_a_customer(client, agent):
    client.force_login(agent)
    answer = client.get(reverse("crm:caller", args=["0912 555 6677"]))
    html = answer.content.decode()
    assert answer.status_code == 200 and 'data-testid="caller-unknown"' in html
    assert 'data-testid="caller-new-customer"' in html
    assert 'data-testid="caller-new-lead"' in html and reverse("crm:lead-create") + "?mobile=09125556677" in html


def test_the_caller_page_refuses_what_is_no_phone(client, agent):
    client.force_login(agent)
    answer = client.get(reverse("crm:caller", args=["12"]))
    assert answer.status_code == 400 and 'data-testid="caller-error"' in answer.content.decode()


def test_the_caller_form_opens_the_callers_page(client, agent):
    client.force_login(agent)
    answer = client.get(reverse("crm:caller-search"), {"phone": "0912 123 4567"})
    assert answer.status_code == 302 and answer["Location"] == reverse("crm:caller", args=["0912 123 4567"])
