"""The part actions on the desk (aftersales/repairs/views_parts.py): back-order, return, cancel and serials
posted from the queue and the order page. A good post writes its rows and says so, a bad one says why in
Persian and writes nothing, another center's line is a 404, a role without the right a 403 (issue 13)."""

import pytest
from django.urls import reverse

from aftersales.repairs.models import PartLine
from aftersales.repairs.parts import part_issue
from aftersales.stock.models import StockMove
from tests.helpers import nothing_written, rows_written

from .test_parts import on_hand, request_compressors  # noqa: F401  the fixture: a request for compressors

pytestmark = pytest.mark.django_db


def act(client, line, action, follow=True, **data):
    return client.post(reverse("repairs:part-action", args=[line.pk, action]), data, follow=follow)


def alerts(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


@pytest.fixture
def issued(request_compressors, stocked, keeper_a):  # noqa: F811
    """A line of two compressors, both issued from center A's warehouse."""
    return part_issue(line=request_compressors(quantity=2, serial="PP-1"), warehouse=stocked, quantity=2,
                      acting_user=keeper_a)


def fresh(line):
    return PartLine.objects.get(pk=line.pk)


# Back-order


def test_the_queue_offers_a_back_order_and_the_keeper_back_orders_a_line(login, request_compressors, keeper_a):  # noqa: F811
    line = request_compressors(quantity=2, serial="PP-2")
    client = login(keeper_a)
    page = client.get(reverse("repairs:parts-queue")).content.decode()
    assert reverse("repairs:part-action", args=[line.pk, "backorder"]) in page
    response = act(client, line, "backorder", note="از تأمین‌کننده سفارش شد", back="queue")
    assert response.redirect_chain[-1][0] == reverse("repairs:parts-queue") and "ذخیره شد." in alerts(response)
    assert fresh(line).status == PartLine.Status.BACKORDERED
    with nothing_written(line):  # back-ordered already
        response = act(client, fresh(line), "backorder", back="queue")
    assert "فقط قطعه درخواست‌شده یا بخشی تحویل‌شده را می‌توان سفارش معوق کرد." in alerts(response)


def test_a_technician_may_not_back_order_and_another_centers_keeper_gets_a_404(login, request_compressors,  # noqa: F811
                                                                              technician_a, center_b):
    from tests.factories import UserFactory
    from aftersales.organization.roles import Role

    line = request_compressors(quantity=1, serial="PP-3")
    keeper_b = UserFactory(username="keeper_b", role=Role.WAREHOUSE_KEEPER, centers=[center_b])
    client = login(technician_a)
    with nothing_written(line):
        assert act(client, line, "backorder", follow=False).status_code == 403
    client = login(keeper_b)
    with nothing_written(line):
        assert act(client, line, "backorder", follow=False).status_code == 404
        assert act(client, line, "return", follow=False, **{f"r{line.pk}-quantity": "1"}).status_code == 404


# Return


def test_the_order_page_returns_unused_parts_to_stock(login, issued, stocked, keeper_a, compressor_part):
    client = login(keeper_a)
    page = client.get(reverse("repairs:order", args=[issued.order_id])).content.decode()
    assert reverse("repairs:part-action", args=[issued.pk, "return"]) in page
    with rows_written() as written:
        response = act(client, issued, "return", **{f"r{issued.pk}-quantity": "۱", f"r{issued.pk}-version": issued.version})
    assert response.redirect_chain[-1][0] == reverse("repairs:order", args=[issued.order_id])
    assert "ذخیره شد." in alerts(response) and fresh(issued).returned_quantity == 1
    assert on_hand(stocked, compressor_part) == 4 and written.get("stock.StockMove") == 1
    assert StockMove.objects.filter(spare_part=compressor_part).order_by("-pk").first().quantity == 1


@pytest.mark.parametrize(("quantity", "words"), [("3", "بین ۱ و ۲ عدد برگشت دهید"), ("0", "بزرگتر"), ("", "لازم")])
def test_returning_more_than_issued_or_nothing_is_refused_in_persian_and_writes_nothing(login, issued, keeper_a,
                                                                                       quantity, words):
    client = login(keeper_a)
    with nothing_written(issued):
        response = act(client, issued, "return", **{f"r{issued.pk}-quantity": quantity})
    assert words in alerts(response), alerts(response)


# Cancel


def test_cancelling_a_request_from_the_page_and_cancelling_it_again(login, request_compressors, technician_a):  # noqa: F811
    line = request_compressors(quantity=1, serial="PP-4")
    client = login(technician_a)
    response = act(client, line, "cancel")
    assert "ذخیره شد." in alerts(response) and fresh(line).status == PartLine.Status.CANCELLED
    with nothing_written(line):
        response = act(client, fresh(line), "cancel")
    assert "چیزی برای لغو نیست" in alerts(response)


# Serials


def test_the_technician_records_the_serials_of_the_replaced_part_on_the_order_page(login, issued, technician_a):
    client = login(technician_a)
    page = client.get(reverse("repairs:order", args=[issued.order_id])).content.decode()
    assert 'data-testid="part-serials"' in page
    response = act(client, issued, "serials", **{f"s{issued.pk}-new_serial": "cmp-۷۷", f"s{issued.pk}-old_serial": "OLD-1",
                                                 f"s{issued.pk}-fate": PartLine.Fate.TO_MANUFACTURER})
    line = fresh(issued)
    assert "ذخیره شد." in alerts(response) and (line.new_serial, line.old_serial) == ("CMP77", "OLD1")
    assert line.old_part_fate == PartLine.Fate.TO_MANUFACTURER


def test_serials_before_the_part_is_issued_or_with_a_bad_fate_are_refused_and_write_nothing(
        login, request_compressors, issued, technician_a):  # noqa: F811
    waiting = request_compressors(quantity=1, serial="PP-5")
    client = login(technician_a)
    with nothing_written(waiting):
        response = act(client, waiting, "serials", **{f"s{waiting.pk}-new_serial": "X1",
                                                      f"s{waiting.pk}-fate": PartLine.Fate.TO_MANUFACTURER})
    assert "سریال‌ها را پس از تحویل قطعه ثبت کنید." in alerts(response)
    with nothing_written(issued):
        response = act(client, issued, "serials", **{f"s{issued.pk}-new_serial": "X1", f"s{issued.pk}-fate": "sold"})
    assert "انتخاب" in alerts(response), alerts(response)


def test_an_unknown_action_is_refused_and_writes_nothing(login, issued, technician_a):
    client = login(technician_a)
    with nothing_written(issued):
        response = act(client, issued, "explode")
    assert "عملیات ناشناخته." in alerts(response)
