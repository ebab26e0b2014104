"""The shared cast: two centers (Tehran and Isfahan) and their people, named by role.

Like healthchecks' alice/bob/charlie: ``reception_a`` works at center A, ``reception_b`` at B,
``head_office`` sees every center.
"""

import datetime
import os

import pytest

from aftersales.organization.roles import Role

from .factories import PASSWORD, ServiceCenterFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _frozen_clock_start(value: str):
    """Start the whole run at ``value`` ("00:30": today at that Tehran time; or an ISO instant), the clock
    ticking on from there. Between 00:00 and 03:30 in Tehran the UTC day is still yesterday: a test run
    then catches every aware datetime turned into a calendar day with ``.date()`` instead of
    ``timezone.localdate()`` (issue 13, "Dates are Tehran's")."""
    import zoneinfo

    import time_machine

    tehran = zoneinfo.ZoneInfo("Asia/Tehran")
    if len(value) <= 5:
        hour, minute = (int(part) for part in value.split(":"))
        at = datetime.datetime.now(tehran).replace(hour=hour, minute=minute, second=0, microsecond=0)
    else:
        at = datetime.datetime.fromisoformat(value)
        at = at if at.tzinfo else at.replace(tzinfo=tehran)
    traveller = time_machine.travel(at, tick=True)
    traveller.start()
    return traveller, at


def pytest_configure(config):
    value = os.environ.get("FROZEN_CLOCK", "").strip()
    if value:
        config._frozen_clock = _frozen_clock_start(value)


def pytest_unconfigure(config):
    frozen = getattr(config, "_frozen_clock", None)
    if frozen:
        frozen[0].stop()


def pytest_report_header(config):
    frozen = getattr(config, "_frozen_clock", None)
    if frozen:
        return f"frozen clock: the run starts at {frozen[1].isoformat()} ({frozen[1].astimezone(datetime.UTC).isoformat()})"


