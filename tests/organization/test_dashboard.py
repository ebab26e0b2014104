import pytest

from aftersales.organization.dashboard import Panel, _PANELS, panels_for, register_panel

pytestmark = pytest.mark.django_db


def _panels(client, user):
    client.force_login(user)
    body = client.get("/").content.decode()
    return {name for name in ("network", "my-centers", "center-team", "profile-gaps") if f'data-testid="panel-{name}"' in body}


def test_head_office_sees_the_network_not_a_center_team(client, head_office, center_a, center_b):
    assert _panels(client, head_office) == {"network", "profile-gaps"}
    body = client.get("/").content.decode()
    assert "اصفهان" in body  # centers by province


def test_technician_sees_own_center_and_colleagues_with_their_roles(client, technician_a, reception_a, reception_b):
    reception_a.mobile = "09121112233"
    reception_a.save()
    assert _panels(client, technician_a) == {"my-centers", "center-team", "profile-gaps"}
    body = client.get("/").content.decode()
    assert str(reception_a) in body and "tel:09121112233" in body
    assert "reception_b" not in body


def test_profile_prompt_disappears_once_mobile_and_national_code_are_set(client, technician_a):
    technician_a.mobile, technician_a.national_code = "09121234567", "0499370899"
    technician_a.save()
    assert "profile-gaps" not in _panels(client, technician_a)


def test_other_apps_can_add_a_panel_for_a_role(rf, technician_a, reception_a):
    register_panel(Panel("test_worklist", "organization/panels/profile_gaps.html", lambda user: {"missing": ["x"]},
                         roles=frozenset({"technician"}), order=1))
    try:
        assert panels_for(technician_a)[0][1] == {"missing": ["x"]}
        assert {"missing": ["x"]} not in [context for _template, context in panels_for(reception_a)]
    finally:
        _PANELS.pop("test_worklist")
