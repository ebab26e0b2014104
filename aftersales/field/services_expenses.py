"""Writes of visit expenses: a marketer files what a visit or a tour cost, a manager approves or refuses it (F58).

A marketer files their own expenses only (for their own tour or stop, or a plain day), never in the
future. Above ``settings.FIELD_RECEIPT_REQUIRED_OVER`` rials a photo of the receipt is required; the
photo must be an image Pillow can read, of at most ``RECEIPT_MAX_BYTES``. A manager of the expense's
center decides it once (approved, or refused with a reason), never their own. A pending expense may be
withdrawn by its marketer. Every change is in the expense's history.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from aftersales.core import rowscope
from aftersales.core.idempotency import caller_key, claimed_once, refuse_reuse
from aftersales.core.persian import format_number, normalize_text
from aftersales.organization.scoping import check_center

from .models import Tour, TourStop, VisitExpense

#: The largest photo of a receipt accepted (a phone's camera photo is 2–5 MB).
RECEIPT_MAX_BYTES = 8 * 2**20
#: Image formats a phone's camera or gallery gives and every browser shows.
RECEIPT_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
APPROVE_PERMISSION = "field.approve_visitexpense"


def receipt_errors(receipt) -> list[str]:
    """Persian messages for a receipt photo that is too large or not an image (empty: it is fine)."""
    from PIL import Image, UnidentifiedImageError

    if receipt is None:
        return []
    size = getattr(receipt, "size", None)
    if size is not None and size > RECEIPT_MAX_BYTES:
        return [_("The receipt's photo may be at most %(mb)s MB.") % {"mb": format_number(RECEIPT_MAX_BYTES // 2**20)}]
    try:
        position = receipt.tell() if hasattr(receipt, "tell") else None
        receipt.seek(0)
        with Image.open(receipt) as image:
            kind = image.format
            image.verify()
        receipt.seek(position or 0)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return [_("The receipt's file is not a photo (JPEG or PNG) that can be read.")]
    if kind not in RECEIPT_FORMATS:
        return [_("The receipt's file is not a photo (JPEG or PNG) that can be read.")]
    return []


def _receipt_name(receipt) -> str:
    """The stored name keeps the upload's extension only: a phone's file name may hold anything."""
    import os

    extension = os.path.splitext(getattr(receipt, "name", "") or "")[1].lower()
    return "receipt" + (extension if extension in (".jpg", ".jpeg", ".png", ".webp", ".gif") else ".jpg")


def _center_for(*, marketer, tour: Tour | None, center):
    """The team the expense is paid by: its tour's, else the one named, else the marketer's first."""
    if tour is not None:
        return tour.center
    centers = marketer.centers.filter(is_active=True).order_by("pk")
    if center is not None:
        if not centers.filter(pk=getattr(center, "pk", center)).exists():
            raise ValidationError({"center": _("You can file expenses only with a team you work in.")})
        return center
    found = centers.first()
    if found is None:
        raise ValidationError({"center": _("You work in no team yet, so an expense cannot be filed.")})
    return found


def _check(*, acting_user, kind, amount, spent_on, tour, stop, receipt) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in VisitExpense.Kind.values:
        errors["kind"] = [_("Choose the kind of expense from the list.")]
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        errors["amount"] = [_("The amount is a whole number of rials above zero.")]
    elif amount > settings.FIELD_RECEIPT_REQUIRED_OVER and not receipt:
        errors["receipt"] = [_("An expense over %(limit)s rials needs a photo of its receipt.")
                             % {"limit": format_number(settings.FIELD_RECEIPT_REQUIRED_OVER)}]
    if not isinstance(spent_on, datetime.date):
        errors["spent_on"] = [_("Enter the day the money was spent.")]
    elif spent_on > timezone.localdate():
        errors["spent_on"] = [_("An expense cannot be dated in the future.")]
    if stop is not None and stop.day.tour.marketer_id != acting_user.pk:
        errors["stop"] = [_("This visit is not on one of your tours.")]
    if tour is not None:
        if tour.marketer_id != acting_user.pk:
            errors["tour"] = [_("This tour is not yours.")]
        elif isinstance(spent_on, datetime.date) and not tour.start_date <= spent_on <= tour.end_date:
            errors.setdefault("spent_on", []).append(_("The day is outside the tour's dates."))
    if receipt:
        messages = receipt_errors(receipt)
        if messages:
            errors.setdefault("receipt", []).extend(messages)
    return errors


@claimed_once(VisitExpense)
@transaction.atomic
def expense_submit(*, acting_user, kind: str, amount: int, spent_on: datetime.date, description: str = "",
                   receipt=None, tour: Tour | None = None, stop: TourStop | None = None, center=None,
                   submission_key: str | None = None) -> VisitExpense:
    """File one of the acting marketer's own expenses, awaiting approval.

    The expense goes with the marketer's own tour or stop (a stop implies its tour) or with a plain day
    of their team. Refused (field errors): an amount over ``FIELD_RECEIPT_REQUIRED_OVER`` without a
    receipt, a receipt that is not a readable image or is too large, a day in the future or outside
    the tour, another marketer's tour or stop. The same ``submission_key`` again (a double tap, an
    API retry) returns the expense filed the first time; with a different expense it is refused.
    Implements F58.
    """
    key = caller_key(user=acting_user, key=submission_key)
    if key:
        existing = VisitExpense.objects.filter(submission_key=key).first()
        if existing is not None:
            if (existing.kind, existing.amount, existing.spent_on) != (kind, amount, spent_on):
                refuse_reuse()
            return existing
    if stop is not None:
        if tour is not None and stop.day.tour_id != tour.pk:
            raise ValidationError({"stop": _("This visit is not on the chosen tour.")})
        tour = stop.day.tour
    errors = _check(acting_user=acting_user, kind=kind, amount=amount, spent_on=spent_on, tour=tour, stop=stop,
                    receipt=receipt)
    if errors:
        raise ValidationError(errors)
    center = _center_for(marketer=acting_user, tour=tour, center=center)
    check_center(acting_user, center)
    expense = VisitExpense(center=center, marketer=acting_user, tour=tour, stop=stop, spent_on=spent_on, kind=kind,
                           amount=amount, description=normalize_text(description or "")[:300],
                           submission_key=key)
    if receipt:
        receipt.seek(0)
        expense.receipt.save(_receipt_name(receipt), receipt, save=False)
    expense._history_user = acting_user
    try:
        with transaction.atomic():
            expense.save(force_insert=True)
    except Exception:
        if expense.receipt:
            expense.receipt.storage.delete(expense.receipt.name)  # a twin won: no stray photo is left
        raise
    update_change_reason(expense, _("expense filed"))
    return expense


def _locked(expense: VisitExpense) -> VisitExpense:
    return VisitExpense.objects.select_for_update().get(pk=expense.pk)


def _decide(expense: VisitExpense, *, acting_user, status: str, reason: str = "") -> VisitExpense:
    if not acting_user.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied
    expense = _locked(expense)
    rowscope.check_write(expense, acting_user)
    check_center(acting_user, expense.center_id)
    if expense.marketer_id == acting_user.pk:
        raise ValidationError(_("Your own expense is approved or refused by another manager."))
    if expense.status != VisitExpense.Status.PENDING:
        raise ValidationError(_("This expense has been decided already (%(status)s).") % {"status": expense.get_status_display()})
    expense.status = status
    expense.decided_by = acting_user
    expense.decided_at = timezone.now()
    expense.refusal_reason = reason
    expense._history_user = acting_user
    expense.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
    update_change_reason(expense, _("expense approved") if status == VisitExpense.Status.APPROVED
                         else _("expense refused"))
    return expense


@transaction.atomic
def expense_approve(*, expense: VisitExpense, acting_user) -> VisitExpense:
    """Approve a pending expense, once, as a manager of its center who is not its marketer. Implements F58."""
    return _decide(expense, acting_user=acting_user, status=VisitExpense.Status.APPROVED)


@transaction.atomic
def expense_refuse(*, expense: VisitExpense, acting_user, reason: str) -> VisitExpense:
    """Refuse a pending expense with a reason the marketer reads, once, as a manager of its center who is
    not its marketer. Implements F58."""
    reason = normalize_text(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the expense is refused; the marketer reads it.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("The reason may be at most 300 characters.")})
    return _decide(expense, acting_user=acting_user, status=VisitExpense.Status.REFUSED, reason=reason)


@transaction.atomic
def expense_withdraw(*, expense: VisitExpense, acting_user) -> None:
    """Take back one's own expense while it awaits approval (a mistake, a duplicate); its history keeps it.
    Implements F58."""
    from django.core.files.storage import default_storage

    expense = _locked(expense)
    rowscope.check_write(expense, acting_user)
    if expense.marketer_id != acting_user.pk:
        raise ValidationError(_("Only the marketer who filed an expense can withdraw it."))
    if expense.status != VisitExpense.Status.PENDING:
        raise ValidationError(_("This expense has been decided already (%(status)s) and cannot be withdrawn.")
                              % {"status": expense.get_status_display()})
    name = expense.receipt.name
    expense._history_user = acting_user
    expense.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
