"""Leads over REST: scoped list and search, creation with Persian field errors, moves, convert, merge, credit."""

import pytest

from aftersales.crm.models import CreditAssessment, Party
from aftersales.crm.services import lead_create
from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def _lead_payload(dealer_type, center, **extra):
    return {"kind": "person", "first_name": "علی", "last_name": "رضایی", "mobile": "۰۹۱۲۷۷۷۸۸۸۹",
            "party_type": dealer_type.pk, "center": center.pk, "rating": "hot", **extra}


def test_post_creates_a_lead(as_user, visitor_a, dealer_type, center_a):
    response = as_user(visitor_a).post("/api/leads/", _lead_payload(dealer_type, center_a), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_lead"] is True and body["state"] == "first_contact" and body["mobile"] == "09127778889"
    assert body["suggested_step"] == "analyse"
    assert Party.objects.get(pk=body["id"]).center == center_a


def test_post_refuses_bad_input_with_field_errors(as_user, visitor_a, dealer_type, center_a):
    response = as_user(visitor_a).post("/api/leads/", _lead_payload(dealer_type, center_a, mobile="123",
                                                                    national_code="1111111111"), format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"mobile", "national_code"}
    assert not Party.objects.exists()


def test_post_refuses_a_customers_national_code_naming_them(as_user, visitor_a, dealer_type, center_a):
    Customer.objects.create(first_name="مریم", last_name="کاظمی", national_code="0012345679")
    response = as_user(visitor_a).post("/api/leads/", _lead_payload(dealer_type, center_a,
                                                                    national_code="0012345679"), format="json")
    assert response.status_code == 400
    assert "مریم کاظمی" in response.json()["national_code"][0]


def test_post_refuses_another_centers_team(as_user, visitor_a, dealer_type, center_b):
    response = as_user(visitor_a).post("/api/leads/", _lead_payload(dealer_type, center_b), format="json")
    assert response.status_code == 400
    assert "center" in response.json()


def test_list_is_scoped_and_searched(as_user, lead, visitor_a, visitor_b):
    client = as_user(visitor_a)
    assert [row["id"] for row in client.get("/api/leads/", {"q": "خانگي"}).json()["results"]] == [lead.pk]
    assert client.get("/api/leads/", {"q": "هیچ"}).json()["count"] == 0
    assert client.get("/api/leads/", {"state": "first_contact", "kind": "lead"}).json()["count"] == 1
    assert client.get("/api/leads/", {"rating": "cold"}).json()["count"] == 0
    assert as_user(visitor_b).get("/api/leads/").json()["count"] == 0


def test_another_centers_lead_is_a_404(as_user, lead, visitor_b):
    client = as_user(visitor_b)
    assert client.get(f"/api/leads/{lead.pk}/").status_code == 404
    assert client.patch(f"/api/leads/{lead.pk}/", {"rating": "cold"}, format="json").status_code == 404
    assert client.post(f"/api/parties/{lead.pk}/move/", {"step": "analyse"}, format="json").status_code == 404


def test_patch_changes_the_party(as_user, lead, visitor_a):
    response = as_user(visitor_a).patch(f"/api/leads/{lead.pk}/", {"rating": "cold", "next_step": "تماس دوباره"},
                                        format="json")
    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.rating == "cold" and lead.next_step == "تماس دوباره"


def test_patch_refuses_a_bad_score(as_user, lead, visitor_a):
    response = as_user(visitor_a).patch(f"/api/leads/{lead.pk}/", {"score": 150}, format="json")
    assert response.status_code == 400 and "score" in response.json()


def test_move_and_a_refused_move(as_user, lead, visitor_a):
    client = as_user(visitor_a)
    response = client.post(f"/api/parties/{lead.pk}/move/", {"step": "analyse", "comment": "علاقه‌مند",
                                                             "version": lead.version}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "needs_analysis"
    refused = client.post(f"/api/parties/{lead.pk}/move/", {"step": "win"}, format="json")
    assert refused.status_code == 400
    assert "اکنون ممکن نیست" in refused.json()["non_field_errors"][0]
    assert Party.objects.get(pk=lead.pk).state.code == "needs_analysis"


def test_convert(as_user, lead, visitor_a):
    client = as_user(visitor_a)
    assert client.post(f"/api/parties/{lead.pk}/convert/").json()["is_lead"] is False
    assert client.post(f"/api/parties/{lead.pk}/convert/").status_code == 400


def test_merge_needs_a_manager_and_refuses_itself(as_user, lead, visitor_a, marketing_manager, dealer_type, center_a):
    twin = lead_create(acting_user=visitor_a, kind="legal", company_name="نور", mobile="09121234567",
                       party_type=dealer_type, center=center_a)
    assert as_user(visitor_a).post(f"/api/parties/{lead.pk}/merge/", {"duplicate": twin.pk},
                                   format="json").status_code == 403
    client = as_user(marketing_manager)
    itself = client.post(f"/api/parties/{lead.pk}/merge/", {"duplicate": lead.pk}, format="json")
    assert itself.status_code == 400
    response = client.post(f"/api/parties/{lead.pk}/merge/", {"duplicate": twin.pk}, format="json")
    assert response.status_code == 200
    assert Customer.objects.get(pk=twin.pk).merged_into_id == lead.pk


def test_credit_assessment_with_cheques(as_user, lead, marketing_manager):
    client = as_user(marketing_manager)
    response = client.post("/api/credit-assessments/", {
        "party": lead.pk, "status": "limited", "limit": 50_000_000, "verdict": "خوش‌حساب",
        "returned_cheques": [{"sayad_number": "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶", "bank": "ملت"}]}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["returned_cheques"][0]["sayad_number"] == "1234567890123456"
    assert Customer.objects.get(pk=lead.pk).credit_status == "limited"
    listed = client.get("/api/credit-assessments/", {"party": lead.pk}).json()
    assert listed["count"] == 1


def test_credit_assessment_refuses_a_15_digit_sayad_number(as_user, lead, marketing_manager):
    response = as_user(marketing_manager).post("/api/credit-assessments/", {
        "party": lead.pk, "status": "cash_only", "verdict": "چک برگشتی",
        "returned_cheques": [{"sayad_number": "123456789012345"}]}, format="json")
    assert response.status_code == 400
    assert "returned_cheques[0].sayad_number" in response.json()
    assert not CreditAssessment.objects.exists()


def test_credit_assessment_of_another_centers_party_is_refused(as_user, lead, center_b):
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    accountant_b = UserFactory(username="accountant_b", role=Role.ACCOUNTANT, centers=[center_b])
    response = as_user(accountant_b).post("/api/credit-assessments/", {
        "party": lead.pk, "status": "open", "verdict": "خوب"}, format="json")
    assert response.status_code == 400 and "party" in response.json()


def test_the_endpoints_are_in_the_schema(as_user, head_office):
    schema = as_user(head_office).get("/api/schema/", {"format": "json"})
    paths = schema.json()["paths"]
    for path in ("/api/leads/", "/api/leads/{id}/", "/api/parties/{id}/move/", "/api/parties/{id}/merge/",
                 "/api/parties/{id}/convert/", "/api/credit-assessments/"):
        assert path in paths, sorted(paths)[:5]
    assert "post" in paths["/api/leads/"] and "patch" in paths["/api/leads/{id}/"]


def test_a_nul_in_the_leads_search_or_filters_is_a_400_naming_each_not_a_server_error(api_client, visitor_a, lead):
    api_client.force_authenticate(visitor_a)
    response = api_client.get("/api/leads/", {"q": "نور\x00", "source": "x\x00y", "party_type": "deal\x00er"})
    assert response.status_code == 400
    assert response.json() == {name: ["کاراکترهای تهی مجاز نیستند."] for name in ("party_type", "q", "source")}
    assert api_client.get("/api/leads/", {"q": "نور"}).status_code == 200

