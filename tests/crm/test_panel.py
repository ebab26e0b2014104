"""The contact-time panel (F50): a party's whole story in one look, scoped, in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.organization.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_party(owner, dealer_type, center_a, visitor_a):
    """The owner (a customer, 09121234567) followed by center A's team."""
    from aftersales.crm.services import party_create

    return party_create(customer=owner, party_type=dealer_type, center=center_a, acting_user=visitor_a,
                        marketer=visitor_a)


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", role=Role.CALL_CENTER_AGENT)


@pytest.fixture
def history(customer_party, owner, visitor_a, visitor_b, receive, center_b, reception_a, reception_b, warranted_unit,
            service_item):
    """Contacts by both teams, an open repair at each center, a complaint at A and an invoice half paid."""
    from aftersales.billing.services import invoice_issue, payment_record
    from aftersales.crm.services import contact_record, plan_create
    from aftersales.feedback.services import complaint_receive
    from aftersales.marketing.services import contact_log
    from aftersales.repairs.services import operation_add

    now = timezone.now()
    contact_record(customer=owner, kind="visit", notes="در فروشگاه دیدمش؛ ویترین تازه می‌خواهد", acting_user=visitor_a,
                   outcome="positive", answers=[("چند دستگاه در ماه می‌فروشید؟", "۲۰")],
                   occurred_at=now - datetime.timedelta(days=3))
    contact_record(customer=owner, kind="call_out", notes="قیمت‌ها را پرسید", acting_user=visitor_a, outcome="neutral",
                   occurred_at=now - datetime.timedelta(days=1))
    contact_log(customer=owner, kind="call_in", notes="تماس از دفتر شهرستان", acting_user=visitor_b,
                occurred_at=now - datetime.timedelta(hours=5))
    plan_create(party=customer_party, kind="visit", count=2, start_date=timezone.localdate() - datetime.timedelta(days=5),
                end_date=timezone.localdate() + datetime.timedelta(days=20), acting_user=visitor_a)
    order_a = receive()
    receive(center=center_b, acting_user=reception_b, description="صدا می‌دهد")
    done = receive(description="برفک می‌زند")
    operation_add(order=done, service_item=service_item, acting_user=reception_a, minutes=30)
    invoice = invoice_issue(orders=[done], acting_user=reception_a)
    payment_record(invoice=invoice, amount=1_000_000, method="cash", acting_user=reception_a)
    complaint_receive(channel="phone", text="تعمیرکار دیر آمد", mobile=owner.mobile, repair_order=order_a,
                      acting_user=reception_a)
    return {"order_a": order_a, "invoice": invoice}


