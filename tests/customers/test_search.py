"""A compound name is found however it is written: with a ZWNJ, a space or neither (issue 13)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from aftersales.core.persian import search_document
from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"
SPELLINGS = [f"محمد{ZWNJ}رضا", "محمدرضا", "محمد رضا"]
LAST_NAMES = ["کاظمی", "رحیمی", "نوری"]


@pytest.fixture
def namesakes(db):
    """The same first name in its three spellings, and a namesake it must not find."""
    for n, (first, last) in enumerate(zip(SPELLINGS, LAST_NAMES)):
        Customer.objects.create(kind="person", first_name=first, last_name=last, mobile=f"0912111220{n}")
    Customer.objects.create(kind="person", first_name="محمد", last_name="بهرامی", mobile="09121112210")


def test_the_search_text_holds_the_spaced_and_the_compact_form():
    assert search_document(f"محمد{ZWNJ}رضا كاظمي") == "محمد رضا کاظمی محمدرضاکاظمی"
    assert search_document("SN-1234") == "sn-1234"


@pytest.mark.parametrize("query", [*SPELLINGS, "محمدرضا کاظمی", f"محمد{ZWNJ}رضا  کاظمی"])
def test_head_office_finds_each_spelling_on_the_list_page(client, head_office, namesakes, query):
    client.force_login(head_office)
    page = client.get(reverse("desk:list", args=["customers"]), {"q": query}).content.decode()
    expected = LAST_NAMES if "کاظمی" not in query else LAST_NAMES[:1]
    assert [name in page for name in LAST_NAMES] == [name in expected for name in LAST_NAMES]
    assert "بهرامی" not in page


@pytest.mark.parametrize("query", SPELLINGS)
def test_the_api_finds_each_spelling(api_client, head_office, namesakes, query):
    api_client.force_authenticate(head_office)
    found = api_client.get("/api/customers/", {"q": query}).json()
    assert sorted(row["last_name"] for row in found["results"]) == sorted(LAST_NAMES)


@pytest.mark.parametrize("query", SPELLINGS)
def test_the_admin_picker_finds_each_spelling(client, namesakes, query, django_user_model):
    """The admin's customer search, and so its pickers (raw id lookup), fold the term the same way."""
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    page = client.get(reverse("admin:customers_customer_changelist"), {"q": query}).content.decode()
    assert all(name in page for name in LAST_NAMES) and "بهرامی" not in page


def test_the_migration_adds_the_compact_form_to_rows_saved_before(namesakes):
    migration = importlib.import_module("aftersales.customers.migrations.0002_search_text_compact_form")
    [operation] = migration.Migration.operations
    Customer.objects.update(search_text="محمد رضا نوری 09121112202")  # as the old code stored it
    operation.code(apps, None)
    operation.code(apps, None)  # a second run changes nothing
    assert set(Customer.objects.values_list("search_text", flat=True)) == {
        "محمد رضا نوری 09121112202 محمدرضانوری09121112202"}