@pytest.fixture
def today_is():
    """Stand the clock on a calendar day in Tehran, keeping the time of day and ticking on:
    ``today_is(datetime.date(2026, 11, 28))``. A test asserting a warranty state of a fixed purchase date
    stands on a fixed day, so that it does not age out when the warranty does (issue 13)."""
    import zoneinfo

    import time_machine

    travellers = []

    def travel(day: datetime.date):
        tehran = zoneinfo.ZoneInfo("Asia/Tehran")
        at = datetime.datetime.combine(day, datetime.datetime.now(tehran).time(), tzinfo=tehran)
        traveller = time_machine.travel(at, tick=True)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits, import progress and warranty policies are cached: every test starts with none."""
    from django.core.cache import cache

    from aftersales.warranty.status import policy_cache_clear

    cache.clear()
    policy_cache_clear()  # per-process policy cache: ids repeat after each test's rollback
    sms_outbox_clear()
    from aftersales.messaging.services import rules_changed
    from aftersales.workflow.engine import definitions_changed

    from aftersales.core.rowcache import row_caches_clear

    rules_changed()  # per-process caches of rows that the test's rollback takes away
    definitions_changed()
    row_caches_clear()


def sms_outbox_clear():
    from aftersales.messaging.backends import backends_reset
    from aftersales.messaging.backends.sms import MemorySmsBackend

    MemorySmsBackend.outbox.clear()
    backends_reset()


@pytest.fixture
def sms_outbox():
    """The SMS the memory backend (the test settings' gateway) took, in order."""
    from aftersales.messaging.backends.sms import MemorySmsBackend

    return MemorySmsBackend.outbox


@pytest.fixture
def gateway():
    """A local stand-in of the SMS gateways' HTTP APIs (tests/messaging/standin.py)."""
    from .messaging.standin import Gateway

    stand_in = Gateway().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def use_sms_backend(settings):
    """Switch the SMS backend for one test: ``use_sms_backend("kavenegar", base_url=…, api_key=…)``."""
    from aftersales.messaging.backends import backends_reset

    def use(name: str, **options):
        settings.MESSAGING_SMS_BACKEND = name
        settings.MESSAGING_SMS_OPTIONS = options
        backends_reset()

    yield use
    backends_reset()


class Inbox:
    """What the local SMTP server received: ``(recipients, message)`` pairs."""

    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        self.mails.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on localhost (aiosmtpd) that the product's e-mail backend talks to."""
    import socket

    from aiosmtpd.controller import Controller

    inbox = Inbox()
    with socket.socket() as probe:  # a free port: aiosmtpd's readiness check cannot use port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


@pytest.fixture
def center_a(db):
    return ServiceCenterFactory(code="TEH01", name="مرکز خدمات تهران", province="تهران", city="تهران")


@pytest.fixture
def center_b(db):
    return ServiceCenterFactory(code="ISF01", name="مرکز خدمات اصفهان", province="اصفهان", city="اصفهان", phone="03132221100")


@pytest.fixture
def reception_a(center_a):
    return UserFactory(username="reception_a", role=Role.RECEPTIONIST, centers=[center_a])


@pytest.fixture
def technician_a(center_a):
    return UserFactory(username="technician_a", role=Role.TECHNICIAN, centers=[center_a])


@pytest.fixture
def manager_a(center_a):
    return UserFactory(username="manager_a", role=Role.CENTER_MANAGER, centers=[center_a], is_staff=True)


@pytest.fixture
def reception_b(center_b):
    return UserFactory(username="reception_b", role=Role.RECEPTIONIST, centers=[center_b])


@pytest.fixture
def manager_b(center_b):
    return UserFactory(username="manager_b", role=Role.CENTER_MANAGER, centers=[center_b], is_staff=True)


@pytest.fixture
def head_office(db):
    return UserFactory(username="head_office", role=Role.HEAD_OFFICE_MANAGER, is_staff=True)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def fridge_model(db):
    """A refrigerator model of brand SNOW in the tree home appliances → refrigerators, with a compressor."""
    from aftersales.catalog.models import Brand, ComponentType, ModelComponent, ProductGroup, ProductModel

    appliances = ProductGroup.objects.create(code="HOME", name="لوازم خانگی")
    fridges = ProductGroup.objects.create(code="FRIDGE", name="یخچال", parent=appliances)
    brand = Brand.objects.create(code="SNOW", name="اسنوا")
    model = ProductModel.objects.create(code="RF-520", name="یخچال ساید بای ساید ۵۲۰", brand=brand, group=fridges)
    compressor = ComponentType.objects.create(code="COMPRESSOR", name="کمپرسور", has_serial=True)
    ModelComponent.objects.create(product_model=model, component_type=compressor)
    return model


@pytest.fixture
def integration_user(db):
    """The account of a system that pushes data (tracking system, importer): head-office rights."""
    return UserFactory(username="tracking-system", role=Role.HEAD_OFFICE_MANAGER)


# Browser tests: Debian's Chromium, never a downloaded browser.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English browser: the product must still open in Persian.
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 800}}


