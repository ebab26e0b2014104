"""What a printed warranty card shows, for the HTML view and the PDF alike."""

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from .status import unit_warranty_status


def card_context(card, request) -> dict:
    unit = card.unit
    # Scanned by a customer anywhere: the public address (SITE_URL), not the one this desk was opened at.
    check_url = settings.SITE_URL + reverse("warranty-check") + "?" + urlencode({"serial": unit.serial})
    qr = segno.make(check_url, error="m")
    return {
        "card": card,
        "unit": unit,
        "status": unit_warranty_status(unit),
        "number_grouped": " ".join(card.number[i:i + 4] for i in range(0, len(card.number), 4)),
        "check_url": check_url,
        "qr_svg": qr.svg_inline(scale=4, border=2, omitsize=True),
    }
