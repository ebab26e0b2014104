"""The customer portal, customer against customer (issue 22): customer B, signed in the real way, reaches none of
customer A's rows and never sees A's data.

What must hold:

- ``row``: a portal URL naming one of A's records (unit, card PDF, repair, receipt, invoice, address, service
  request…) answers 404 to B, for GET and for POST, and a POST writes nothing.
- ``page``: every portal page without parameters opens for B (or sends B on) and shows none of A's texts; the
  forms that take a record in their body (a complaint's subject, a purchase's serial) refuse A's, writing nothing.
- The probes come from walking ``aftersales.portal.urls``: a portal URL with parameters that ``ROW_PROBES`` (or
  ``SECRET_URLS``) does not map fails ``test_every_portal_url_is_probed``, so a new page cannot skip its check.
- The control: B opens each of B's own rows and finds B's texts on the lists, so every 404 above is a refusal.

The staff leak matrix (``test_leak_matrix.py``) is about the staff of two centers; it leaves the portal's URLs
to this module (``matrix.PORTAL_PREFIX``), pages and API alike.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from django.utils import timezone
from PIL import Image

from aftersales.core import jalali
from aftersales.core.persian import localize_digits
from tests.helpers import nothing_written
from tests.portal.conftest import portal_sign_in  # noqa: F401 (the fixture: signs a client in the real way)

pytestmark = pytest.mark.django_db

A_MOBILE, B_MOBILE = "09351110001", "09121234567"

#: Portal URLs with parameters -> what each parameter names (a key of the world's records).
ROW_PROBES = {
    "portal:unit": {"pk": "unit"},
    "portal:unit-card-pdf": {"pk": "unit"},
    "portal:repair": {"pk": "order"},
    "portal:repair-receipt-pdf": {"pk": "order"},
    "portal:invoice-pdf": {"pk": "invoice"},
    "portal:address-remove": {"pk": "address"},
    "portal:service-cancel": {"pk": "service_request"},
}

#: Portal URLs with parameters that name no customer's record, with the reason they are not probed as rows.
SECRET_URLS = {
    "portal:code": "a pending sign-in by its secret token: shows the mobile masked and signs in only with its code",
}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 160, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


#: Pages without parameters whose POST names a record: the body sent with A's record, refused with nothing written.
FORM_PROBES = {
    "portal:complaint-new": lambda a: {"about": f"order:{a['order'].pk}", "text": "LEAK-PROBE", "submission": "p1"},
    "portal:unit-register": lambda a: {
        "serial": a["unit"].serial, "card_number": a["card"].number,
        "purchase_date": jalali.format_date(timezone.localdate() - datetime.timedelta(days=5), latin_digits=True),
        "invoice_photo": SimpleUploadedFile("invoice.png", _png(), content_type="image/png")},
}


def portal_patterns() -> list[tuple[str, list[str]]]:
    """Every named portal URL and its parameters, from the URL configuration."""
    from aftersales.portal import urls

    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern), f"the portal's URLs are flat: {pattern}"
        params = list(pattern.pattern.converters)
        found.append((f"{urls.app_name}:{pattern.name}", params))
    return found


PATTERNS = portal_patterns()
ROWS = [name for name, params in PATTERNS if params and name in ROW_PROBES]
PAGES = [name for name, params in PATTERNS if not params]


def _customer_world(*, customer, unit, center, reception, technician, service_item, tag: str, region) -> dict:
    """One customer's rows: the unit and its card, a repair with an invoice, a complaint, a message, an address
    and (where the portal asks for service) a service request; with the texts that must never cross over."""
    from aftersales.billing.services import invoice_issue
    from aftersales.customers.models import CustomerAddress
    from aftersales.feedback.services import complaint_receive
    from aftersales.messaging.models import Message
    from aftersales.repairs.services import operation_add, reception_create
    from aftersales.warranty.models import WarrantyCard

    # A repair of another product of theirs, out of warranty: billed to them.
    order = reception_create(center=center, acting_user=reception, customer=customer, serial=f"{tag}-REPAIRED-1",
                             description=f"{tag}-DESCRIPTION")
    operation_add(order=order, acting_user=technician, service_item=service_item, minutes=15)
    invoice = invoice_issue(orders=[order], acting_user=reception)
    complaint = complaint_receive(channel="portal", text=f"{tag}-COMPLAINT", subject=f"{tag}-SUBJECT",
                                  mobile=customer.mobile, customer=customer, repair_order=order)
    Message.objects.create(channel="sms", to=customer.mobile, body=f"{tag}-MESSAGE", customer_id=customer.pk,
                           state=Message.State.SENT)
    address = CustomerAddress.objects.create(customer=customer, region=region, address=f"{tag}-ADDRESS",
                                             postal_code="1193653471")
    card = WarrantyCard.objects.get(unit=unit)
    rows = {"unit": unit, "card": card, "order": order, "invoice": invoice, "complaint": complaint,
            "address": address}
    markers = {"serial": unit.serial, "card": card.number, "order": order.number, "tracking": order.tracking_code,
               "invoice": invoice.number, "complaint": complaint.number, "complaint_text": f"{tag}-COMPLAINT",
               "message": f"{tag}-MESSAGE", "address": f"{tag}-ADDRESS", "description": f"{tag}-DESCRIPTION",
               "unit_url": reverse("portal:unit", args=[unit.pk]), "order_url": reverse("portal:repair", args=[order.pk]),
               "unit_choice": f'value="unit:{unit.pk}"', "order_choice": f'value="order:{order.pk}"'}
    if "portal:service-cancel" in dict(PATTERNS):
        from aftersales.regions.models import SalesTerritory
        from aftersales.repairs.requests import service_request_submit

        territory, _created = SalesTerritory.objects.get_or_create(code="LEAK-PORTAL", defaults={"name": "پرتال"})
        territory.regions.add(region)
        territory.centers.add(center)
        rows["service_request"] = service_request_submit(
            customer=customer, kind="in_center", description=f"{tag}-REQUEST", region=region,
            serial=f"{tag}-REQ-SERIAL")
        markers["request"] = f"{tag}-REQ-SERIAL"
    return {"rows": rows, "markers": markers}


@pytest.fixture
def world(warranted_unit, owner, fridge_model, center_a, reception_a, technician_a, service_item):
    """Customer A (never signed in) and customer B (the ``owner``, who signs in), each with every kind of row."""
    from aftersales.catalog.models import ProductUnit
    from aftersales.customers.models import Customer
    from aftersales.regions.models import Region
    from aftersales.warranty.services import warranty_card_issue

    region = Region.objects.filter(kind=Region.Kind.CITY).order_by("code").first()
    a = Customer.objects.create(kind="person", first_name="Leakafirst", last_name="Leakalast", mobile=A_MOBILE,
                                email="leaka@example.com")
    unit_a = ProductUnit.objects.create(serial="LEAKA-UNIT-1", brand=fridge_model.brand, product_model=fridge_model,
                                        owner=a)
    warranty_card_issue(unit=unit_a)  # issued, not activated: the purchase could still be registered
    common = {"center": center_a, "reception": reception_a, "technician": technician_a,
              "service_item": service_item, "region": region}
    world_a = _customer_world(customer=a, unit=unit_a, tag="LEAKA", **common)
    world_a["markers"] |= {"name": "Leakalast", "mobile": A_MOBILE, "email": "leaka@example.com"}
    world_b = _customer_world(customer=owner, unit=warranted_unit, tag="LEAKB", **common)
    return {"a": world_a, "b": world_b}


@pytest.fixture
def customer_b(client, world, portal_sign_in):  # noqa: F811 (the fixture imported above)
    portal_sign_in(client, B_MOBILE)
    return client


def _url(name: str, rows: dict) -> str:
    return reverse(name, kwargs={param: rows[key].pk for param, key in ROW_PROBES[name].items()})


def _leaked(text: str, markers: dict) -> list[str]:
    return [f"{key}={value!r}" for key, value in markers.items()
            if value and (value in text or localize_digits(value) in text)]


def _body(response) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return ""  # glyphs, not text: refused by status instead
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def test_every_portal_url_is_probed():
    """A portal URL with parameters is a row probe or a secret link, with a reason; else this fails."""
    missing = [f"{name} {params}" for name, params in PATTERNS
               if params and name not in ROW_PROBES and name not in SECRET_URLS]
    assert not missing, ("portal URLs the isolation test does not probe: " + "; ".join(missing)
                         + " — add each to ROW_PROBES (and its record to _customer_world) or to SECRET_URLS")
    assert len(ROWS) >= 6 and len(PAGES) >= 8, (ROWS, PAGES)


@pytest.mark.parametrize("name", ROWS)
def test_customer_b_gets_404_for_customer_as_row(name, world, customer_b):
    url = _url(name, world["a"]["rows"])
    markers = {key: value for key, value in world["a"]["markers"].items() if value not in url}  # the path, echoed
    got = customer_b.get(url)
    assert got.status_code in (404, 405), f"GET {url} answered {got.status_code} to customer B"
    record = world["a"]["rows"][ROW_PROBES[name]["pk"]]
    with nothing_written(record):
        posted = customer_b.post(url, {"answer": "approve"})
    assert posted.status_code in (404, 405), f"POST {url} answered {posted.status_code} to customer B"
    assert 404 in (got.status_code, posted.status_code), f"{url} is refused by its method only, never looked up"
    for response in (got, posted):
        assert not _leaked(_body(response), markers), f"{url} shows customer A's data to customer B"


@pytest.mark.parametrize("name", ROWS)
def test_customer_b_opens_its_own_rows_so_the_404s_are_refusals(name, world, customer_b):
    url = _url(name, world["b"]["rows"])
    if name in ("portal:address-remove", "portal:service-cancel"):
        response = customer_b.post(url)  # a write of B's own: done, and back to a page
        assert response.status_code == 302, f"POST {url} answered {response.status_code} to its own customer"
        return
    response = customer_b.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code} to its own customer"


@pytest.mark.parametrize("name", PAGES)
def test_customer_as_data_never_shows_on_customer_bs_pages(name, world, customer_b):
    response = customer_b.get(reverse(name))
    assert response.status_code in (200, 302, 405), f"{name} answered {response.status_code}"
    leaked = _leaked(_body(response), world["a"]["markers"])
    assert not leaked, f"customer A's data on {name} for customer B: {leaked}"


@pytest.mark.parametrize("name", [name for name in FORM_PROBES if name in PAGES])
def test_a_form_naming_customer_as_row_is_refused_with_nothing_written(name, world, customer_b):
    data = FORM_PROBES[name](world["a"]["rows"])
    with nothing_written(*world["a"]["rows"].values()):
        response = customer_b.post(reverse(name), data)
    assert response.status_code == 400, f"{name} took customer A's row: {response.status_code}"
    leaked = _leaked(_body(response), {key: value for key, value in world["a"]["markers"].items()
                                       if key not in ("serial", "card")})  # the serial B typed is shown back
    assert not leaked, f"customer A's data in {name}'s refusal: {leaked}"


def test_customer_b_finds_its_own_texts_on_the_lists(world, customer_b):
    """The control of the page probes: B's own rows show where A's must not."""
    markers = world["b"]["markers"]
    pages = {"portal:units": "serial", "portal:repairs": "order_url", "portal:complaints": "complaint_text",
             "portal:messages": "message", "portal:me": "address", "portal:complaint-new": "order_choice"}
    for name, key in pages.items():
        text = _body(customer_b.get(reverse(name)))
        assert markers[key] in text or localize_digits(markers[key]) in text, f"{name} lacks B's {key}"


# --- The portal's REST API (``aftersales.portal.api_urls``): the same rules, with a portal key ------------------

#: Portal API URLs with parameters -> what each parameter names (a key of the world's records).
API_ROW_PROBES = {
    "portal-api:unit": {"pk": "unit"},
    "portal-api:repair": {"pk": "order"},
    "portal-api:repair-estimate": {"pk": "order"},
    "portal-api:service-request-cancel": {"pk": "service_request"},
    "portal-api:address": {"pk": "address"},
}
#: Portal API operations anyone may call: the sign-in, before there is a key.
API_PUBLIC = {"portal-api:sign-in", "portal-api:sign-in-confirm"}
#: Portal API lists -> the marker of customer B's own rows each must show (the control of the leak probes).
API_LISTS = {"portal-api:units": "serial", "portal-api:repairs": "order", "portal-api:messages": "message",
             "portal-api:complaints": "complaint_text", "portal-api:service-requests": "request",
             "portal-api:me": "address"}

#: Portal API operations whose body names a record: the body with A's record, refused with nothing written.
API_FORM_PROBES = {
    "portal-api:complaints": lambda a: {"repair": a["order"].pk, "text": "LEAK-PROBE"},
    "portal-api:service-requests": lambda a: {"unit": a["unit"].pk, "kind": "in_center", "description": "LEAK-PROBE",
                                              "region": a["address"].region_id},
    "portal-api:purchases": lambda a: {
        "serial": a["unit"].serial, "card_number": a["card"].number,
        "purchase_date": (timezone.localdate() - datetime.timedelta(days=5)).isoformat(),
        "invoice_photo": SimpleUploadedFile("invoice.png", _png(), content_type="image/png")},
}


def api_patterns() -> list[tuple[str, list[str], list[str]]]:
    """Every named portal API URL, its parameters and its HTTP methods, from the URL configuration."""
    from aftersales.portal import api_urls

    found = []
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern), f"the portal API's URLs are flat: {pattern}"
        view = pattern.callback.view_class
        methods = [method for method in ("get", "post", "patch", "delete") if hasattr(view, method)]
        found.append((f"{api_urls.app_name}:{pattern.name}", list(pattern.pattern.converters), methods))
    return found


API_PATTERNS = api_patterns()
API_ROWS = [(name, method) for name, params, methods in API_PATTERNS if params and name in API_ROW_PROBES
            for method in methods]
API_OPERATIONS = [(name, params, method) for name, params, methods in API_PATTERNS if name not in API_PUBLIC
                  for method in methods]


@pytest.fixture
def customer_b_api(world, sms_outbox, django_capture_on_commit_callbacks):
    """Customer B's app, signed in the real way: the mobile, then the texted code, for a portal key."""
    from rest_framework.test import APIClient

    from tests.portal.conftest import texted_code

    client = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("portal-api:sign-in"), {"mobile": B_MOBILE}, format="json").status_code == 202
    done = client.post(reverse("portal-api:sign-in-confirm"), {"mobile": B_MOBILE, "code": texted_code(sms_outbox)},
                       format="json")
    assert done.status_code == 201, done.content
    client.credentials(HTTP_AUTHORIZATION=f"Portal {done.data['token']}")
    return client


