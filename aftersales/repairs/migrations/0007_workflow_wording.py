from django.db import migrations

# The shipped workflow's labels as a customer reads them; a label an administrator changed stays.
# (kind, code, field, old label, new label)
CHANGES = [
    ("state", "returned_unrepaired", "name", "عودت بدون تعمیر", "عودت‌شده بدون تعمیر"),
    ("state", "returned_unrepaired", "public_name", "دستگاه بدون تعمیر به شما بازگردانده شد", "دستگاه بدون تعمیر به شما تحویل داده شد"),
    ("state", "delivered", "name", "تحویل شده", "تحویل مشتری شده"),
    ("transition", "approved_parts", "name", "تأیید شد؛ درخواست قطعه", "مشتری تأیید کرد؛ درخواست قطعه"),
    ("transition", "approved_repair", "name", "تأیید شد؛ شروع تعمیر", "مشتری تأیید کرد؛ شروع تعمیر"),
    ("transition", "refused", "name", "مشتری نپذیرفت؛ آماده عودت", "مشتری هزینه را نپذیرفت"),
    ("transition", "parts_arrived", "name", "قطعه رسید", "قطعه‌ها رسید"),
    ("transition", "quality_passed", "name", "تأیید کیفیت", "کیفیت تأیید شد"),
    ("transition", "quality_failed", "name", "بازگشت به تعمیر", "رد کیفیت؛ بازگشت به تعمیر"),
    ("transition", "return_unrepaired", "name", "عودت بدون تعمیر", "تحویل بدون تعمیر"),
    ("transition", "cancel", "name", "لغو", "لغو پذیرش"),
    ("transition", "cancel_diagnosis", "name", "لغو", "لغو تعمیر"),
]


def _relabel(apps, forward: bool):
    models = {"state": apps.get_model("workflow", "State"), "transition": apps.get_model("workflow", "Transition")}
    for kind, code, field, old, new in CHANGES:
        was, becomes = (old, new) if forward else (new, old)
        models[kind].objects.filter(workflow__code="repair", code=code, **{field: was}).update(**{field: becomes})


def relabel(apps, schema_editor):
    """Give the states and steps of the installed shipped workflow their clearer labels."""
    _relabel(apps, forward=True)


def restore(apps, schema_editor):
    _relabel(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("repairs", "0006_workflow_guards")]

    operations = [migrations.RunPython(relabel, restore)]
