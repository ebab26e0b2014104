import pytest


@pytest.fixture(autouse=True)
def _site_url_is_the_live_server(request, settings):
    """Links in messages, QR codes and PDFs point at the server the test runs, as ``make run`` sets them."""
    if "live_server" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url
