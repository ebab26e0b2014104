"""Add the compact form (no spaces) to every stored search text, so that «محمدرضا» finds «محمد‌رضا» and
«محمد رضا» (issue 13). The stored text is already the spaced search key; the compact copy follows
from it alone, as ``core.persian.search_document`` now builds it on save."""

from django.db import migrations

MODELS = ("ProductGroup", "Brand", "ComponentType", "ProductModel", "SparePart", "ServiceItem", "FaultCode")


def _with_compact_form(text: str) -> str:
    words = text.split(" ")
    if len(words) < 2 or words[-1] == "".join(words[:-1]):  # one word, or already has its compact copy
        return text
    return f"{text} {''.join(words)}"


def add_compact_forms(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("catalog", name)
        last = 0
        while batch := list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", "search_text")[:2000]):
            last = batch[-1].pk
            changed = []
            for row in batch:
                text = _with_compact_form(row.search_text)
                if text != row.search_text:
                    row.search_text = text
                    changed.append(row)
            model.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_unit_event_transferred")]

    operations = [migrations.RunPython(add_compact_forms, migrations.RunPython.noop, elidable=True)]
