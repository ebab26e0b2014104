"""Bad input is answered, never a server error: ids out of any column's range in filters (SQLite raises
OverflowError above 2**63-1, PostgreSQL a DataError), duplicates of unique fields, over-long text and
implausible dates on the API."""

import pytest

from aftersales.core.filters import Unmatchable, id_or_none, ids, lookup_value
from aftersales.customers.models import Customer, CustomerGroup
from aftersales.stock.models import Warehouse

pytestmark = pytest.mark.django_db

HUGE = str(2**64)
BIGINT_PLUS_ONE = str(2**63)


@pytest.fixture
def web(client):
    client.raise_request_exception = False  # a 500 is an answer to assert on, not an exception
    return client


@pytest.mark.parametrize("value", [HUGE, BIGINT_PLUS_ONE, "-" + HUGE, "abc", "1.5", "۱۸۴۴۶۷۴۴۰۷۳۷۰۹۵۵۱۶۱۶۰"])
def test_a_value_no_row_can_hold_is_unmatchable(value):
    with pytest.raises(Unmatchable):
        lookup_value(Warehouse._meta.get_field("center"), value)
    assert id_or_none(value, Customer) is None


def test_ids_take_persian_digits_and_drop_impossible_ones():
    assert lookup_value(Warehouse._meta.get_field("center"), "۱۲") == 12
    assert ids(["۳", "4", HUGE, "x", ""], Customer) == [3, 4]


@pytest.mark.parametrize("url", [
    f"/data/customers/?groups={HUGE}",
    f"/data/customers/?groups={BIGINT_PLUS_ONE}",
    f"/data/customers/?groups=abc",
    f"/data/warehouses/?center={HUGE}",
    f"/data/teams/?center={HUGE}",
    f"/data/complaints/?center={HUGE}",
    f"/data/warehouses/?is_active=maybe",
    f"/data/customers/export.xlsx?groups={HUGE}",
    f"/data/warehouses/export.xlsx?center={HUGE}",
])
def test_desk_lists_and_exports_match_nothing_for_an_impossible_id(admin_user, web, center_a, url):
    Warehouse.objects.create(center=center_a, code="W1", name="انبار")
    customer = Customer.objects.create(kind="person", last_name="احمدی")
    customer.groups.add(CustomerGroup.objects.create(code="VIP", name="ویژه"))
    web.force_login(admin_user)
    response = web.get(url)
    assert response.status_code == 200
    if "export" not in url:
        page = response.content.decode()
        listed = page[page.index("<main"):page.index("</main>")]  # the menu names «کاردکس انبار» too
        assert "احمدی" not in listed and "انبار</" not in listed


def test_desk_list_still_filters_by_a_real_id(admin_user, web, center_a, center_b):
    Warehouse.objects.create(center=center_a, code="W1", name="انبار تهران")
    Warehouse.objects.create(center=center_b, code="W2", name="انبار اصفهان")
    web.force_login(admin_user)
    page = web.get(f"/data/warehouses/?center={center_a.pk}").content.decode()
    assert "انبار تهران" in page and "انبار اصفهان" not in page


@pytest.mark.parametrize("url", [
    f"/api/customers/?groups={HUGE}",
    f"/api/customers/?groups={BIGINT_PLUS_ONE}",
    f"/api/warehouses/?center={HUGE}",
    f"/api/teams/?center={HUGE}",
    f"/api/complaints/?center={HUGE}",
])
def test_api_lists_answer_400_with_the_filter_named(admin_user, api_client, url):
    api_client.force_authenticate(admin_user)
    response = api_client.get(url)
    assert response.status_code == 400
    assert set(response.json()) == {url.split("?")[1].split("=")[0]}


def test_api_list_still_filters_by_a_real_id(admin_user, api_client):
    group = CustomerGroup.objects.create(code="VIP", name="ویژه")
    Customer.objects.create(kind="person", last_name="احمدی").groups.add(group)
    Customer.objects.create(kind="person", last_name="کریمی")
    api_client.force_authenticate(admin_user)
    rows = api_client.get(f"/api/customers/?groups={group.pk}").json()["results"]
    assert [row["last_name"] for row in rows] == ["احمدی"]


