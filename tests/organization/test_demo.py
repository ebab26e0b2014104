import io
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from aftersales.billing.models import Invoice, Payment, WarrantyClaim
from aftersales.catalog.models import ProductModel, ProductUnit
from aftersales.messaging.models import Message
from aftersales.repairs.models import PartLine, RepairOrder
from aftersales.stock.models import StockLevel, StockMove
from aftersales.warranty.models import ModelWarranty, WarrantyCard, WarrantyPolicy, WarrantyVoid
from aftersales.warranty.status import State, unit_warranty_status
from aftersales.workflow.models import Workflow

from aftersales.organization.demo import seed_organization
from aftersales.organization.models import ServiceCenter, User
from aftersales.organization.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_network_with_every_role_once(capsys):
    call_command("seed_demo", "--size", "small")
    out = capsys.readouterr().out
    assert "admin" in out and "demo1234" in out
    centers = ServiceCenter.objects.count()
    users = User.objects.count()
    assert ServiceCenter.objects.values("province").distinct().count() >= 5
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert all(center.history.exists() for center in ServiceCenter.objects.all())
    assert ServiceCenter.objects.filter(manager__isnull=True).count() == 0
    from aftersales.feedback.models import Complaint
    from aftersales.marketing.models import Campaign

    assert Campaign.objects.filter(template__isnull=True).exclude(body="").exists()  # a campaign's own text
    assert Complaint.objects.filter(repair_order__isnull=False, channel="web").exists()  # by tracking code
    assert Complaint.objects.filter(repair_order__isnull=False, channel="phone").exists()  # filed by staff

    rows = _demo_rows()
    call_command("seed_demo", "--size", "small")
    assert (ServiceCenter.objects.count(), User.objects.count()) == (centers, users)
    assert _demo_rows() == rows  # the second run wrote nothing


def test_demo_people_pass_the_same_validation_as_typed_input():
    seed_organization(size="small")  # the organization alone: the whole demo is tested below
    for user in User.objects.all():
        user.full_clean(exclude=["password"])
    for center in ServiceCenter.objects.all():
        center.full_clean()


def test_demo_logins_work_and_reception_sees_only_the_first_center(client):
    seed_organization(size="small")
    assert client.login(username="reception", password="demo1234")
    body = client.get("/centers/").content.decode()
    first, second = ServiceCenter.objects.order_by("code")[:2]
    assert first.name in body and second.name not in body


def test_head_office_logins_belong_to_no_center_and_center_login_runs_the_first():
    seed_organization(size="small")
    assert not User.objects.get(username="manager").centers.exists()
    first = ServiceCenter.objects.order_by("code").first()
    assert first.manager.username == "center"
    assert first.staff.filter(groups__name=Role.CENTER_MANAGER).count() == 1


def _demo_rows() -> tuple:
    return (WarrantyPolicy.objects.count(), WarrantyCard.objects.count(), WarrantyVoid.objects.count(),
            RepairOrder.objects.count(), PartLine.objects.count(), StockMove.objects.count(), Invoice.objects.count(),
            Payment.objects.count(), WarrantyClaim.objects.count(), Message.objects.count())


