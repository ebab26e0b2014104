"""Demo data of the expenses part of field marketing, written through its services: the demo visitor's
expenses of this Jalali month (on their tour when the tours' demo made one), some approved by the center's
manager, one refused with a reason, the rest awaiting approval, with small generated receipt photos."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.core import jalali

from .models import Tour, VisitExpense

#: (days before today, kind, amount in rials, description, decision: "approve", "refuse: reason" or "").
EXPENSES = [
    (9, VisitExpense.Kind.TRANSPORT, 1_850_000, "کرایه تاکسی اینترنتی تا بازار امین‌حضور", "approve"),
    (9, VisitExpense.Kind.MEAL, 2_400_000, "ناهار در مسیر بازدید", "approve"),
    (7, VisitExpense.Kind.GIVEAWAY, 9_600_000, "سررسید و خودکار تبلیغاتی برای ۱۲ فروشگاه", "approve"),
    (6, VisitExpense.Kind.TRANSPORT, 3_200_000, "بنزین خودروی شخصی — مسیر شهرری", "refuse: رسید بنزین خوانا نیست؛ "
                                                                                   "لطفاً عکس واضح‌تری بفرستید."),
    (4, VisitExpense.Kind.ACCOMMODATION, 14_500_000, "یک شب اقامت در مهمان‌پذیر — بازدید شهرستان", ""),
    (2, VisitExpense.Kind.MEAL, 1_950_000, "پذیرایی جلسه با مدیر فروشگاه", ""),
    (0, VisitExpense.Kind.OTHER, 750_000, "پارکینگ عمومی خیابان جمهوری", ""),
]


def _receipt(index: int) -> SimpleUploadedFile:
    """A small receipt-like PNG: a white slip with grey lines."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 180), "white")
    draw = ImageDraw.Draw(image)
    for row in range(6 + index % 4):
        draw.line((12, 20 + row * 18, 108 - (row * 13) % 40, 20 + row * 18), fill=(90, 90, 90), width=3)
    draw.rectangle((10, 150, 110, 168), outline=(40, 40, 40), width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"receipt-{index}.png", buffer.getvalue(), content_type="image/png")


def seed(*, size: str, rng) -> list[str]:
    """Write the demo visitor's expenses of this month once; return short phrases of what was written."""
    from .services_expenses import expense_approve, expense_refuse, expense_submit

    users = {user.username: user for user in get_user_model().objects.filter(username__in=["visitor", "center"])}
    visitor, manager = users.get("visitor"), users.get("center")
    if visitor is None or manager is None or VisitExpense.objects.filter(marketer=visitor).exists():
        return []
    today = timezone.localdate()
    first = jalali.month_start(today)
    written = {"approve": 0, "refuse": 0, "": 0}
    for index, (days, kind, amount, description, decision) in enumerate(EXPENSES):
        day = max(first, today - datetime.timedelta(days=days))
        tour = Tour.objects.filter(marketer=visitor, start_date__lte=day, end_date__gte=day).order_by("pk").first()
        expense = expense_submit(acting_user=visitor, kind=kind, amount=amount, spent_on=day, description=description,
                                 receipt=_receipt(index) if amount > 1_000_000 else None, tour=tour,
                                 submission_key=f"demo-expense-{index}")
        if decision == "approve":
            expense_approve(expense=expense, acting_user=manager)
        elif decision.startswith("refuse"):
            expense_refuse(expense=expense, acting_user=manager, reason=decision.split(":", 1)[1].strip())
        written[decision.split(":")[0]] += 1
    return [f"{len(EXPENSES)} visit expenses ({written['approve']} approved, {written['refuse']} refused, "
            f"{written['']} awaiting approval)"]


def seed_expenses(*, size: str, rng) -> str:
    return ", ".join(seed(size=size, rng=rng)) or "already present"