def _api_url(name: str, rows: dict) -> str:
    return reverse(name, kwargs={param: rows[key].pk for param, key in API_ROW_PROBES[name].items()})


def _api_send(client, method: str, url: str, data=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data if data is not None else {"approve": True}, format="json")


def test_every_portal_api_url_is_probed():
    """A portal API URL with parameters is a row probe, a list has its control, a public one is named; else this
    fails."""
    missing = [f"{name} {params}" for name, params, _methods in API_PATTERNS
               if params and name not in API_ROW_PROBES]
    assert not missing, ("portal API URLs the isolation test does not probe: " + "; ".join(missing)
                         + " — add each to API_ROW_PROBES (and its record to _customer_world)")
    gets = {name for name, params, methods in API_PATTERNS if not params and "get" in methods}
    assert gets == set(API_LISTS), f"portal API lists without a control in API_LISTS: {gets ^ set(API_LISTS)}"
    assert len(API_ROWS) >= 5 and len(API_OPERATIONS) >= 15, (API_ROWS, API_OPERATIONS)


@pytest.mark.parametrize(("name", "method"), API_ROWS)
def test_customer_b_gets_404_for_customer_as_row_over_the_api(name, method, world, customer_b_api):
    url = _api_url(name, world["a"]["rows"])
    record = world["a"]["rows"][API_ROW_PROBES[name]["pk"]]
    with nothing_written(record):
        response = _api_send(customer_b_api, method, url)
    assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code} to customer B"
    assert not _leaked(_body(response), world["a"]["markers"]), f"{url} shows customer A's data to customer B"