def pytest_collection_modifyitems(config, items):
    _postgres_only(config, items)
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if os.path.exists(chromium):
        return
    skip = pytest.mark.skip(reason=f"Debian Chromium not found at {chromium}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# PostgreSQL-only tests (row locks between connections, twin submits) carry the ``postgres`` marker and
# nothing else decides whether they run: on SQLite they are skipped here with one reason; on PostgreSQL a
# skipped one is a failure, and a whole-suite run (no paths given, as `make test-pg`) in which none ran
# fails too, so that CI cannot go green without them (issue 13, "The tests themselves").
POSTGRES_SKIP_REASON = "needs PostgreSQL (row locks between connections): run it with make test-pg"


def _on_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _postgres_run(config) -> dict:
    """Whether this run is on PostgreSQL and how many postgres-marked tests passed; under pytest-xdist the
    controller counts the reports its workers send, and only it decides."""
    if not hasattr(config, "_postgres_run"):
        config._postgres_run = {"on": _on_postgres(), "ran": 0}
    return config._postgres_run


def _postgres_only(config, items):
    if _postgres_run(config)["on"]:
        return
    skip = pytest.mark.skip(reason=POSTGRES_SKIP_REASON)
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if _postgres_run(item.config)["on"] and item.get_closest_marker("postgres"):
        if report.skipped and not hasattr(report, "wasxfail"):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            report.outcome, report.longrepr = "failed", f"a postgres test was skipped on PostgreSQL: {reason}"
    return report


_SESSION = {}


def pytest_sessionstart(session):
    _SESSION["config"] = session.config


def pytest_runtest_logreport(report):
    config = _SESSION.get("config")
    if config is not None and report.when == "call" and report.passed and "postgres" in report.keywords:
        _postgres_run(config)["ran"] += 1


def _postgres_required(config) -> bool:
    return config.args_source == pytest.Config.ArgsSource.TESTPATHS  # the whole suite, as CI runs it


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")  # a pytest-xdist worker: the controller sums up the run


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if _is_worker(config):
        config.workeroutput["figures"] = _figures()
        return
    run = _postgres_run(config)
    if run["on"] and run["ran"] == 0 and _postgres_required(config) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


#: Modules whose ``figures()`` tell what a run exercised (the leak matrix's cells, schemathesis' operations).
FIGURE_MODULES = ("tests.security.test_leak_matrix", "tests.security.test_schemathesis")
_WORKER_FIGURES: list[str] = []


def _figures() -> list[str]:
    import sys

    return [sys.modules[name].figures() for name in FIGURE_MODULES if name in sys.modules]


def pytest_testnodedown(node, error):
    """pytest-xdist: keep a finished worker's figures for the summary."""
    _WORKER_FIGURES.extend(getattr(node, "workeroutput", {}).get("figures", []))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The figures of the leak matrix and of schemathesis (each worker's, under pytest-xdist), and how many
    postgres tests ran."""
    for line in _WORKER_FIGURES or _figures():
        terminalreporter.write_line(line)
    run = _postgres_run(config)
    if run["on"]:
        terminalreporter.write_line(f"postgres: {run['ran']} postgres-marked test(s) passed on PostgreSQL")
        if run["ran"] == 0 and _postgres_required(config):
            terminalreporter.write_line("postgres: none ran on PostgreSQL: the run fails", red=True)


@pytest.fixture
def owner(db):
    from aftersales.customers.models import Customer

    return Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567")


@pytest.fixture
def warranted_unit(fridge_model, owner):
    """A refrigerator sold two months ago with an active 18-month warranty."""
    from django.utils import timezone

    from aftersales.catalog.models import ProductUnit
    from aftersales.warranty.models import ModelWarranty, PolicyVersion, WarrantyPolicy
    from aftersales.warranty.services import warranty_card_activate, warranty_card_issue

    policy = WarrantyPolicy.objects.create(code="fridge-18", name="۱۸ ماهه")
    PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2024, 1, 1), duration_months=18)
    ModelWarranty.objects.create(product_model=fridge_model, policy=policy)
    unit = ProductUnit.objects.create(serial="RF-520-0001", brand=fridge_model.brand, product_model=fridge_model, owner=owner)
    card = warranty_card_issue(unit=unit)
    warranty_card_activate(number=card.number, purchase_date=timezone.localdate() - datetime.timedelta(days=60),
                           channel="staff")
    return unit


@pytest.fixture
def receive(center_a, reception_a, owner):
    from aftersales.repairs.services import reception_create

    def _receive(**options):
        options.setdefault("center", center_a)
        options.setdefault("customer", owner)
        options.setdefault("acting_user", reception_a)
        options.setdefault("description", "یخچال سرد نمی‌کند")
        return reception_create(**options)

    return _receive


@pytest.fixture
def service_item(fridge_model):
    from aftersales.catalog.models import ServiceItem

    return ServiceItem.objects.create(code="GAS", title="شارژ گاز", labour_price=2_500_000, product_group=fridge_model.group)


@pytest.fixture
def keeper_a(center_a):
    return UserFactory(username="keeper_a", role=Role.WAREHOUSE_KEEPER, centers=[center_a])


@pytest.fixture
def warehouse_a(center_a):
    from aftersales.stock.models import Warehouse

    return Warehouse.objects.create(center=center_a, code="main", name="انبار مرکزی تهران")


@pytest.fixture
def compressor_part(fridge_model):
    """A compressor: a spare part that is a component of the refrigerator, with its own warranty."""
    from aftersales.catalog.models import ComponentType, SparePart

    return SparePart.objects.create(code="CMP-520", name="کمپرسور ۵۲۰", price=18_000_000,
                                    component_type=ComponentType.objects.get(code="COMPRESSOR"))


@pytest.fixture
def stocked(warehouse_a, compressor_part, keeper_a):
    """Five compressors in center A's warehouse at 12,000,000 rials each."""
    from aftersales.stock.services import stock_receive

    stock_receive(warehouse=warehouse_a, spare_part=compressor_part, quantity=5, unit_cost=12_000_000,
                  acting_user=keeper_a, reference="PO-1")
    return warehouse_a
