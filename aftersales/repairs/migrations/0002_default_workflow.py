from django.db import migrations


def load(apps, schema_editor):
    """Ship the default repair workflow (F13); administrators change it in the desk afterwards."""
    from aftersales.repairs.reference import load_repair_workflow

    load_repair_workflow(apps.get_model("workflow", "Workflow"), apps.get_model("workflow", "State"),
                         apps.get_model("workflow", "Transition"))


class Migration(migrations.Migration):
    dependencies = [("repairs", "0001_initial"), ("workflow", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
