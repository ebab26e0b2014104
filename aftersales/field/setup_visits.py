"""What the visits part of field marketing registers when the app is ready: default permissions, panels, demo data."""


def ready() -> None:
    from aftersales.core.demo import register_seeder
    from aftersales.organization.roles import Role, grant_by_default

    from .demo_visits import seed_visits

    # A marketer checks in at their own stops and logs the visit into the CRM's contact log; their check-ins
    # are theirs to read. Managers read the check-ins of their centers (far ones among them).
    grant_by_default(Role.VISITOR, "field.add_checkin", "marketing.add_contact", "marketing.view_contact")
    for role in (Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
        grant_by_default(role, "field.view_checkin")
    register_seeder("field-visits", seed_visits, order=84)
