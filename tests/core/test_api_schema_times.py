"""Clock times in the API's schema (a shop's opening hour, a working day's start): described so that the answers
the API gives ("08:00:00", Tehran wall-clock time without an offset) validate against it."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator


def _time_fields(node, path=""):
    if isinstance(node, dict):
        if node.get("type") == "string" and (node.get("format") == "time" or "pattern" in node
                                             and "[0-5][0-9]" in node["pattern"]):
            yield path, node
        for key, value in node.items():
            yield from _time_fields(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _time_fields(value, f"{path}/{index}")


@pytest.mark.django_db
def test_clock_times_are_patterns_the_apis_own_answers_match():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    fields = dict(_time_fields(schema["components"]))
    assert any("day_starts_at" in path for path in fields)  # the tours' working day is among them
    for path, node in fields.items():
        assert "format" not in node, path
        for answer in ("08:00:00", "17:30", "09:05:00.250000"):
            assert re.match(node["pattern"], answer), (path, answer)
        assert not re.match(node["pattern"], "25:00"), path
