"""The production settings pass Django's deployment checks with no warning (``check --deploy``)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "aftersales.example.ir",
        "SITE_URL": "https://aftersales.example.ir",
        "AFTERSALES_VAR_DIR": str(tmp_path),
    }
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the second is set for the browser tests (conftest)
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_short_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod", "SECRET_KEY": "short",
           "ALLOWED_HOSTS": "aftersales.example.ir", "AFTERSALES_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_the_public_address(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aftersales.settings.prod", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "aftersales.example.ir", "AFTERSALES_VAR_DIR": str(tmp_path)}
    for site_url in (None, "", "aftersales.example.ir"):
        env.pop("SITE_URL", None)
        if site_url is not None:
            env["SITE_URL"] = site_url
        result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode != 0 and "SITE_URL" in result.stderr, site_url