@pytest.mark.parametrize("url", [
    f"/billing/new/?customer={HUGE}",
    f"/billing/new/?orders={HUGE}",
    f"/billing/new/?orders=1&orders={BIGINT_PLUS_ONE}",
    f"/stock/ledger/?warehouse={HUGE}&part={HUGE}",
    f"/competitors/compare/?model={HUGE}",
])
def test_other_pages_treat_an_impossible_id_as_unknown(admin_user, web, url):
    web.force_login(admin_user)
    assert web.get(url).status_code == 200


def test_a_desk_form_refuses_an_impossible_many_to_many_choice(admin_user, web):
    web.force_login(admin_user)
    response = web.post("/data/customers/new/", {"kind": "person", "last_name": "احمدی", "groups": [HUGE]})
    assert response.status_code == 200
    assert "groups" in response.context["form"].errors
    assert not Customer.objects.exists()


MEGABYTE = "x" * 1_000_000


@pytest.mark.parametrize("overrides, field, words", [
    ({"last_name": MEGABYTE}, "last_name", ""),
    ({"first_name": MEGABYTE}, "first_name", ""),
    ({"notes": "ok", "email": MEGABYTE + "@example.ir"}, "email", ""),
    ({"birth_date": "9999-12-31"}, "birth_date", "۱۲۷۸"),
    ({"birth_date": "1899-12-31"}, "birth_date", "۱۲۷۸"),
    ({"birth_date": "2099-01-01"}, "birth_date", "آینده"),
    ({"birth_date": "1370/13/01"}, "birth_date", "۱۴۰۵/۰۹/۰۷"),
])
def test_customer_api_refuses_over_long_text_and_implausible_dates(admin_user, api_client, overrides, field, words):
    api_client.force_authenticate(admin_user)
    response = api_client.post("/api/customers/", {"kind": "person", "last_name": "احمدی", **overrides}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert words in response.json()[field][0]
    assert not Customer.objects.exists()


def test_customer_api_takes_a_jalali_or_iso_birth_date(admin_user, api_client):
    api_client.force_authenticate(admin_user)
    for value in ("۱۳۷۰/۰۱/۰۱", "1991-03-21"):
        response = api_client.post("/api/customers/", {"kind": "person", "last_name": "احمدی", "birth_date": value},
                                   format="json")
        assert response.status_code == 201 and response.json()["birth_date"] == "1991-03-21"


def test_desk_form_refuses_a_birth_date_in_the_future(admin_user, web):
    web.force_login(admin_user)
    response = web.post("/data/customers/new/", {"kind": "person", "last_name": "احمدی", "birth_date": "1478/01/01"})
    assert response.status_code == 200 and "birth_date" in response.context["form"].errors
    assert not Customer.objects.exists()


@pytest.mark.parametrize("url, field", [
    ("/api/crm/stages/?search=a%00b", "search"),
    ("/api/warranty/status/?serial=SN%001", "serial"),
    ("/api/warranty/status/?serial=SN1&brand=%00", "brand"),
    ("/api/customers/?groups=1&q=%00", "q"),
])
def test_a_null_character_in_an_api_query_is_a_400_naming_it(admin_user, api_client, url, field):
    """PostgreSQL's text takes no NUL byte: the query is refused before the database sees it."""
    api_client.force_authenticate(admin_user)
    response = api_client.get(url)
    assert response.status_code == 400
    assert response.json() == {field: ["کاراکترهای تهی مجاز نیستند."]}


def test_a_null_character_in_a_page_query_is_the_bad_request_page(admin_user, web):
    web.force_login(admin_user)
    response = web.get("/data/customers/?q=%D8%A7%00")
    assert response.status_code == 400
    assert "درخواست نامعتبر" in response.content.decode()
    assert web.get("/data/customers/?q=%D8%A7").status_code == 200
