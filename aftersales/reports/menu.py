from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import ADMINISTRATION, Item, register_item


def _opens_a_report(user) -> bool:
    from .registry import reports_for

    return bool(reports_for(user))


register_item(Item(ADMINISTRATION, _("Reports"), "reports:list", permissions=("reports.view_reports",),
                   visible=_opens_a_report, order=0))