def _check_the_demo_holds_the_products_core():
    """Warranty, the workshop, billing and stock, as written by the services (numbers, history)."""
    today = timezone.localdate()
    assert not ProductModel.objects.filter(warranty__isnull=True).exists()
    fridge = ModelWarranty.objects.get(product_model__code="RF520").policy.versions.order_by("-effective_from").first()
    assert fridge.duration_months == 18
    assert fridge.component_terms.get(component_type__code="COMPRESSOR").duration_months == 60

    sold = ProductUnit.objects.filter(sale_date__isnull=False).count()
    assert WarrantyCard.objects.count() > sold // 2  # most sold units have a card
    states = Counter(unit_warranty_status(card.unit, on=today).product.state
                     for card in WarrantyCard.objects.select_related("unit"))
    assert states[State.ACTIVE] and states[State.EXPIRED] and states[State.VOIDED] == 1, states
    assert WarrantyCard.objects.filter(status=WarrantyCard.Status.ISSUED).exists()  # waiting for activation
    void = WarrantyVoid.objects.get()
    assert void.reason and void.note and void.voided_by is not None
    assert WarrantyCard.history.filter(history_type="~", history_user__isnull=False).exists()

    workflow = Workflow.objects.get(code=settings.REPAIRS_WORKFLOW)
    reached = set(RepairOrder.objects.values_list("state__code", flat=True))
    assert reached == set(workflow.states.values_list("code", flat=True))
    assert RepairOrder.objects.filter(is_warranty=True).exists() and RepairOrder.objects.filter(is_warranty=False).exists()
    for order in RepairOrder.objects.all():
        assert order.number and order.history.exists()
    issued = PartLine.objects.filter(status=PartLine.Status.ISSUED)
    assert issued.filter(is_warranty=True).exists() and issued.filter(is_warranty=False).exists()
    assert PartLine.objects.filter(status=PartLine.Status.REQUESTED).exists()
    for line in issued:  # every part issued left its movement in the warehouse ledger
        assert StockMove.objects.filter(kind=StockMove.Kind.ISSUE, reference__endswith=f":{line.pk}").exists()
    kinds = set(StockMove.objects.values_list("kind", flat=True))
    assert {StockMove.Kind.RECEIPT, StockMove.Kind.ISSUE, StockMove.Kind.TRANSFER_OUT, StockMove.Kind.ADJUSTMENT} <= kinds
    assert StockLevel.objects.filter(quantity__lt=F("minimum")).exists()

    service = Invoice.objects.filter(kind=Invoice.Kind.SERVICE)
    assert service.filter(payments__isnull=False).exists()
    assert any(invoice.owed for invoice in service)  # one still owed
    credit = Invoice.objects.get(kind=Invoice.Kind.CREDIT)
    assert credit.total == -credit.credit_of.total
    claim = WarrantyClaim.objects.get()
    assert claim.status == WarrantyClaim.Status.SUBMITTED and claim.invoice.lines.exists()
    assert len(set(Invoice.objects.values_list("center", "number"))) == Invoice.objects.count()


def _page(client, username, url) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, (username, url)
    return response.content.decode()


def test_small_demo_shows_each_role_its_work(client):
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    _check_the_demo_holds_the_products_core()
    center = ServiceCenter.objects.order_by("code").first()
    orders = RepairOrder.objects.filter(center=center)
    covered = next(order.unit for order in orders.filter(is_warranty=True, unit__isnull=False)
                   if unit_warranty_status(order.unit).product.is_covered)
    invoices = Invoice.objects.filter(center=center)
    claim = WarrantyClaim.objects.get()

    def has_link(body, url):
        return f'href="{url}"' in body

    # Reception: the unit received under warranty shows it; the invoices of the center.
    for username in ("reception", "manager"):
        body = _page(client, username, reverse("desk:detail", args=["units", covered.pk]))
        assert 'data-testid="unit-warranty"' in body and 'data-state="active"' in body, username
    assert any(has_link(_page(client, "reception", reverse("billing:invoice-list")), reverse("billing:invoice", args=[i.pk]))
               for i in invoices)
    # Technician: the cartable holds the orders assigned to them.
    body = _page(client, "technician", reverse("repairs:cartable"))
    mine = orders.filter(assignee__username="technician", state__is_final=False)
    assert mine.exists() and all(has_link(body, reverse("repairs:order", args=[o.pk])) for o in mine)
    # Center manager: the center's cartable and the claims.
    body = _page(client, "center", reverse("repairs:cartable") + "?scope=center")
    assert any(has_link(body, reverse("repairs:order", args=[o.pk])) for o in orders.filter(state__is_final=False))
    assert has_link(_page(client, "center", reverse("billing:claim-list")), reverse("billing:claim", args=[claim.pk]))
    # Warehouse keeper: part requests to issue and a shortage.
    body = _page(client, "warehouse", reverse("repairs:parts-queue"))
    waiting = PartLine.objects.filter(order__center=center, status=PartLine.Status.REQUESTED)
    assert waiting.exists() and all(f'data-part="{line.spare_part.code}"' in body for line in waiting)
    assert 'data-short="true"' in _page(client, "warehouse", reverse("stock:levels") + "?short=on")
    # Accountant: invoices (a credit note among them) and the claim under review.
    body = _page(client, "accountant", reverse("billing:invoice-list"))
    assert all(has_link(body, reverse("billing:invoice", args=[i.pk])) for i in invoices)
    for username in ("accountant", "manager"):
        body = _page(client, username, reverse("billing:claim-list") + "?status=submitted")
        assert has_link(body, reverse("billing:claim", args=[claim.pk])), username
    # Head office: every center's invoices, newest first (the reports' year of history fills several pages).
    body = _page(client, "manager", reverse("billing:invoice-list"))
    newest = list(Invoice.objects.order_by("-issued_at", "-pk")[:50])
    assert all(has_link(body, reverse("billing:invoice", args=[i.pk])) for i in newest)
    assert len({invoice.center_id for invoice in newest}) > 1
