"""What the targets part of field marketing registers when the app is ready: default permissions and demo data."""


def ready() -> None:
    from aftersales.core.demo import register_seeder
    from aftersales.organization.roles import Role, grant_by_default

    # Managers make and change plans; a marketer (visitor) sees the plans naming them, and only their own
    # targets in them (the selectors hide the rest from whoever cannot change plans).
    for role in (Role.MARKETING_MANAGER, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER):
        grant_by_default(role, "field.view_targetplan", "field.add_targetplan", "field.change_targetplan",
                         "field.view_target")
    grant_by_default(Role.VISITOR, "field.view_targetplan", "field.view_target")

    from .demo_targets import seed

    register_seeder("field-targets", seed, order=80)
