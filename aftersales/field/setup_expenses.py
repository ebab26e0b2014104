"""What the expenses part of field marketing registers when the app is ready: default permissions, demo data."""


def ready() -> None:
    from aftersales.core.demo import register_seeder
    from aftersales.organization.roles import Role, grant_by_default

    from .demo_expenses import seed_expenses

    # A marketer files and reads their own; managers of the team read and decide; the accountant reads
    # and exports the approved ones; head office reads the network's.
    grant_by_default(Role.VISITOR, "field.add_visitexpense", "field.view_visitexpense")
    for role in (Role.MARKETING_MANAGER, Role.CENTER_MANAGER):
        grant_by_default(role, "field.view_visitexpense", "field.approve_visitexpense")
    grant_by_default(Role.ACCOUNTANT, "field.view_visitexpense")
    grant_by_default(Role.HEAD_OFFICE_MANAGER, "field.view_visitexpense")
    register_seeder("field-expenses", seed_expenses, order=86)
