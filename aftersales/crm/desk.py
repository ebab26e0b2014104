"""The CRM's lists an administrator edits: party types (each names its marketing workflow) and lead sources."""

from django.contrib.contenttypes.models import ContentType

from aftersales.desk.forms import ResourceForm
from aftersales.desk.registry import Resource, register

from .menu import CRM
from .models import LeadSource, Party, PartyType


class PartyTypeForm(ResourceForm):
    """A party type moves along one of the workflows whose records are parties."""

    class Meta:
        model = PartyType
        fields = ["code", "name", "workflow", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workflow = self.fields["workflow"]
        workflow.queryset = workflow.queryset.filter(subject=ContentType.objects.get_for_model(Party))


register(Resource(
    model=PartyType, slug="party-types", list_fields=["name", "code", "workflow", "order"],
    form_fields=["code", "name", "workflow", "order"], select_related=["workflow"], form_class=PartyTypeForm,
    menu_group=CRM, menu_order=80,
))
register(Resource(
    model=LeadSource, slug="lead-sources", list_fields=["name", "code"], form_fields=["code", "name"],
    menu_group=CRM, menu_order=82,
))
