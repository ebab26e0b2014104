"""A warranty claim line shows the serial of the faulty part removed and what became of it, the part head
office may ask back (issue 20, "Smaller things seen")."""

import re

import pytest
from django.urls import reverse

from aftersales.billing.services import warranty_invoice_issue
from aftersales.repairs.models import PartLine
from aftersales.repairs.parts import part_issue, part_replacement_record
from aftersales.repairs.services import part_request

pytestmark = pytest.mark.django_db


def test_the_claim_line_names_the_removed_parts_serial_and_fate(login, receive, warranted_unit, technician_a, keeper_a,
                                                               stocked, compressor_part, reception_a, head_office):
    order = receive(unit=warranted_unit)
    line = part_request(order=order, acting_user=technician_a, spare_part=compressor_part, quantity=1)
    line = part_issue(line=line, warehouse=stocked, quantity=1, acting_user=keeper_a)
    part_replacement_record(line=line, acting_user=technician_a, new_serial="FITTED555", old_serial="FAULTY111",
                            fate=PartLine.Fate.PENDING)
    invoice = warranty_invoice_issue(center=order.center, orders=[order], acting_user=reception_a)
    page = login(head_office).get(reverse("billing:claim", args=[invoice.claim.pk])).content.decode()
    cells = re.findall(r'<td data-testid="claim-removed-part">(.*?)</td>', page, re.S)
    assert len(cells) == 1
    assert "FAULTY111" in cells[0] and "نزد مرکز" in cells[0] and "FITTED555" not in cells[0]
    assert "قطعه معیوب برداشته‌شده" in page
