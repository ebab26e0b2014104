from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "aftersales.field"
    label = "field"
    verbose_name = _("Field marketing")

    def ready(self):
        # Each part of field marketing wires its permissions, panels and demo data in its own module.
        from . import setup_expenses, setup_targets, setup_tours, setup_visits

        setup_targets.ready()
        setup_tours.ready()
        setup_visits.ready()
        setup_expenses.ready()
