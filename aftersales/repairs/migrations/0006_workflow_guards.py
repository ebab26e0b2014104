from django.db import migrations

# The shipped workflow's steps that gained a condition; a step an administrator gave a condition
# of their own keeps it.
GUARDS = {"parts_arrived": "parts_settled", "quality_passed": "not_the_repairer"}


def guard(apps, schema_editor):
    """Guard "parts arrived" (every requested part issued or cancelled) and "quality passed"
    (someone other than the one who repaired it) on databases that have the shipped workflow."""
    Transition = apps.get_model("workflow", "Transition")
    for code, condition in GUARDS.items():
        Transition.objects.filter(workflow__code="repair", code=code, condition="").update(condition=condition)


def unguard(apps, schema_editor):
    Transition = apps.get_model("workflow", "Transition")
    for code, condition in GUARDS.items():
        Transition.objects.filter(workflow__code="repair", code=code, condition=condition).update(condition="")


class Migration(migrations.Migration):
    dependencies = [("repairs", "0005_part_issue_and_replacement"), ("workflow", "0001_initial")]

    operations = [migrations.RunPython(guard, unguard)]
