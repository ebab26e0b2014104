from django.db import migrations


def name_subject(apps, schema_editor):
    """The repair workflow moves repair orders; its definition as it stands becomes version 1."""
    from aftersales.repairs.reference import repair_workflow_subject

    repair_workflow_subject(apps.get_model("workflow", "Workflow"), apps.get_model("workflow", "State"),
                            apps.get_model("workflow", "Transition"), apps.get_model("workflow", "WorkflowVersion"))


class Migration(migrations.Migration):
    """The workflow designer (issue 14): the repair workflow names its subject and gets a first version."""

    dependencies = [("repairs", "0010_estimate_approved_backfill"), ("workflow", "0002_designer"),
                    ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(name_subject, migrations.RunPython.noop)]
