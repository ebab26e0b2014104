"""Parts for an order (F12, F34): requested by the technician, issued in whole or in part from the
center's warehouse, back-ordered, returned; priced at issue and split by the warranty engine; the
fitted component starts its own warranty."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aftersales.repairs.models import PartLine
from aftersales.repairs.parts import (
    part_backorder, part_cancel, part_issue, part_replacement_record, part_return, parts_queue,
)
from aftersales.repairs.services import part_request
from aftersales.stock.models import StockLevel, StockMove
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_compressors(receive, technician_a, compressor_part):
    def make(quantity=2, **order_options):
        order = receive(**order_options)
        return part_request(order=order, acting_user=technician_a, spare_part=compressor_part, quantity=quantity)
    return make


def on_hand(warehouse, part):
    return StockLevel.objects.get(warehouse=warehouse, spare_part=part).quantity


def test_a_request_waits_in_the_keepers_queue_and_leaves_it_when_issued(request_compressors, stocked, keeper_a):
    line = request_compressors(quantity=2, serial="NON-1")
    assert list(parts_queue(keeper_a)) == [line]
    line = part_issue(line=line, warehouse=stocked, quantity=2, acting_user=keeper_a)
    assert line.status == PartLine.Status.ISSUED and on_hand(stocked, line.spare_part) == 3
    assert not parts_queue(keeper_a).exists()
    move = StockMove.objects.get(kind=StockMove.Kind.ISSUE)
    assert line.order.number in move.reference and move.value == -24_000_000


def test_partial_issue_then_back_order_then_the_rest(request_compressors, stocked, keeper_a, compressor_part):
    line = request_compressors(quantity=7, serial="NON-2")
    line = part_issue(line=line, warehouse=stocked, quantity=5, acting_user=keeper_a)
    assert (line.status, line.outstanding) == (PartLine.Status.PARTIAL, 2)
    with nothing_written(), pytest.raises(ValidationError):  # nothing left on the shelf
        part_issue(line=line, warehouse=stocked, quantity=2, acting_user=keeper_a)
    line = part_backorder(line=line, acting_user=keeper_a, note="منتظر محموله")
    assert line.status == PartLine.Status.BACKORDERED and list(parts_queue(keeper_a)) == [line]
    from aftersales.stock.services import stock_receive

    stock_receive(warehouse=stocked, spare_part=compressor_part, quantity=2, unit_cost=12_000_000, acting_user=keeper_a)
    line = part_issue(line=line, warehouse=stocked, quantity=2, acting_user=keeper_a)
    assert line.status == PartLine.Status.ISSUED and line.issued_quantity == 7


def test_issuing_more_than_asked_or_from_another_centers_warehouse_is_refused(
        request_compressors, stocked, keeper_a, center_b, compressor_part):
    from aftersales.stock.models import Warehouse

    line = request_compressors(quantity=1, serial="NON-3")
    with nothing_written(), pytest.raises(ValidationError) as refused:
        part_issue(line=line, warehouse=stocked, quantity=2, acting_user=keeper_a)
    assert "quantity" in refused.value.message_dict
    isfahan = Warehouse.objects.create(center=center_b, code="main", name="انبار اصفهان")
    with nothing_written(), pytest.raises(ValidationError) as refused:
        part_issue(line=line, warehouse=isfahan, quantity=1, acting_user=keeper_a)
    assert "warehouse" in refused.value.message_dict
    assert on_hand(stocked, compressor_part) == 5 and PartLine.objects.get(pk=line.pk).issued_quantity == 0


def test_a_double_clicked_issue_issues_once(request_compressors, stocked, keeper_a):
    line = request_compressors(quantity=3, serial="NON-4")
    part_issue(line=line, warehouse=stocked, quantity=1, acting_user=keeper_a, version=line.version)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        part_issue(line=line, warehouse=stocked, quantity=1, acting_user=keeper_a, version=line.version)
    assert refused.value.code == "stale" and on_hand(stocked, line.spare_part) == 4


def test_unused_parts_go_back_at_their_cost_and_no_more_than_was_issued(request_compressors, stocked, keeper_a):
    line = part_issue(line=request_compressors(quantity=2, serial="NON-5"), warehouse=stocked, quantity=2,
                      acting_user=keeper_a)
    with nothing_written(), pytest.raises(ValidationError):
        part_return(line=line, quantity=3, acting_user=keeper_a)
    line = part_return(line=line, quantity=1, acting_user=keeper_a)
    assert (line.used_quantity, on_hand(stocked, line.spare_part)) == (1, 4)
    assert StockMove.objects.get(kind=StockMove.Kind.RETURN).value == 12_000_000
    line = part_return(line=line, quantity=1, acting_user=keeper_a)
    assert line.status == PartLine.Status.RETURNED


def test_cancelling_a_request_keeps_what_was_issued(request_compressors, stocked, keeper_a, technician_a):
    line = part_issue(line=request_compressors(quantity=3, serial="NON-6"), warehouse=stocked, quantity=1,
                      acting_user=keeper_a)
    line = part_cancel(line=line, acting_user=technician_a)
    assert (line.quantity, line.status) == (1, PartLine.Status.ISSUED)


def test_parts_are_priced_at_issue_and_a_warranty_order_pays_nothing_for_a_covered_component(
        request_compressors, stocked, keeper_a, warranted_unit):
    covered = part_issue(line=request_compressors(quantity=1, unit=warranted_unit), warehouse=stocked, quantity=1,
                         acting_user=keeper_a)
    chargeable = part_issue(line=request_compressors(quantity=1, serial="UNKNOWN-7"), warehouse=stocked, quantity=1,
                            acting_user=keeper_a)
    assert covered.is_warranty is True and chargeable.is_warranty is False
    assert covered.unit_price == chargeable.unit_price == 18_000_000 and covered.unit_cost == 12_000_000


def test_a_component_out_of_its_own_warranty_is_chargeable_on_a_warranty_order(
        request_compressors, stocked, keeper_a, warranted_unit, compressor_part):
    from aftersales.warranty.models import ComponentTerm, PolicyVersion

    version = PolicyVersion.objects.get()
    ComponentTerm.objects.create(version=version, component_type=compressor_part.component_type, duration_months=1)
    line = part_issue(line=request_compressors(quantity=1, unit=warranted_unit), warehouse=stocked, quantity=1,
                      acting_user=keeper_a)
    assert line.order.is_warranty and line.is_warranty is False


def test_a_fitted_compressor_starts_its_own_warranty_and_the_old_ones_fate_is_kept(
        request_compressors, stocked, keeper_a, technician_a, warranted_unit):
    from aftersales.warranty.status import unit_warranty_status

    line = part_issue(line=request_compressors(quantity=1, unit=warranted_unit), warehouse=stocked, quantity=1,
                      acting_user=keeper_a)
    line = part_replacement_record(line=line, new_serial="cmp-new-1", old_serial="CMP-OLD-9",
                                   fate=PartLine.Fate.TO_MANUFACTURER, acting_user=technician_a)
    assert (line.new_serial, line.old_part_fate) == ("CMPNEW1", "to_manufacturer")
    fitted = warranted_unit.components.get(removed_on__isnull=True)
    assert fitted.serial == "CMPNEW1" and fitted.fitted_on == timezone.localdate()
    compressor = unit_warranty_status(warranted_unit).component(line.spare_part.component_type_id)
    assert compressor.is_covered and compressor.start == timezone.localdate()
    assert warranted_unit.events.filter(kind="component_replaced").count() == 1


def test_a_part_fitted_at_one_in_the_morning_is_fitted_on_tehrans_day_not_the_utc_one(
        request_compressors, stocked, keeper_a, technician_a, warranted_unit):
    """01:00 in Tehran is 21:30 UTC of the day before: the fitting date, and so the part's own
    warranty, starts on Tehran's day (issue 13)."""
    import time_machine

    from aftersales.warranty.status import unit_warranty_status

    day = timezone.localdate()
    one_am = datetime.datetime.combine(day, datetime.time(1, 0), tzinfo=timezone.get_current_timezone())
    line = part_issue(line=request_compressors(quantity=1, unit=warranted_unit), warehouse=stocked, quantity=1,
                      acting_user=keeper_a)
    with time_machine.travel(one_am, tick=False):
        assert timezone.now().date() == day - datetime.timedelta(days=1)  # the UTC day, the old bug's answer
        part_replacement_record(line=line, new_serial="CMP-NIGHT-1", acting_user=technician_a)
        compressor = unit_warranty_status(warranted_unit, on=day).component(line.spare_part.component_type_id)
    assert warranted_unit.components.get(removed_on__isnull=True).fitted_on == day
    assert compressor.start == day


