from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import CampaignForm, ContactForm
from .models import CAMPAIGN_VARIABLES, Campaign
from .selectors import customer_timeline


@login_required
@permission_required("marketing.view_campaign", raise_exception=True)
def campaign_list(request):
    campaigns = Campaign.objects.select_related("template", "group")[:200]
    return render(request, "marketing/campaign_list.html", {"campaigns": campaigns})


@login_required
@permission_required("marketing.add_campaign", raise_exception=True)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(acting_user=request.user, **{
                name: form.cleaned_data[name] for name in CampaignForm._meta.fields})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("marketing:campaign-detail", pk=campaign.pk)
    return render(request, "marketing/campaign_form.html", {"form": form, **campaign_text_help()})


def campaign_text_help() -> dict:
    """The places a campaign's text may use, what each becomes when missing, and sample values for the preview."""
    from aftersales.messaging.templating import HOLD, variable_fallbacks, variables

    labels = variables()
    # A campaign never holds a message for a person: a value with no fallback is left out (template_render).
    fallbacks = {name: "" if fallback is HOLD else str(fallback) for name, fallback in variable_fallbacks().items()
                 if name in CAMPAIGN_VARIABLES}
    return {"campaign_variables": [(name, labels[name], fallbacks[name]) for name in CAMPAIGN_VARIABLES],
            "campaign_fallbacks": fallbacks}


@login_required
@permission_required("marketing.view_campaign", raise_exception=True)
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("template", "group"), pk=pk)
    preview = services.campaign_preview(campaign) if campaign.status == Campaign.Status.DRAFT else None
    return render(request, "marketing/campaign_detail.html",
                  {"campaign": campaign, "preview": preview, "progress": services.campaign_progress(campaign)})


@login_required
@permission_required("marketing.view_campaign", raise_exception=True)
def campaign_progress(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    return render(request, "marketing/partials/progress.html",
                  {"campaign": campaign, "progress": services.campaign_progress(campaign)})


@login_required
@permission_required("marketing.change_campaign", raise_exception=True)
@require_POST
def campaign_launch(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        services.campaign_launch(campaign=campaign, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The campaign is scheduled; it goes at its time."))
    return redirect("marketing:campaign-detail", pk=pk)


@login_required
@permission_required("marketing.change_campaign", raise_exception=True)
@require_POST
def campaign_cancel(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    count = services.campaign_cancel(campaign=campaign, acting_user=request.user)
    messages.success(request, _("The campaign was stopped; %(count)s messages not yet sent were cancelled.") % {"count": count})
    return redirect("marketing:campaign-detail", pk=pk)


def customer_panel(request, customer) -> dict:
    """The communication log on a customer's page, with a form to log a call or a visit."""
    return {"customer": customer, "timeline": customer_timeline(customer, user=request.user), "contact_form": ContactForm(),
            "can_log": request.user.has_perm("marketing.add_contact")}


@login_required
@permission_required("marketing.add_contact", raise_exception=True)
@require_POST
def contact_add(request, customer_pk):
    from aftersales.desk import registry
    from aftersales.desk.selectors import record_get

    resource = registry.get("customers")
    try:
        customer = record_get(resource=resource, user=request.user, pk=customer_pk)
    except resource.model.DoesNotExist:
        raise Http404 from None
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_log(customer=customer, kind=form.cleaned_data["kind"], notes=form.cleaned_data["notes"],
                                 acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The contact was logged."))
    else:
        messages.error(request, _("Write what was said."))
    return redirect("desk:detail", slug="customers", pk=customer.pk)
