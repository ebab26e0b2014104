"""The Content-Security-Policy: on every kind of page, and no template that it would break."""

import re
from pathlib import Path

import pytest

import aftersales

PACKAGE = Path(aftersales.__file__).resolve().parent
# Rendered by WeasyPrint or sent as e-mail, never shown under the policy.
NOT_PAGES = {"billing/invoice_pdf.html", "billing/statement_pdf.html", "repairs/receipt_pdf.html", "messaging/email.html",
             "reports/email.html", "sales/commission_statement_pdf.html"}


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/accounts/login/", "/warranty/check", "/feedback/", "/track/ABCDEFGHJKMNP",
                                 "/no-such-page/", "/admin/login/"])
def test_public_and_error_pages_carry_a_strict_policy(client, db, url):
    directives = policy(client.get(url))
    assert directives["default-src"] == "default-src 'self'"
    assert directives["script-src"] == "script-src 'self'"
    assert directives["style-src"] == "style-src 'self'"
    assert directives["object-src"] == "object-src 'none'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["base-uri"] == "base-uri 'self'" and directives["form-action"] == "form-action 'self'"
    assert directives["img-src"] == "img-src 'self' data:"


def test_staff_pages_and_the_api_docs_carry_it(client, head_office):
    client.force_login(head_office)
    for url in ["/", "/admin/", "/api/docs/", "/api/docs/?script="]:
        assert "'unsafe-inline'" not in client.get(url).headers["Content-Security-Policy"], url


def test_the_api_docs_start_swagger_ui_from_a_script_file(client, head_office):
    client.force_login(head_office)
    page = client.get("/api/docs/").content.decode()
    assert re.search(r'<script src="/api/docs/\?[^"]*script=', page)
    assert not re.search(r"<script>|<style", page)
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript") and b"SwaggerUIBundle" in script.content


def test_only_the_browsable_api_may_use_style_attributes(client, head_office):
    """DRF's own templates lay out with style="float: …"; their scripts stay refused."""
    client.force_login(head_office)
    directives = policy(client.get("/api/", HTTP_ACCEPT="text/html"))
    assert directives["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert directives["script-src"] == "script-src 'self'"
    assert "'unsafe-inline'" not in client.get("/api/", HTTP_ACCEPT="application/json").headers["Content-Security-Policy"]


def test_no_template_carries_an_inline_script_handler_or_style():
    offending = []
    for path in PACKAGE.rglob("templates/**/*.html"):
        name = path.as_posix().split("/templates/", 1)[1]
        if name in NOT_PAGES:
            continue
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", r"\son[a-z]+\s*=", r"javascript:",
                        r"\sstyle\s*=", r"<style"):
            offending += [f"{name}: {match.group(0)}" for match in re.finditer(pattern, text, re.IGNORECASE)]
    assert offending == []
