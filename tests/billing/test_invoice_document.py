"""The printed invoice (صورتحساب فروش کالا و خدمات): the seller's and the buyer's identity blocks, the
unit's model and serial on each row, per-row discount and VAT that add up to the invoice, in the PDF."""

import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from aftersales.billing.documents import invoice_document, spread
from aftersales.billing.services import invoice_issue, warranty_invoice_issue
from aftersales.core.persian import to_persian_digits
from aftersales.repairs.parts import part_issue
from aftersales.repairs.services import operation_add, part_request

pytestmark = pytest.mark.django_db

SELLER = {"legal_name": "شرکت خدمات برودتی البرز", "economic_number": "10101234565",
          "legal_national_id": "10101234565", "registration_number": "45821",
          "postal_code": "1345678901", "phone": "02188776655", "address": "خیابان آزادی، پلاک ۱۲"}


@pytest.fixture
def seller_center(center_a):
    for name, value in SELLER.items():
        setattr(center_a, name, value)
    center_a.save()
    return center_a


@pytest.fixture
def unit(fridge_model, owner):
    from aftersales.catalog.models import ProductUnit

    return ProductUnit.objects.create(serial="RF-520-7777", brand=fridge_model.brand, product_model=fridge_model,
                                      owner=owner)


@pytest.fixture
def invoiced(seller_center, receive, unit, technician_a, keeper_a, stocked, compressor_part, service_item,
             reception_a, settings):
    """A paid repair of ``unit`` (gas charge and a compressor) invoiced with a discount and 10% VAT."""
    settings.BILLING_VAT_PERCENT = 10

    def make(customer=None):
        order = receive(unit=unit, **({"customer": customer} if customer else {}))
        operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=40)
        line = part_request(order=order, acting_user=technician_a, spare_part=compressor_part, quantity=1)
        part_issue(line=line, warehouse=stocked, quantity=1, acting_user=keeper_a)
        return invoice_issue(orders=[order], acting_user=reception_a, discount=1_000_001)
    return make


def _html(invoice) -> str:
    return render_to_string("billing/invoice_pdf.html", invoice_document(invoice))


def _address(customer, text="تهرانپارس، خیابان گلبرگ، پلاک ۷", postal_code="1654321987"):
    from aftersales.customers.models import CustomerAddress
    from aftersales.regions.models import Region

    city, _created = Region.objects.get_or_create(code="TEH-C", defaults={"name": "تهران", "kind": "city"})
    return CustomerAddress.objects.create(customer=customer, region=city, address=text, postal_code=postal_code)


def test_the_printed_invoice_carries_the_sellers_and_the_persons_identity_and_the_unit(invoiced, owner, unit):
    owner.national_code = "0499370899"
    owner.save()
    _address(owner)
    html = _html(invoiced())
    seller = html.split('data-testid="seller"')[1].split("</table>")[0]
    buyer = html.split('data-testid="buyer"')[1].split("</table>")[0]
    for value in ("10101234565", "45821", "1345678901", "02188776655"):
        assert to_persian_digits(value) in seller
    assert SELLER["legal_name"] in seller and "خیابان آزادی" in seller
    assert to_persian_digits("0499370899") in buyer and "کد ملی" in buyer
    assert "تهرانپارس، خیابان گلبرگ" in buyer and to_persian_digits("1654321987") in buyer
    assert to_persian_digits("09121234567") in buyer
    lines = html.split('data-testid="invoice-lines"')[1]
    assert unit.serial in lines and "یخچال ساید بای ساید" in lines  # the unit's serial (Latin) and model
    assert "صورتحساب فروش کالا و خدمات" in html and "مهر و امضای خریدار" in html


def test_a_legal_entity_buyer_shows_its_national_id_economic_number_and_registration(invoiced):
    from aftersales.customers.models import Customer

    company = Customer.objects.create(kind="legal", company_name="شرکت پخش آریا", legal_national_id="14001234562",
                                      economic_number="14001234562", registration_number="99123",
                                      mobile="09351112233")
    _address(company, text="شهرک غرب، بلوار دادمان")
    buyer = _html(invoiced(customer=company)).split('data-testid="buyer"')[1].split("</table>")[0]
    assert "شرکت پخش آریا" in buyer and "شناسه ملی" in buyer and "کد ملی" not in buyer
    assert buyer.count(to_persian_digits("14001234562")) == 2 and to_persian_digits("99123") in buyer


def test_each_row_has_its_share_of_discount_and_vat_and_the_rows_add_up_to_the_invoice(invoiced):
    invoice = invoiced()
    document = invoice_document(invoice)
    rows, sums = document["rows"], document["sums"]
    assert len(rows) == 2 and all(row.discount > 0 and row.vat > 0 for row in rows)
    assert (sums["amount"], sums["discount"], sums["vat"], sums["total"]) == (
        invoice.subtotal, invoice.discount, invoice.vat, invoice.total)
    assert all(row.total == row.line.amount - row.discount + row.vat for row in rows)


def test_spread_splits_in_whole_rials_that_add_up_also_for_credit_notes():
    assert spread(100, [1, 1, 1]) == [34, 33, 33]
    assert spread(-100, [-1, -1, -1]) == [-34, -33, -33]
    assert spread(0, [5, 5]) == [0, 0] and spread(7, [0, 0]) == [0, 0]


def test_a_warranty_invoice_is_billed_to_the_manufacturer_with_its_identifiers(seller_center, receive, reception_a,
                                                                               warranted_unit, technician_a,
                                                                               service_item, settings):
    settings.BILLING_MANUFACTURER = {"name": "شرکت سازنده اسنوا", "economic_number": "10320456783",
                                     "national_id": "10320456783", "registration_number": "1200",
                                     "postal_code": "1998765431", "address": "تهران، جاده مخصوص", "phone": "02144556677"}
    order = receive(unit=warranted_unit)
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=30)
    invoice = warranty_invoice_issue(center=seller_center, orders=[order], acting_user=reception_a)
    buyer = _html(invoice).split('data-testid="buyer"')[1].split("</table>")[0]
    assert "شرکت سازنده اسنوا" in buyer and to_persian_digits("10320456783") in buyer
    assert "جاده مخصوص" in buyer and to_persian_digits("1998765431") in buyer


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_itself_carries_the_identifiers(client, invoiced, owner, unit, reception_a):
    owner.national_code = "0499370899"
    owner.save()
    invoice = invoiced()
    client.force_login(reception_a)
    response = client.get(reverse("billing:invoice-pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = text.decode()
    for value in ("10101234565", "1345678901", "02188776655", "0499370899"):
        assert to_persian_digits(value) in text
    assert unit.serial in text and "صورتحساب فروش کا" in text
