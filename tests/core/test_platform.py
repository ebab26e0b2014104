"""The product as a whole: health check, no asset from another host, production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.urls import path

ROOT = Path(settings.BASE_DIR)
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//(?!127\.0\.0\.1|localhost)|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""", re.I)


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


#: Files that name another host only in a link a person could click, never in a load, with the reason.
LINKS_ONLY = {
    # Leaflet's default attribution prefix links to leafletjs.com; field/static/field/map.js turns the prefix
    # off, so the link is never drawn (and map tiles come only from FIELD_MAP_TILE_URL).
    "leaflet.js": "attribution link, switched off", "leaflet-src.js": "attribution link, switched off",
    "leaflet-src.esm.js": "attribution link, switched off",
}


def test_no_template_or_static_file_loads_from_another_host():
    checked, offenders = 0, []
    roots = [Path(entry[1] if isinstance(entry, tuple) else entry) for entry in settings.STATICFILES_DIRS]
    roots.append(ROOT / "aftersales")
    for root in roots:
        for file in root.rglob("*"):
            if file.suffix not in {".html", ".css", ".js"} or not file.is_file():
                continue
            checked += 1
            if file.name in LINKS_ONLY and "leaflet" in file.parts:
                continue
            if EXTERNAL.search(file.read_text(encoding="utf-8", errors="ignore")):
                offenders.append(str(file))
    assert checked > 10
    assert offenders == []


@pytest.mark.django_db
def test_rendered_pages_reference_only_this_host(client, head_office):
    client.force_login(head_office)
    for url in ["/", "/centers/", "/profile/", "/admin/", "/api/docs/", "/accounts/logout/"]:
        response = client.get(url)
        if response.status_code == 200:
            assert not EXTERNAL.search(response.content.decode()), url


def test_production_settings_pass_check_deploy():
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod",
        "SECRET_KEY": get_random_secret_key(),
        "ALLOWED_HOSTS": "service.example.ir",
        "SITE_URL": "https://service.example.ir",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_a_missing_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def _boom(request):
    raise RuntimeError("unexpected")


urlpatterns = [path("boom/", _boom)]
handler500 = "aftersales.core.views.server_error"


@pytest.mark.urls("tests.core.test_platform")
@pytest.mark.django_db
def test_an_unexpected_error_is_a_persian_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in body and "خطا" in body


def test_export_never_writes_a_formula_from_user_text():
    import io

    from openpyxl import load_workbook

    from aftersales.core.exports import xlsx_response

    response = xlsx_response(filename="x.xlsx", title="x", headers=["a", "b"], rows=[["=HYPERLINK(\"http://x\")", "+98 912"], ["-1", 5]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "+98 912", "-1", 5]
    assert all(c.data_type in ("s", "n") for c in cells)
