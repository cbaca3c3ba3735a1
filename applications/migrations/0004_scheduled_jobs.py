"""Scheduled jobs: the log of reminders sent to each referee, and the lapsed award."""

from django.db import migrations, models


def log_earlier_reminders(apps, schema_editor):
    """A reminder sent before the log existed appears in it, as sent by the applicant."""
    RefereeRequest = apps.get_model("applications", "RefereeRequest")
    for referee in RefereeRequest.objects.filter(reminded_at__isnull=False).only("reminded_at"):
        referee.reminders = [{"at": referee.reminded_at.isoformat(), "automatic": False}]
        referee.save(update_fields=["reminders"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_review_committees"),
    ]

    operations = [
        migrations.AddField(
            model_name="refereerequest",
            name="reminders",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(log_earlier_reminders, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted"),
                    ("under_review", "Under review"),
                    ("awarded", "Awarded"),
                    ("waitlisted", "Waitlisted"),
                    ("declined", "Not selected"),
                    ("accepted", "Award accepted"),
                    ("declined_by_applicant", "Award declined"),
                    ("lapsed", "Award lapsed"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="draft",
                max_length=24,
                verbose_name="state",
            ),
        ),
    ]
