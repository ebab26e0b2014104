"""Every URL of the product, tried by each center-bound role of center A against center B's records.

What must hold, per probe kind (``matrix.py`` builds the probes from the URL configuration):

- ``object``: a page, API operation or admin view of center B's record answers 403/404/405 or a
  redirect (to the login, or the admin's "does not exist"); a write changes nothing in the database.
- ``content``: a national record center B's work touched (B's customer, unit, card) may open, but the
  answer never shows center B's work (order numbers, tracking codes, messages, complaints…).
- ``admin-national``: the admin's change, history and per-version views of national data open only for
  a role with the model's view or change permission, and a POST changes nothing without change permission.
- ``list``: lists, exports, searches and forms never show a text of center B's records.
- ``unmapped``: the matrix cannot tell what the URL's parameters name; the probe fails with how to fix it.
"""

import io
import json

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .conftest import login
from .matrix import Ref, build_matrix, schema_paths

MATRIX = build_matrix()
#: Below this many probes the matrix has stopped testing what it should (a URL walk that finds nothing).
PROBE_FLOOR = 2000
VIEW_FLOOR = 150

DENIED = {401, 403, 404, 405}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: Tables whose rows change on reads or logins, not on the writes probed.
UNWATCHED_APPS = {"sessions", "axes", "otp_static", "otp_totp", "contenttypes"}

pytestmark = pytest.mark.django_db


def _resolve(value, world):
    if not isinstance(value, Ref):
        return value
    record = (world.seconds if value.second else world.records).get(value.label)
    if record is None:
        pytest.fail(f"the matrix's world holds no record of {value.label}: add one to tests/security/world.py")
    if value.history:
        row = record.history.order_by("-history_id").first()
        if row is None:
            pytest.fail(f"{value.label} {record.pk} has no history row in the world")
        return row.history_id
    return getattr(record, value.attr)


def _url(probe, world) -> str:
    kwargs = {name: _resolve(value, world) for name, value in probe.params}
    try:
        if kwargs and all(name.startswith("_") for name in kwargs):
            url = reverse(probe.name, args=[kwargs[name] for name in sorted(kwargs)])
        else:
            url = reverse(probe.name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.fail(f"cannot build {probe.route} with {kwargs}: the matrix's URL walk is out of date")
    if probe.query:
        from urllib.parse import urlencode

        url += "?" + urlencode({name: _resolve(value, world) for name, value in probe.query})
    return url


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind or content[:2] == b"PK":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    if "pdf" in kind:
        return ""  # glyphs, not text: PDFs of center B's records are refused by status instead
    return content.decode("utf-8", errors="replace")


def _leaked(text: str, markers: dict) -> list[str]:
    return [f"{name}={value!r}" for name, value in markers.items() if value and value in text]


def _watched_tables() -> list[tuple[str, str]]:
    tables = []
    for model in apps.get_models():
        opts = model._meta
        if not (opts.proxy or not opts.managed or opts.app_label in UNWATCHED_APPS):
            tables.append((opts.label, opts.db_table))
    return tables


def _snapshot(probe, world) -> dict:
    """Row counts of every table (one query) and the target record's values."""
    from django.db import connection

    tables = _watched_tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for _label, table in tables))
        counts = dict(zip((label for label, _table in tables), cursor.fetchone()))
    if probe.label:
        record = world.records[probe.label]
        row = type(record)._base_manager.filter(pk=record.pk).values().first()
        counts["record"] = json.dumps(row, default=str, sort_keys=True)
    return counts