def test_the_keeper_issues_from_the_queue_page_and_the_order_page_shows_it(
        client, request_compressors, stocked, keeper_a, technician_a):
    line = request_compressors(quantity=2, serial="NON-8")
    client.force_login(keeper_a)
    page = client.get(reverse("repairs:parts-queue")).content.decode()
    assert 'data-testid="parts-queue"' in page and reverse("repairs:order", args=[line.order_id]) in page
    response = client.post(reverse("repairs:part-action", args=[line.pk, "issue"]), {
        f"p{line.pk}-warehouse": stocked.pk, f"p{line.pk}-quantity": "۲", f"p{line.pk}-version": line.version,
        "back": "queue"})
    assert response.status_code == 302 and response.url == reverse("repairs:parts-queue")
    assert PartLine.objects.get(pk=line.pk).status == PartLine.Status.ISSUED
    client.force_login(technician_a)  # a technician may not issue
    with nothing_written():
        assert client.post(reverse("repairs:part-action", args=[line.pk, "return"]), {}).status_code == 403
    page = client.get(reverse("repairs:order", args=[line.order_id])).content.decode()
    assert 'data-testid="part-serials"' in page and 'data-testid="part-issue"' not in page


def test_an_order_offers_the_parts_that_fit_its_model_and_refuses_others(client, receive, technician_a,
                                                                         warranted_unit, compressor_part):
    from django.urls import reverse

    from aftersales.catalog.models import ProductModel, SparePart

    other_model = ProductModel.objects.create(code="TV-55", name="تلویزیون ۵۵", brand=warranted_unit.brand,
                                              group=warranted_unit.product_model.group)
    compressor_part.fits_models.add(warranted_unit.product_model)
    panel = SparePart.objects.create(code="PNL-55", name="پنل ۵۵ اینچ", price=50_000_000)
    panel.fits_models.add(other_model)
    fuse = SparePart.objects.create(code="FUSE", name="فیوز", price=100_000)  # fits every model
    order = receive(serial=warranted_unit.serial)
    client.force_login(technician_a)
    page = client.get(reverse("repairs:order", args=[order.pk])).content.decode()
    assert compressor_part.name in page and fuse.name in page and panel.name not in page
    client.post(reverse("repairs:order-part", args=[order.pk]), {"spare_part": panel.pk, "quantity": 1})
    assert not order.part_lines.exists()
    client.post(reverse("repairs:order-part", args=[order.pk]), {"spare_part": fuse.pk, "quantity": 1})
    assert order.part_lines.get().spare_part == fuse


def test_the_queue_shows_stock_on_hand_and_the_order_prints_its_issue_slip(client, request_compressors, stocked,
                                                                           keeper_a, reception_b):
    from django.urls import reverse

    line = request_compressors(quantity=7, serial="NON-7")
    client.force_login(keeper_a)
    queue = client.get(reverse("repairs:parts-queue")).content.decode()
    cell = queue.split('data-testid="on-hand"')[1].split("</td>")[0]
    assert "۵" in cell and "text-bg-danger" in cell  # 5 on hand, 7 wanted
    part_issue(line=line, warehouse=stocked, quantity=5, acting_user=keeper_a)
    slip = client.get(reverse("repairs:order-issue-slip", args=[line.order_id]))
    body = slip.content.decode()
    assert slip.status_code == 200 and line.spare_part.name in body and "حوالهٔ انبار" in body and "۵" in body
    client.force_login(reception_b)  # another center's
    assert client.get(reverse("repairs:order-issue-slip", args=[line.order_id])).status_code == 404