def test_the_panel_shows_the_whole_story_in_one_look(client, agent, owner, history):
    from aftersales.customers.models import Customer

    Customer.objects.filter(pk=owner.pk).update(national_code="0084575948")
    client.force_login(agent)
    page = client.get(reverse("crm:panel", args=[owner.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "سارا احمدی" in html and "data-testid=\"panel-stage-name\"" in html
    assert "۰۰۸۴۵۷۵۹۴۸" in html.split('data-testid="panel-identity"')[1].split("</div>")[0]
    assert html.count('data-testid="panel-repair"') == 3  # every center's open repairs: the agent spans them all
    assert html.count('data-testid="panel-contact"') == 3
    assert "ویترین تازه" in html and "چند دستگاه در ماه می‌فروشید؟: ۲۰" in html  # last visit, with its answers
    assert "تماس از دفتر شهرستان" in html  # the last phone call, the newest of both kinds
    assert 'data-testid="panel-complaint"' in html and "تعمیرکار دیر آمد" in html
    assert 'data-covered="1"' in html  # the unit under warranty
    assert 'data-testid="panel-plan-row"' in html
    invoice = history["invoice"]
    assert html.count('data-testid="panel-last-invoice"') == 1
    debt = invoice.total - 1_000_000
    from aftersales.core.persian import format_number

    assert format_number(debt) in html.split('data-testid="panel-debt">')[1].split("<")[0]
    # No sales documents yet: the slot says so, nothing invented.
    assert "—" in html.split('data-testid="panel-last-proforma"')[1].split("</div>")[0]


def test_debt_drops_with_payments_and_credit_notes_and_never_goes_below_nothing(agent, owner, history):
    from aftersales.billing.services import invoice_credit, payment_record
    from aftersales.crm.panel import party_panel

    invoice = history["invoice"]
    assert party_panel(owner, user=agent).debt == invoice.total - 1_000_000
    payment_record(invoice=invoice, amount=invoice.total - 1_000_000, method="card", acting_user=invoice.issued_by,
                   reference="123456")
    assert party_panel(owner, user=agent).debt == 0
    invoice_credit(invoice=invoice, acting_user=invoice.issued_by, reason="اشتباه در قیمت")
    assert party_panel(owner, user=agent).debt == 0  # paid in full, then credited: owed nothing, not minus


def test_a_center_bound_user_sees_their_centers_repairs_contacts_and_complaints(client, visitor_a, visitor_b, owner,
                                                                                history):
    from aftersales.crm.panel import party_panel

    mine = party_panel(owner, user=visitor_a)
    assert [order.center_id for order in mine.repairs] == [history["order_a"].center_id] * 2
    assert {contact.logged_by_id for contact in mine.contacts} == {visitor_a.pk}
    assert mine.party is not None and mine.next_step is not None and mine.plans
    assert len(mine.complaints) == 1

    theirs = party_panel(owner, user=visitor_b)
    assert len(theirs.repairs) == 1 and theirs.repairs[0].center_id != history["order_a"].center_id
    assert [contact.logged_by_id for contact in theirs.contacts] == [visitor_b.pk]
    assert theirs.complaints == [] and theirs.last_invoice is None
    # A customer is served by every center: the panel opens, but center A's team's CRM side stays theirs.
    assert theirs.party is None and theirs.party_hidden and theirs.plans == [] and theirs.next_step is None
    client.force_login(visitor_b)
    page = client.get(reverse("crm:panel", args=[owner.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="panel-party-hidden"' in html and 'data-testid="panel-stage-name"' not in html
    assert "ویترین تازه" not in html


def test_another_teams_lead_is_not_found(client, api_client, lead, visitor_a, visitor_b):
    client.force_login(visitor_b)
    assert client.get(reverse("crm:panel", args=[lead.pk])).status_code == 404
    api_client.force_authenticate(visitor_b)
    assert api_client.get(f"/api/crm/panel/{lead.pk}/").status_code == 404
    client.force_login(visitor_a)
    assert client.get(reverse("crm:panel", args=[lead.pk])).status_code == 200


def test_a_user_who_may_not_view_customers_is_refused(client, center_a, owner):
    client.force_login(UserFactory(username="no_role", centers=[center_a]))
    assert client.get(reverse("crm:panel", args=[owner.pk])).status_code == 403


def test_the_panel_reads_a_bounded_number_of_queries_however_long_the_history(
        rf, agent, owner, history, visitor_a, receive, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aftersales.crm.panel import party_panel
    from aftersales.marketing.models import Contact

    party_panel(owner, user=agent)  # warm the per-process caches (warranty policies, roles)
    with CaptureQueriesContext(connection) as short:
        party_panel(owner, user=agent)
    now = timezone.now()
    Contact.objects.bulk_create([Contact(customer=owner, kind="call_out", notes=f"پیگیری {n}", logged_by=visitor_a,
                                         occurred_at=now - datetime.timedelta(minutes=n)) for n in range(60)])
    for _ in range(12):
        receive(description="تعمیر دیگر")
    # One more at most: the last visit, older than the ten newest contacts, is read on its own.
    with django_assert_max_num_queries(len(short.captured_queries) + 1):
        panel = party_panel(owner, user=agent)
    assert len(panel.contacts) == 10 and len(panel.repairs) == 10 and panel.repairs_more
    # The last visit is older than the ten newest contacts: still found, with what was said.
    assert panel.last_visit is not None and "ویترین تازه" in panel.last_visit.notes
    assert len(short.captured_queries) <= 18  # sales' slot: the last proforma, the last invoice, the debt


def test_the_api_returns_the_panels_data(api_client, agent, owner, history):
    api_client.force_authenticate(agent)
    answer = api_client.get(f"/api/crm/panel/{owner.pk}/")
    assert answer.status_code == 200
    data = answer.json()
    assert data["customer"]["name"] == "سارا احمدی" and data["customer"]["is_lead"] is False
    assert data["stage"]["code"] == "first_contact" and data["in_crm"] is True
    assert len(data["open_repairs"]) == 3 and data["last_visit"]["answers"][0]["answer"] == "۲۰"
    assert data["units"][0]["warranty"] == "active"
    assert data["debt"] == history["invoice"].total - 1_000_000
    assert data["sales_documents"]["connected"] is True and data["sales_documents"]["invoice"] is None
    assert api_client.get("/api/crm/panel/999999/").status_code == 404


def test_an_htmx_request_gets_the_panel_alone_for_a_popup(client, agent, owner, customer_party):
    client.force_login(agent)
    answer = client.get(reverse("crm:panel", args=[owner.pk]), headers={"HX-Request": "true"})
    html = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in html and 'data-testid="crm-panel"' in html
    assert 'data-testid="panel-open"' in html  # the pop-up links to the full panel


def test_a_merged_customers_panel_opens_the_kept_one(client, agent, owner):
    from aftersales.customers.models import Customer

    kept = Customer.objects.create(kind="person", last_name="احمدی", mobile="09121234568")
    Customer.objects.filter(pk=owner.pk).update(merged_into=kept)
    client.force_login(agent)
    answer = client.get(reverse("crm:panel", args=[owner.pk]))
    assert answer.status_code == 302 and answer["Location"] == reverse("crm:panel", args=[kept.pk])


def test_the_customers_page_links_to_the_panel(client, head_office, owner):
    client.force_login(head_office)
    html = client.get(reverse("desk:detail", args=["customers", owner.pk])).content.decode()
    assert 'data-testid="panel-link"' in html and reverse("crm:panel", args=[owner.pk]) in html


def test_the_panel_shows_the_last_proforma_and_sales_invoice_and_the_sales_debt(client, api_client, agent, owner,
                                                                                center_a):
    """Issue 17 fills the sales slot: the last of each, linked, and what the party owes on sales."""
    from aftersales.catalog.models import Brand, ProductGroup, ProductModel
    from aftersales.sales.services_documents import invoice_issue, proforma_issue

    accountant = UserFactory(username="accountant_p", role=Role.ACCOUNTANT, centers=[center_a])
    group = ProductGroup.objects.create(code="TV", name="تلویزیون")
    model = ProductModel.objects.create(code="TV-55", name="تلویزیون ۵۵", brand=Brand.objects.create(code="B", name="ب"),
                                        group=group)
    line = [{"product_model": model, "quantity": 1, "unit_price": 10_000_000}]
    proforma = proforma_issue(center=center_a, customer=owner, lines=line, valid_until=timezone.localdate(),
                              acting_user=accountant)
    invoice = invoice_issue(center=center_a, customer=owner, lines=line, acting_user=accountant)
    client.force_login(agent)
    html = client.get(reverse("crm:panel", args=[owner.pk])).content.decode()
    assert reverse("sales:document", args=[proforma.pk]) in html.split('data-testid="panel-last-proforma"')[1]
    assert reverse("sales:document", args=[invoice.pk]) in html.split('data-testid="panel-last-sales-invoice"')[1]
    assert 'data-testid="panel-sales-debt"' in html
    api_client.force_authenticate(agent)
    sales = api_client.get(f"/api/crm/panel/{owner.pk}/").json()["sales_documents"]
    assert sales["proforma"]["number"] == proforma.number and sales["invoice"]["total"] == invoice.total
    assert sales["debt"]["owed"] == invoice.total
