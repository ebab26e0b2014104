from django.db import migrations, models


def fill_seconds(apps, schema_editor):
    """Each past move gets the time since the record entered the state it left (the previous move's
    time); notes, which leave the record where it was, do not restart the clock."""
    TransitionLog = apps.get_model("workflow", "TransitionLog")
    entered: dict = {}
    changed = []
    rows = TransitionLog.objects.order_by("content_type_id", "object_id", "at", "pk").values_list(
        "pk", "content_type_id", "object_id", "source_id", "target_id", "at")
    for pk, content_type, object_id, source, target, at in rows.iterator(chunk_size=5000):
        key = (content_type, object_id)
        if source is not None and source == target:
            continue
        if source is not None and key in entered:
            changed.append(TransitionLog(pk=pk, seconds_in_source=max(0, int((at - entered[key]).total_seconds()))))
        entered[key] = at
        if len(changed) >= 5000:
            TransitionLog.objects.bulk_update(changed, ["seconds_in_source"])
            changed = []
    if changed:
        TransitionLog.objects.bulk_update(changed, ["seconds_in_source"])


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0002_designer'),
    ]

    operations = [
        migrations.AddField(
            model_name='transitionlog',
            name='seconds_in_source',
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, verbose_name='seconds in the previous state'),
        ),
        migrations.RunPython(fill_seconds, migrations.RunPython.noop),
    ]
