import datetime

import pytest
from django.utils import timezone

from aftersales.catalog.models import ProductUnit, UnitEvent
from aftersales.catalog.services import unit_event_record, units_push

pytestmark = pytest.mark.django_db


def _unit_row(**extra):
    return {"serial": "rf520-۰۰۰۱", "brand": "snow", "model": "RF520", "production_date": "1405/01/15",
            "components": [{"type": "compressor", "serial": "CMP 77"}], **extra}


def test_push_creates_a_unit_with_its_serial_as_sent_and_jalali_date(fridge_model):
    result = units_push(units=[_unit_row(sale_invoice_no="INV-۱۲")], events=[])
    assert result["units"] == [{"index": 0, "serial": "rf520-0001", "status": "created"}]
    unit = ProductUnit.objects.get()
    assert unit.serial == "rf520-0001" and unit.product_model == fridge_model  # as sent, digits ASCII (issue 20)
    assert unit.serial_key == "RF5200001"
    assert unit.production_date == datetime.date(2026, 4, 4)
    assert unit.sale_invoice_no == "INV-12" and unit.sale_invoice_key == "INV12"
    assert [(c.component_type.code, c.serial) for c in unit.components.all()] == [("COMPRESSOR", "CMP77")]


def test_pushing_the_same_batch_twice_changes_nothing(fridge_model):
    events = [{"serial": "RF5200001", "event_id": "ev-1", "kind": "sold", "occurred_at": "2026-02-01T10:00:00+03:30"}]
    first = units_push(units=[_unit_row()], events=events)
    second = units_push(units=[_unit_row()], events=events)
    assert [r["status"] for r in first["units"] + first["events"]] == ["created", "created"]
    assert [r["status"] for r in second["units"] + second["events"]] == ["unchanged", "unchanged"]
    assert ProductUnit.objects.count() == 1 and UnitEvent.objects.count() == 1


def test_a_bad_row_is_refused_alone_with_field_messages(fridge_model):
    result = units_push(units=[_unit_row(), _unit_row(serial="X-2", model="NOPE"), _unit_row(serial="X-3", production_date="1405/13/40")], events=[
        {"serial": "UNKNOWN", "event_id": "e", "kind": "sold", "occurred_at": "2026-02-01T10:00:00Z"},
        {"serial": "RF5200001", "kind": "sold", "occurred_at": "2026-02-01T10:00:00Z"},
    ])
    statuses = [r["status"] for r in result["units"]]
    assert statuses == ["created", "error", "error"]
    assert set(result["units"][1]["errors"]) == {"model"} and set(result["units"][2]["errors"]) == {"production_date"}
    assert set(result["events"][0]["errors"]) == {"serial"} and set(result["events"][1]["errors"]) == {"event_id"}
    assert list(ProductUnit.objects.values_list("serial", flat=True)) == ["rf520-0001"]


def test_update_changes_only_what_differs(fridge_model):
    units_push(units=[_unit_row()], events=[])
    result = units_push(units=[_unit_row(dealer_name="فروشگاه نمونه", sale_date="2026-05-01")], events=[])
    assert result["units"][0]["status"] == "updated"
    unit = ProductUnit.objects.get()
    assert unit.dealer_name == "فروشگاه نمونه" and unit.sale_date == datetime.date(2026, 5, 1)


def test_events_arriving_out_of_order_leave_the_latest_status(fridge_model):
    units_push(units=[_unit_row()], events=[])
    unit = ProductUnit.objects.get()
    now = timezone.now()
    unit_event_record(unit=unit, kind="received_for_repair", occurred_at=now, external_id="3")
    unit_event_record(unit=unit, kind="sold", occurred_at=now - datetime.timedelta(days=30), external_id="2")
    unit.refresh_from_db()
    assert unit.status == ProductUnit.Status.IN_REPAIR
    assert [e.kind for e in unit.events.all()] == ["sold", "received_for_repair"]


def test_component_replacement_keeps_the_old_component_in_history(fridge_model):
    units_push(units=[_unit_row()], events=[])
    unit = ProductUnit.objects.get()
    unit_event_record(unit=unit, kind="component_replaced", occurred_at=timezone.now(), external_id="r1",
                      details={"component_type": "COMPRESSOR", "component_serial": "CMP-99"})
    components = list(unit.components.order_by("pk").values_list("serial", "removed_on"))
    assert components[0][0] == "CMP77" and components[0][1] is not None
    assert components[1] == ("CMP99", None)


def test_a_component_replaced_at_night_in_tehran_is_fitted_and_removed_on_tehrans_day(fridge_model):
    """An event at 21:30 UTC on 2 December happened at 01:00 on 3 December in Tehran (issue 13)."""
    units_push(units=[_unit_row()], events=[])
    unit = ProductUnit.objects.get()
    at = datetime.datetime(2026, 12, 2, 21, 30, tzinfo=datetime.UTC)
    unit_event_record(unit=unit, kind="component_replaced", occurred_at=at, external_id="r1",
                      details={"component_type": "COMPRESSOR", "component_serial": "CMP-99"})
    old, new = unit.components.order_by("pk")
    assert old.removed_on == new.fitted_on == datetime.date(2026, 12, 3)