def _changes(before: dict, after: dict) -> list[str]:
    return [key if key == "record" else f"{key}: {before.get(key)}→{after.get(key)}"
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


def _send(client, probe, url):
    method = probe.method.lower()
    if probe.is_api and probe.method in {"POST", "PUT", "PATCH"}:
        return getattr(client, method)(url, data="{}", content_type="application/json")
    if probe.method == "POST":
        return client.post(url, data={})
    return getattr(client, method)(url)


@pytest.mark.parametrize("probe", MATRIX.probes, ids=[probe.id for probe in MATRIX.probes])
def test_center_a_cannot_reach_center_b(probe, world, client):
    if probe.kind == "unmapped":
        pytest.fail(probe.reason)
    user = world.users_a[probe.role]
    login(client, user)
    url = _url(probe, world)
    write = probe.method in WRITE_METHODS
    before = _snapshot(probe, world) if write else None
    response = _send(client, probe, url)
    status = response.status_code
    seen = f"{probe.method} {url} as {probe.role} ({user.username}) answered {status}"
    if response.get("Location"):
        seen += f" → {response['Location']}"
    assert status < 500, f"server error: {seen}"
    body = _body(response)
    changed = _changes(before, _snapshot(probe, world)) if write else []
    redirect = 300 <= status < 400

    if probe.kind == "list":
        leaked = _leaked(body, world.markers)
        assert not leaked, f"center B's texts on a list of center A's {probe.role}: {leaked}; {seen}"
    elif probe.kind == "content":
        leaked = _leaked(body, world.scoped_markers)
        assert not leaked, f"center B's work shown on a national page ({probe.reason}): {leaked}; {seen}"
    elif probe.kind == "object":
        leaked = _leaked(body, world.markers)
        assert not changed, f"center B's {probe.label} written by center A: {changed}; {seen}"
        assert not leaked, f"center B's {probe.label} shown: {leaked}; {seen}"
        if write:
            assert status >= 300, f"center B's {probe.label} accepted a write: {seen}; {body[:300]!r}"
        else:
            assert status in DENIED or redirect, f"center B's {probe.label} opened: {seen}"
    elif probe.kind == "admin-national":
        opts = apps.get_model(probe.label)._meta
        may_change = user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        may_view = may_change or user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        if write and not may_change:
            assert not changed, f"{probe.label} changed without change permission: {changed}; {seen}"
            assert status in DENIED or redirect, f"{probe.label} took a POST without change permission: {seen}"
        if not write and not may_view:
            assert status in DENIED or redirect, f"{probe.label} opened without view permission: {seen}"
    else:
        pytest.fail(f"unknown probe kind {probe.kind}")


def test_every_api_path_of_the_schema_is_in_the_matrix():
    """The OpenAPI schema's paths with a parameter are probed (or allow-listed) for every method, and its
    lists are probed with GET. Creating records (a POST to a list) is left to each app's tests."""
    import re

    from django.urls import resolve

    probed = {(probe.name, probe.method) for probe in MATRIX.probes}
    missing = []
    for path, methods in schema_paths().items():
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        if match.view_name in MATRIX.allowed_names:
            continue
        required = methods if "{" in path else [m for m in methods if m == "GET"]
        missing += [f"{method} {path} ({match.view_name})" for method in required
                    if (match.view_name, method) not in probed]
    assert not missing, "API operations the leak matrix does not probe: " + "; ".join(missing)


def figures() -> str:
    by_kind = {}
    for probe in MATRIX.probes:
        by_kind[probe.kind] = by_kind.get(probe.kind, 0) + 1
    operations = {(probe.route, probe.params, probe.query, probe.method) for probe in MATRIX.probes}
    return (f"leak matrix: {len(MATRIX.views)} views, {len(operations)} (view, method) operations, "
            f"{len(MATRIX.probes)} probes over {len({p.role for p in MATRIX.probes})} roles, by kind {by_kind}; "
            f"{len(MATRIX.allowed)} routes allow-listed as public or national")


def test_the_matrix_covers_enough(record_property):
    """A floor on the matrix's size, so that it cannot silently test nothing; the figures are in the message."""
    record_property("leak_matrix", figures())
    assert len(MATRIX.probes) >= PROBE_FLOOR and len(MATRIX.views) >= VIEW_FLOOR, figures()


def test_center_b_reaches_its_own_records_so_the_matrix_is_not_vacuous(world, client):
    """The control: center B's own manager opens most of what center A's manager is refused, and finds
    center B's texts on its lists; else the world or the URLs are broken and every denial is hollow."""
    login(client, world.users_b["center_manager"])
    objects = [probe for probe in MATRIX.probes if probe.kind == "object" and probe.method == "GET"
               and probe.role == "center_manager"]
    opened = [probe.id for probe in objects if 200 <= _send(client, probe, _url(probe, world)).status_code < 300]
    assert len(opened) * 3 >= len(objects), f"center B's manager opened only {len(opened)} of {len(objects)}: {opened}"
    for url in (reverse("repairs:order-list"), reverse("desk:list", kwargs={"slug": "warehouses"})):
        text = _body(client.get(url))
        assert _leaked(text, world.markers), f"center B's manager sees none of center B's texts on {url}"
