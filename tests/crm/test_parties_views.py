"""The parties' pages: list, new lead, bringing a customer in, the party's page, moves, merge, convert, credit."""

import pytest
from django.urls import reverse

from aftersales.crm.models import CreditAssessment, Party
from aftersales.crm.services import lead_create
from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_visitors_leads_with_their_stage_and_credit(login, lead, visitor_a):
    response = login(visitor_a).get(reverse("crm:party-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "فروشگاه لوازم خانگی نور" in page
    assert lead.state.name in page
    assert 'data-testid="credit-badge"' in page


def test_the_list_searches_with_arabic_letters_and_persian_digits(login, lead, visitor_a):
    client = login(visitor_a)
    assert "فروشگاه لوازم" in client.get(reverse("crm:party-list"), {"q": "خانگي"}).content.decode()
    assert "فروشگاه لوازم" in client.get(reverse("crm:party-list"), {"q": "۰۹۱۲۱۲۳۴۵۶۷"}).content.decode()
    assert "فروشگاه لوازم" not in client.get(reverse("crm:party-list"), {"q": "هیچ"}).content.decode()


def test_the_list_filters_and_exports(login, lead, visitor_a):
    client = login(visitor_a)
    assert "فروشگاه لوازم" not in client.get(reverse("crm:party-list"), {"rating": "cold"}).content.decode()
    assert "فروشگاه لوازم" in client.get(reverse("crm:party-list"), {"kind": "lead", "stale_days": "۳"}).content.decode()
    export = client.get(reverse("crm:party-list"), {"export": "1"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_centers_visitor_neither_lists_nor_opens_the_lead(login, lead, visitor_b):
    client = login(visitor_b)
    assert "فروشگاه لوازم" not in client.get(reverse("crm:party-list")).content.decode()
    assert client.get(reverse("crm:party-detail", args=[lead.pk])).status_code == 404
    assert client.post(reverse("crm:party-move", args=[lead.pk]), {"step": "analyse"}).status_code == 404


def test_a_visitor_registers_a_lead_on_their_center(login, visitor_a, dealer_type, center_a):
    response = login(visitor_a).post(reverse("crm:lead-create"), {
        "kind": "person", "first_name": "علی", "last_name": "رضایی", "mobile": "۰۹۱۲۷۷۷۸۸۸۹", "phone": "02188776655",
        "party_type": dealer_type.pk, "rating": "warm", "status": "active", "center": center_a.pk,
        "marketer": visitor_a.pk})
    party = Party.objects.get(customer__last_name="رضایی")
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:party-detail", args=[party.pk])
    assert party.customer.is_lead and party.customer.mobile == "09127778889"
    assert party.center == center_a and party.state.code == "first_contact"


def test_the_new_lead_form_offers_the_users_center_first(login, visitor_a, center_a):
    page = login(visitor_a).get(reverse("crm:lead-create")).content.decode()
    assert f'<option value="{center_a.pk}" selected>' in page


def test_an_unknown_callers_number_fills_the_new_lead_form(login, visitor_a):
    page = login(visitor_a).get(reverse("crm:lead-create") + "?mobile=09127778899").content.decode()
    assert 'value="09127778899"' in page


def test_a_lead_with_a_customers_national_code_is_refused_naming_them(login, visitor_a, dealer_type, center_a):
    Customer.objects.create(first_name="مریم", last_name="کاظمی", national_code="0012345679")
    response = login(visitor_a).post(reverse("crm:lead-create"), {
        "kind": "person", "last_name": "تکراری", "national_code": "0012345679", "party_type": dealer_type.pk,
        "rating": "warm", "status": "active", "center": center_a.pk})
    assert response.status_code == 200
    assert "مریم کاظمی" in response.content.decode()
    assert not Party.objects.exists()


def test_a_visitor_cannot_put_a_lead_on_another_center(login, visitor_a, dealer_type, center_b):
    response = login(visitor_a).post(reverse("crm:lead-create"), {
        "kind": "person", "last_name": "رضایی", "party_type": dealer_type.pk, "rating": "warm", "status": "active",
        "center": center_b.pk})
    assert response.status_code == 200
    assert 'data-testid="error-center"' in response.content.decode()
    assert not Party.objects.exists()


def test_the_party_page_shows_the_stage_the_suggestion_and_the_links(login, lead, visitor_a):
    response = login(visitor_a).get(reverse("crm:party-detail", args=[lead.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="suggested-step"' in page and lead.state.name in page
    assert _panel_url(lead.pk) in page


def test_a_move_changes_the_stage_with_the_reason_logged(login, lead, visitor_a):
    response = login(visitor_a).post(reverse("crm:party-move", args=[lead.pk]),
                                     {"step": "analyse", "comment": "نیاز به کاتالوگ", "version": lead.version})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state.code == "needs_analysis"
    assert "نیاز به کاتالوگ" in login(visitor_a).get(reverse("crm:party-detail", args=[lead.pk])).content.decode()


def test_a_stale_move_shows_the_persian_reason(login, lead, visitor_a):
    response = login(visitor_a).post(reverse("crm:party-move", args=[lead.pk]),
                                     {"step": "analyse", "version": lead.version + 5})
    assert response.status_code == 400
    assert "کاربر دیگری همین الان این پرونده را جابه‌جا کرد" in response.content.decode()
    lead.refresh_from_db()
    assert lead.state.code == "first_contact"


def test_a_step_closed_to_the_role_is_refused_with_its_reason(login, lead, visitor_a):
    from aftersales.workflow.models import Transition

    Transition.objects.filter(workflow=lead.state.workflow, code="analyse").update(roles=["marketing_manager"])
    response = login(visitor_a).post(reverse("crm:party-move", args=[lead.pk]), {"step": "analyse"})
    assert response.status_code == 400
    assert "نقش شما اجازه «" in response.content.decode()
    lead.refresh_from_db()
    assert lead.state.code == "first_contact"


def test_convert_makes_the_lead_a_customer(login, lead, visitor_a):
    response = login(visitor_a).post(reverse("crm:party-convert", args=[lead.pk]))
    assert response.status_code == 302
    assert not Customer.objects.get(pk=lead.pk).is_lead


def test_a_manager_merges_a_duplicate(login, lead, visitor_a, marketing_manager, dealer_type, center_a):
    twin = lead_create(acting_user=visitor_a, kind="legal", company_name="نور", mobile="09121234567",
                       party_type=dealer_type, center=center_a)
    client = login(marketing_manager)
    page = client.get(reverse("crm:party-detail", args=[lead.pk])).content.decode()
    assert f'data-customer="{twin.pk}"' in page
    response = client.post(reverse("crm:party-merge", args=[lead.pk]), {"duplicate": twin.pk})
    assert response.status_code == 302
    assert Customer.objects.get(pk=twin.pk).merged_into_id == lead.pk
    assert not Party.objects.filter(pk=twin.pk).exists()


def test_a_refused_merge_says_why(login, lead, visitor_a, marketing_manager, dealer_type, center_a):
    twin = lead_create(acting_user=visitor_a, kind="person", last_name="نور", mobile="09121234567",
                       party_type=dealer_type, center=center_a)
    response = login(marketing_manager).post(reverse("crm:party-merge", args=[lead.pk]), {"duplicate": twin.pk},
                                             follow=True)
    assert "شخص حقیقی و حقوقی با هم ادغام نمی‌شوند" in response.content.decode()
    assert Customer.objects.get(pk=twin.pk).merged_into_id is None


def test_a_visitor_may_not_merge(login, lead, visitor_a, dealer_type, center_a):
    twin = lead_create(acting_user=visitor_a, kind="person", last_name="نور", mobile="09121234567",
                       party_type=dealer_type, center=center_a)
    response = login(visitor_a).post(reverse("crm:party-merge", args=[lead.pk]), {"duplicate": twin.pk})
    assert response.status_code == 403
    assert Customer.objects.get(pk=twin.pk).merged_into_id is None


def test_the_credit_form_refuses_a_15_digit_sayad_number(login, lead, marketing_manager):
    response = login(marketing_manager).post(reverse("crm:credit-assess", args=[lead.pk]), {
        "status": "cash_only", "verdict": "چک برگشتی دارد", **_cheques({"0-sayad_number": "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵"})})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-cheques-0-sayad_number"' in page
    assert "۱۶ رقم" in page
    assert not CreditAssessment.objects.exists()


def test_a_credit_assessment_sets_the_status_shown_on_the_pages(login, lead, marketing_manager):
    client = login(marketing_manager)
    response = client.post(reverse("crm:credit-assess", args=[lead.pk]), {
        "status": "limited", "limit": "۵۰٬۰۰۰٬۰۰۰", "verdict": "خوش‌حساب", "years_in_business": "۱۲",
        **_cheques({"0-sayad_number": "1234567890123456", "0-bank": "ملت"})})
    assert response.status_code == 302
    customer = Customer.objects.get(pk=lead.pk)
    assert customer.credit_status == "limited" and customer.credit_limit
    page = client.get(reverse("crm:party-detail", args=[lead.pk])).content.decode()
    assert 'data-credit="limited"' in page and 'data-testid="returned-cheque"' in page
    assert 'data-credit="limited"' in client.get(reverse("crm:party-list")).content.decode()


def test_a_limited_credit_without_a_limit_is_refused(login, lead, marketing_manager):
    response = login(marketing_manager).post(reverse("crm:credit-assess", args=[lead.pk]), {
        "status": "limited", "verdict": "؟", **_cheques({})})
    assert response.status_code == 200
    assert 'data-testid="error-limit"' in response.content.decode()


def test_a_visitor_may_not_assess_credit(login, lead, visitor_a):
    assert login(visitor_a).get(reverse("crm:credit-assess", args=[lead.pk])).status_code == 403


def test_a_customer_is_brought_into_the_crm(login, visitor_a, dealer_type, center_a, head_office):
    customer = Customer.objects.create(first_name="حسن", last_name="احمدی", mobile="09129998877")
    client = login(head_office)
    assert client.get(reverse("crm:party-enter", args=[customer.pk])).status_code == 200
    response = client.post(reverse("crm:party-enter", args=[customer.pk]), {
        "party_type": dealer_type.pk, "center": center_a.pk, "rating": "hot", "status": "active",
        "marketer": visitor_a.pk})
    assert response.status_code == 302
    party = Party.objects.get(pk=customer.pk)
    assert party.marketer == visitor_a and not party.customer.is_lead
    # A second time the page sends to the party.
    assert client.get(reverse("crm:party-enter", args=[customer.pk]))["Location"] == reverse(
        "crm:party-detail", args=[party.pk])


def test_edit_changes_the_rating_and_next_step(login, lead, visitor_a, center_a):
    response = login(visitor_a).post(reverse("crm:party-edit", args=[lead.pk]), {
        "party_type": lead.party_type_id, "center": center_a.pk, "rating": "cold", "status": "active",
        "next_step": "ارسال پیش‌فاکتور", "next_step_date": "1499/01/01"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.rating == "cold" and lead.next_step == "ارسال پیش‌فاکتور"


def _cheques(values: dict) -> dict:
    data = {"cheques-TOTAL_FORMS": "5", "cheques-INITIAL_FORMS": "0", "cheques-MIN_NUM_FORMS": "0",
            "cheques-MAX_NUM_FORMS": "5"}
    data.update({f"cheques-{name}": value for name, value in values.items()})
    return data


def _panel_url(pk: int) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("crm:panel", args=[pk])
    except NoReverseMatch:
        return f"/crm/panel/{pk}/"


def test_the_customers_page_shows_the_crm_stage_and_credit(login, lead, marketing_manager):
    from aftersales.crm.services import credit_assess

    credit_assess(party=lead, status="open", verdict="خوب", acting_user=marketing_manager)
    page = login(marketing_manager).get(reverse("desk:detail", args=["customers", lead.pk])).content.decode()
    assert 'data-testid="party-customer-panel"' in page
    assert 'data-credit="open"' in page and lead.state.name in page
    assert reverse("crm:party-detail", args=[lead.pk]) in page


def test_a_customer_outside_the_crm_is_offered_to_be_brought_in(login, head_office):
    customer = Customer.objects.create(first_name="حسن", last_name="احمدی", mobile="09129998877")
    page = login(head_office).get(reverse("desk:detail", args=["customers", customer.pk])).content.decode()
    assert reverse("crm:party-enter", args=[customer.pk]) in page


def test_party_types_and_sources_are_edited_on_the_desk_and_in_the_admin(login, head_office, admin_client):
    client = login(head_office)
    assert "نماینده فروش" in client.get(reverse("desk:list", args=["party-types"])).content.decode()
    assert client.get(reverse("desk:list", args=["lead-sources"])).status_code == 200
    from aftersales.crm.models import PartyType
    from aftersales.workflow.models import Workflow

    form = client.get(reverse("desk:create", args=["party-types"])).content.decode()
    sales = PartyType.objects.get(code="dealer").workflow
    assert f'value="{sales.pk}"' in form
    for other in Workflow.objects.exclude(subject=sales.subject):  # the repairs' workflows are not offered
        assert f'value="{other.pk}"' not in form
    for model in ("party", "partytype", "leadsource", "creditassessment", "script", "appointment", "dailyreport"):
        assert admin_client.get(f"/admin/crm/{model}/").status_code == 200, model


def test_the_reception_shows_a_known_customers_credit(login, lead, marketing_manager, reception_a):
    from aftersales.crm.services import credit_assess

    credit_assess(party=lead, status="cash_only", verdict="چک برگشتی", acting_user=marketing_manager)
    page = login(reception_a).get(reverse("repairs:reception-customer"), {"mobile": "09121234567"}).content.decode()
    assert 'data-testid="customer-found-credit"' in page
    assert "فقط نقدی" in page
