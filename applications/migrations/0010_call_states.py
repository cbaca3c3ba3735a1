"""A call's state (draft, published, decided), the languages it is offered in, and when it was
published. Calls that exist already are published: they were live before states existed."""

from django.db import migrations, models

import applications.models.calls


def publish_existing(apps, schema_editor):
    Call = apps.get_model("applications", "Call")
    for call in Call.objects.all().only("pk", "created_at"):
        Call.objects.filter(pk=call.pk).update(state="published", published_at=call.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_second_stage"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="languages",
            field=models.JSONField(
                blank=True,
                default=applications.models.calls._english_only,
                help_text="Every text of the call is given in each of these. English always is.",
                verbose_name="languages the call is offered in",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="published_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="published"
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published"), ("decided", "Decided")],
                default="draft",
                max_length=12,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
