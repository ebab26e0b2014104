"""Fixtures of the security tests: the leak matrix's world, built once per module.

The world is built inside a transaction opened for the module and rolled back when the module is done;
each test's own transaction is a savepoint inside it, so a write one test makes is gone before the next.
"""

import pytest
from django.db import transaction

from .world import build


def login(client, user):
    """Log ``user`` in as a person who has passed every step: the password and, when the site asks
    for one (django-otp installed), a second factor; so that a refusal comes from scoping, not 2FA."""
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:
        return client
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="leak-matrix", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
