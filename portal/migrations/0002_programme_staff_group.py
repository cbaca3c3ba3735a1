"""The "Programme staff" group, holding the portal's permissions (see portal.permissions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from portal.permissions import staff_group_sync


def create_staff_group(apps, schema_editor):
    # Permissions are otherwise created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    staff_group_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_staff_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Programme staff").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("applications", "0003_review_committees"),
        ("exchanges", "0002_cycles_ranking_matching"),
        ("mentorship", "0002_requests_rounds_mentorships"),
    ]

    operations = [migrations.RunPython(create_staff_group, remove_staff_group)]
