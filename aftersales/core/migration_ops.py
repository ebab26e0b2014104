"""Operations that data migrations of several apps share (they use only ``apps.get_model``)."""

from django.db import migrations


def _with_compact_form(text: str) -> str:
    words = text.split(" ")
    if len(words) < 2 or words[-1] == "".join(words[:-1]):  # one word, or already has its compact copy
        return text
    return f"{text} {''.join(words)}"


def add_compact_search_forms(app_label: str, *model_names: str) -> migrations.RunPython:
    """Add the compact form (no spaces) to the stored search text of ``model_names``, in batches, so
    that «محمدرضا» finds «محمد‌رضا» and «محمد رضا» (issue 13); ``core.persian.search_document`` builds it
    on save from then on. Rows that have it already are left alone."""

    def forwards(apps, schema_editor):
        for name in model_names:
            model = apps.get_model(app_label, name)
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

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
