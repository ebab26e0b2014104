"""Stock per warehouse: receipts at a moving average cost, issues never below zero (also when many
issue at once, on PostgreSQL), transfers between centers, stock-takes with a reason, the ledger and
the shortage list."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aftersales.stock.models import StockLevel, StockMove, Warehouse
from aftersales.stock.selectors import stock_levels
from aftersales.stock.services import stock_adjust, stock_issue, stock_minimum_set, stock_receive, stock_transfer
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def level(warehouse, part):
    return StockLevel.objects.get(warehouse=warehouse, spare_part=part)


def test_receipts_value_stock_at_the_moving_average_and_issues_take_that_cost(stocked, compressor_part, keeper_a):
    stock_receive(warehouse=stocked, spare_part=compressor_part, quantity=5, unit_cost=14_000_000, acting_user=keeper_a)
    assert level(stocked, compressor_part).average_cost == 13_000_000
    move = stock_issue(warehouse=stocked, spare_part=compressor_part, quantity=2, acting_user=keeper_a, reference="R1")
    assert (move.quantity, move.value, move.balance) == (-2, -26_000_000, 8)
    assert level(stocked, compressor_part).value == 8 * 13_000_000


def test_issuing_more_than_is_in_stock_is_refused_with_what_there_is_and_nothing_is_written(
        stocked, compressor_part, keeper_a):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        stock_issue(warehouse=stocked, spare_part=compressor_part, quantity=6, acting_user=keeper_a)
    assert "۵" in " ".join(refused.value.messages) or "5" in " ".join(refused.value.messages)
    assert level(stocked, compressor_part).quantity == 5 and StockMove.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 10**9, "3", True])
def test_absurd_quantities_are_refused(stocked, compressor_part, keeper_a, quantity):
    with nothing_written(), pytest.raises(ValidationError):
        stock_issue(warehouse=stocked, spare_part=compressor_part, quantity=quantity, acting_user=keeper_a)


def test_a_negative_or_absurd_cost_is_refused(stocked, compressor_part, keeper_a):
    for cost in (-1, 10**12):
        with nothing_written(), pytest.raises(ValidationError):
            stock_receive(warehouse=stocked, spare_part=compressor_part, quantity=1, unit_cost=cost, acting_user=keeper_a)


def test_a_transfer_to_another_center_moves_quantity_and_value_in_two_ledger_rows(
        stocked, compressor_part, keeper_a, center_b):
    isfahan = Warehouse.objects.create(center=center_b, code="main", name="انبار اصفهان")
    out, into = stock_transfer(source=stocked, target=isfahan, spare_part=compressor_part, quantity=2,
                               acting_user=keeper_a, reason="کمبود اصفهان")
    assert (out.quantity, into.quantity, into.value) == (-2, 2, 24_000_000)
    assert level(stocked, compressor_part).quantity == 3 and level(isfahan, compressor_part).quantity == 2
    with nothing_written(), pytest.raises(ValidationError):
        stock_transfer(source=isfahan, target=stocked, spare_part=compressor_part, quantity=3, acting_user=keeper_a)


def test_a_stock_take_adjusts_to_the_count_and_needs_a_reason(stocked, compressor_part, keeper_a):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        stock_adjust(warehouse=stocked, spare_part=compressor_part, counted=4, reason="", acting_user=keeper_a)
    assert "reason" in refused.value.message_dict
    move = stock_adjust(warehouse=stocked, spare_part=compressor_part, counted=4, reason="شکستگی", acting_user=keeper_a)
    assert move.quantity == -1 and level(stocked, compressor_part).quantity == 4
    assert stock_adjust(warehouse=stocked, spare_part=compressor_part, counted=4, reason="x", acting_user=keeper_a) is None


def test_parts_below_their_minimum_are_on_the_shortage_list(stocked, compressor_part, keeper_a):
    stock_minimum_set(warehouse=stocked, spare_part=compressor_part, minimum=6, acting_user=keeper_a)
    assert list(stock_levels(user=keeper_a, short_only=True)) == [level(stocked, compressor_part)]
    stock_minimum_set(warehouse=stocked, spare_part=compressor_part, minimum=5, acting_user=keeper_a)
    assert not stock_levels(user=keeper_a, short_only=True).exists()


def test_the_database_refuses_a_negative_level_even_past_the_services(stocked, compressor_part):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(warehouse=stocked, spare_part=compressor_part).update(quantity=-1)


def test_the_warehouse_desk_receives_and_shows_the_ledger_and_other_centers_see_nothing(
        client, stocked, compressor_part, keeper_a, manager_b):
    client.force_login(keeper_a)
    response = client.post(reverse("stock:move", args=["receive"]), {
        "receive-warehouse": stocked.pk, "receive-spare_part": compressor_part.pk, "receive-quantity": "۳",
        "receive-unit_cost": "۱۲٬۰۰۰٬۰۰۰", "receive-reference": "PO-2"})
    assert response.status_code == 302 and level(stocked, compressor_part).quantity == 8
    page = client.get(reverse("stock:levels")).content.decode()
    assert "کمپرسور" in page and "<td>۸</td>" in page
    assert "PO-2" in client.get(reverse("stock:ledger")).content.decode()
    client.force_login(manager_b)
    assert "<td>انبار مرکزی تهران" not in client.get(reverse("stock:levels")).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_people_issuing_the_same_part_at_once_never_take_stock_below_zero(center_a, keeper_a, fridge_model):
    from aftersales.catalog.models import SparePart

    part = SparePart.objects.create(code="FAN-1", name="فن", price=1_000_000)
    warehouse = Warehouse.objects.create(center=center_a, code="w", name="انبار")
    stock_receive(warehouse=warehouse, spare_part=part, quantity=10, unit_cost=700_000, acting_user=keeper_a)
    results, barrier = [], threading.Barrier(8)

    def work():
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(3):
                try:
                    stock_issue(warehouse=warehouse, spare_part=part, quantity=1, acting_user=keeper_a)
                    results.append("issued")
                except ValidationError as error:
                    results.append("refused" if "quantity" in error.message_dict else repr(error))
        except Exception as error:  # noqa: BLE001 - any other failure must show in the assertion
            results.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["issued"] * 10 + ["refused"] * 14
    stock = StockLevel.objects.get(warehouse=warehouse, spare_part=part)
    assert (stock.quantity, stock.value) == (0, 0)
    assert StockMove.objects.filter(kind=StockMove.Kind.ISSUE).count() == 10
