"""Store corrective_actions stripped, as the forms and services save it: "" then means "no
action" both in SQL (`open_actions()`) and in Python (`has_open_actions`)."""

from django.db import migrations


def strip_corrective_actions(apps, schema_editor):
    SiteInspectionLog = apps.get_model("inspections", "SiteInspectionLog")
    padded = SiteInspectionLog.objects.filter(corrective_actions__regex=r"^\s|\s$")
    for log in padded.only("pk", "corrective_actions").iterator():
        SiteInspectionLog.objects.filter(pk=log.pk).update(
            corrective_actions=log.corrective_actions.strip()
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_inspection_date_in_business_range")]

    operations = [migrations.RunPython(strip_corrective_actions, migrations.RunPython.noop)]
