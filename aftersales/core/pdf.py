"""Persian PDFs with WeasyPrint: right-to-left, Vazirmatn embedded, Jalali dates from the templates.

Only the product's own static files can be loaded while rendering: a template that names another
host gets nothing, so a PDF never waits on (or leaks to) the internet.
"""

import mimetypes
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = unquote(urlparse(url).path)
            if path.startswith(settings.STATIC_URL):
                found = static_file(path[len(settings.STATIC_URL):])
                if found:
                    # The type tells WeasyPrint a linked stylesheet is CSS (shared with the web page).
                    headers = {"Content-Type": mimetypes.guess_type(found)[0] or "application/octet-stream"}
                    with open(found, "rb") as handle:
                        return URLFetcherResponse(url, body=handle.read(), headers=headers)
            raise ValueError(f"not a static file of the product: {url}")

    return StaticOnlyFetcher()


def static_file(name: str) -> str | None:
    """The file behind a static URL: found in the apps (development), or collected under STATIC_ROOT with
    the hashed name ``{% static %}`` gives in production (the finders know only the plain name)."""
    import os

    from django.core.exceptions import SuspiciousFileOperation

    try:
        found = finders.find(name)
    except SuspiciousFileOperation:  # a name that climbs out of the static folders
        return None
    if found:
        return found
    if settings.STATIC_ROOT:
        collected = os.path.realpath(os.path.join(settings.STATIC_ROOT, name))
        if collected.startswith(os.path.realpath(settings.STATIC_ROOT) + os.sep) and os.path.isfile(collected):
            return collected
    return None


def render_pdf(template: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango, which pages that never print do not need

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).write_pdf()
