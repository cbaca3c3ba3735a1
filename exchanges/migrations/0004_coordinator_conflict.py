"""A coordinator's declared conflict of interest with one student."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0003_placement_lapsed_waitlist"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CoordinatorConflict",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(blank=True, max_length=500, verbose_name="reason"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "coordinator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="coordinator_conflicts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "institution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="coordinator_conflicts",
                        to="exchanges.institution",
                    ),
                ),
                (
                    "student",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "coordinator's conflict of interest",
                "verbose_name_plural": "coordinators' conflicts of interest",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("coordinator", "institution", "student"),
                        name="one_coordinator_conflict_per_student",
                    )
                ],
            },
        ),
    ]
