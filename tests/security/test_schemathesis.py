"""Every operation of the OpenAPI schema, fed generated input by schemathesis, as an administrator and as a
receptionist, and the customer portal's operations as a customer with a portal key (staff credentials get a 401
there): never a server error, and every answer as the schema describes it.

Bounded in time: a few examples per operation, no shrinking, a deadline per example, and Hypothesis'
example database off (nothing is written into the repository).
"""

import datetime
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

MAX_EXAMPLES = 10
DEADLINE = datetime.timedelta(seconds=5)
#: No server error, and answers as the schema describes them. Error statuses the schema does not list
#: (drf-spectacular documents only the success answer) are not failures here.
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, response_headers_conformance]
#: Operations and examples exercised per caller, for the run's summary (conftest.py prints it).
EXERCISED: dict[str, Counter] = {}

BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=DEADLINE,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _schema():
    """The schema drf-spectacular generates (no request needed), called in-process through WSGI."""
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = WSGIHandler()
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _one_connection():
    """Keep the test's transaction open across the calls, as Django's test client does: at the end of a
    request inside the test's transaction, ``close_old_connections`` would drop the connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _token(user) -> str:
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=user)
    return token.key


def _exercise(case, user, who: str):
    counts = EXERCISED.setdefault(who, Counter())
    counts[case.operation.label] += 1
    case.call_and_validate(headers={"Authorization": f"Token {_token(user)}"}, checks=CHECKS)


#: The customer portal's operations: they take only a portal key (``Authorization: Portal <key>``).
portal_schema = schema.include(path_regex=r"^/api/portal/")


@schema.parametrize()
@BOUNDED
def test_api_as_administrator(case, world):
    _exercise(case, world.superuser, "administrator")


@schema.parametrize()
@BOUNDED
def test_api_as_receptionist(case, world):
    _exercise(case, world.users_a["receptionist"], "receptionist")


@portal_schema.parametrize()
@BOUNDED
def test_portal_api_as_customer(case, world):
    """Center B's customer, signed in to the portal's API (the key issued as on confirming the texted code)."""
    from aftersales.portal.services import portal_token_issue

    customer = world.records["customers.Customer"]
    key, _token_row = portal_token_issue(mobile=customer.mobile)
    counts = EXERCISED.setdefault("portal customer", Counter())
    counts[case.operation.label] += 1
    case.call_and_validate(headers={"Authorization": f"Portal {key}"}, checks=CHECKS)


def figures() -> str:
    parts = []
    for who, counts in sorted(EXERCISED.items()):
        parts.append(f"{who}: {len(counts)} operations, {sum(counts.values())} examples")
    return "schemathesis: " + ("; ".join(parts) or "not run")
