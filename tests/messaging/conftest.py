import pytest

from aftersales.messaging.backends import backends_reset

from .standin import Gateway


@pytest.fixture
def gateway():
    stand_in = Gateway().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def use_sms_backend(settings):
    """Switch the SMS backend for one test: ``use_sms_backend("kavenegar", base_url=…, api_key=…)``."""

    def use(name: str, **options):
        settings.MESSAGING_SMS_BACKEND = name
        settings.MESSAGING_SMS_OPTIONS = options
        backends_reset()

    yield use
    backends_reset()
