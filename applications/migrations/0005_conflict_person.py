"""Conflicts of interest with a person: every application of one applicant."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_scheduled_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="conflictdeclaration",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="conflictdeclaration",
            name="person_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="email"),
        ),
        migrations.AlterField(
            model_name="conflictdeclaration",
            name="kind",
            field=models.CharField(
                choices=[
                    ("application", "One application"),
                    ("institution", "Every application from an institution"),
                    ("country", "Every application from a country"),
                    ("person", "Every application of a person"),
                ],
                max_length=12,
                verbose_name="conflict with",
            ),
        ),
    ]