@pytest.mark.parametrize(("name", "method"), API_ROWS)
def test_customer_b_reaches_its_own_rows_over_the_api_so_the_404s_are_refusals(name, method, world, customer_b_api):
    url = _api_url(name, world["b"]["rows"])
    response = _api_send(customer_b_api, method, url)
    # A read opens; a write is done (200/204) or refused by its rules (400: no estimate waits) — found either way.
    expected = (200,) if method == "get" else (200, 204, 400)
    assert response.status_code in expected, f"{method.upper()} {url} answered {response.status_code} to its own customer"


@pytest.mark.parametrize("name", sorted(API_LISTS))
def test_customer_as_data_never_shows_on_customer_bs_api_lists_and_bs_own_does(name, world, customer_b_api):
    response = customer_b_api.get(reverse(name))
    assert response.status_code == 200, f"{name} answered {response.status_code}"
    text = _body(response)
    leaked = _leaked(text, world["a"]["markers"])
    assert not leaked, f"customer A's data on {name} for customer B: {leaked}"
    mine = world["b"]["markers"][API_LISTS[name]]
    assert mine in text, f"{name} lacks customer B's {API_LISTS[name]}: the probe above would be hollow"


@pytest.mark.parametrize("name", sorted(API_FORM_PROBES))
def test_an_api_body_naming_customer_as_row_is_refused_with_nothing_written(name, world, customer_b_api):
    data = API_FORM_PROBES[name](world["a"]["rows"])
    multipart = any(isinstance(value, SimpleUploadedFile) for value in data.values())
    with nothing_written(*world["a"]["rows"].values()):
        response = customer_b_api.post(reverse(name), data, format="multipart" if multipart else "json")
    assert response.status_code == 400, f"{name} took customer A's row: {response.status_code}"
    leaked = _leaked(_body(response), {key: value for key, value in world["a"]["markers"].items()
                                       if key not in ("serial", "card")})  # the serial B typed is shown back
    assert not leaked, f"customer A's data in {name}'s refusal: {leaked}"


@pytest.mark.parametrize(("name", "params", "method"), API_OPERATIONS)
def test_staff_tokens_and_sessions_open_no_portal_api_operation(name, params, method, world, client, reception_a):
    """A receptionist who serves customer A at the desk is nobody on the portal's API: 401 with a token or a
    session, nothing written."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from .conftest import login

    url = (_api_url(name, world["a"]["rows"]) if params else reverse(name))
    token, _created = Token.objects.get_or_create(user=reception_a)
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    session = login(client, reception_a)
    with nothing_written(*world["a"]["rows"].values()):
        by_token = _api_send(with_token, method, url, data={})
        if method == "get":
            by_session = session.get(url)
        else:
            by_session = getattr(session, method)(url, "{}", content_type="application/json")
    assert (by_token.status_code, by_session.status_code) == (401, 401), f"{method.upper()} {url}"
