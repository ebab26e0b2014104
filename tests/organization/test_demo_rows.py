"""Every row the demo writes is one a user could have typed: each object of each model passes its own
validation, serials are unique once normalised, every invoice adds up from its lines and is not overpaid
(issue 13: the demo checks every row, not a sample)."""

import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Sum

from aftersales.billing.models import Invoice
from aftersales.catalog.models import ProductUnit
from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db

#: Fields no form fills: a password hash; the transition and source of a subject's first log entry, which
#: records the state it started in (null in the database; the engine alone writes the log); who made a
#: stock move or a transition, null for the system's own (and once the user is gone: SET_NULL).
EXCLUDE = {"organization.User": ["password"], "workflow.TransitionLog": ["transition", "source", "by"],
           "stock.StockMove": ["by"]}


def _product_models():
    for model in apps.get_models():
        opts = model._meta
        if opts.app_label in {"sessions", "contenttypes", "admin", "auth", "axes", "otp_static", "otp_totp"}:
            continue
        if opts.proxy or not opts.managed or opts.model_name.startswith("historical"):
            continue
        yield model


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, seeded once for this module (and removed after it)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("seed_demo", "--size", "small", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def test_every_row_of_every_model_passes_its_own_validation(demo):
    failures, checked = [], 0
    for model in _product_models():
        for row in model._default_manager.all().iterator(chunk_size=500):
            checked += 1
            try:
                # Uniqueness and constraints are the database's to keep; these are each row's own rules.
                row.full_clean(exclude=EXCLUDE.get(model._meta.label), validate_unique=False,
                               validate_constraints=False)
            except ValidationError as error:
                failures.append(f"{model._meta.label}#{row.pk}: {error.message_dict}")
    first = {failure.split("#")[0]: failure for failure in reversed(failures)}  # one example per model
    assert checked > 5000 and failures == [], sorted(first.values())


def test_every_customer_has_a_valid_identity_and_a_way_to_reach_them(demo):
    assert Customer.objects.count() >= 300
    unreachable = [customer.pk for customer in Customer.objects.prefetch_related("phones")
                   if not (customer.mobile or customer.email or customer.phones.all())]
    assert unreachable == []


def test_every_serial_has_its_matching_key_and_is_unique(demo):
    from aftersales.catalog.identifiers import identifier_key

    rows = list(ProductUnit.objects.values_list("serial", "serial_key", "sale_invoice_no", "sale_invoice_key"))
    assert all(key == identifier_key(serial) and invoice_key == identifier_key(invoice)
               for serial, key, invoice, invoice_key in rows)  # the keys the import computes (issue 20)
    assert len({key for _serial, key, _i, _k in rows}) == len(rows) >= 2000  # unique even across brands


def test_every_invoice_adds_up_from_its_lines_and_none_is_overpaid(demo):
    wrong = []
    for invoice in Invoice.objects.prefetch_related("lines", "payments"):
        lines = list(invoice.lines.all())
        if any(line.amount != line.quantity * line.unit_price for line in lines):
            wrong.append(f"{invoice.number}: a line's amount is not its quantity × unit price")
        if invoice.subtotal != sum(line.amount for line in lines):
            wrong.append(f"{invoice.number}: subtotal {invoice.subtotal} ≠ lines {sum(line.amount for line in lines)}")
        if invoice.total != invoice.subtotal - invoice.discount + invoice.vat:
            wrong.append(f"{invoice.number}: total ≠ subtotal − discount + VAT")
        if invoice.kind == Invoice.Kind.CREDIT:
            original = invoice.credit_of
            if (invoice.subtotal, invoice.discount, invoice.vat) != (-original.subtotal, -original.discount, -original.vat):
                wrong.append(f"{invoice.number}: a credit note that does not reverse {original.number}")
        elif invoice.vat != (invoice.subtotal - invoice.discount) * invoice.vat_percent // 100:
            wrong.append(f"{invoice.number}: VAT {invoice.vat} ≠ {invoice.vat_percent} % of the net amount")
        paid = invoice.payments.aggregate(paid=Sum("amount"))["paid"] or 0
        if paid > max(invoice.total, 0):
            wrong.append(f"{invoice.number}: paid {paid} of {invoice.total}")
    assert Invoice.objects.exists() and wrong == []
