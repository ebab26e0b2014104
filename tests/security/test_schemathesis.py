"""Every operation of the OpenAPI schema, fed generated input by schemathesis, as an administrator and as a
receptionist: never a server error, and every answer as the schema describes it.

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

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

MAX_EXAMPLES = 10
DEADLINE = datetime.timedelta(seconds=5)
#: Operations and examples exercised per caller, for the run's summary (conftest.py prints it).
EXERCISED: dict[str, Counter] = {}

BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=DEADLINE,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(world):
    """The schema the app serves, called in-process; the test's transaction stays open across calls.

    Django's own test client keeps ``close_old_connections`` away from requests for the same reason:
    called at the end of a request inside the test's transaction it would drop the connection.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        from rest_framework.authtoken.models import Token

        token, _created = Token.objects.get_or_create(user=world.superuser)
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(),
                                             headers={"Authorization": f"Token {token.key}"})
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


def _token(user) -> str:
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=user)
    return token.key


def _exercise(case, user, who: str):
    counts = EXERCISED.setdefault(who, Counter())
    counts[f"{case.method.upper()} {case.path}"] += 1
    case.call_and_validate(headers={"Authorization": f"Token {_token(user)}"})


@schema.parametrize()
@BOUNDED
def test_api_as_administrator(case, world):
    _exercise(case, world.superuser, "administrator")


@schema.parametrize()
@BOUNDED
def test_api_as_receptionist(case, world):
    _exercise(case, world.users_a["receptionist"], "receptionist")


def figures() -> str:
    parts = []
    for who, counts in sorted(EXERCISED.items()):
        parts.append(f"{who}: {len(counts)} operations, {sum(counts.values())} examples")
    return "schemathesis: " + ("; ".join(parts) or "not run")
