"""Editors translate and publish pages in every language; every content language has its locale
(see cms/editors.py)."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

from cms.editors import EDITORS_GROUP, editors_sync, locales_sync


def forwards(apps, schema_editor):
    # Permissions are otherwise created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    locales_sync(
        apps.get_model("wagtailcore", "Locale"),
        [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES],
    )
    editors_sync(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        apps.get_model("wagtailcore", "GroupPagePermission"),
        apps.get_model("wagtailcore", "Page"),
    )


def backwards(apps, schema_editor):
    """Take back what this migration gave (Wagtail's own grants and the locales stay)."""
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    group.permissions.remove(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="simple_translation", codename="submit_translation"
        )
    )
    apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(
        group=group, permission__codename="publish_page", page__depth=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_rotationcatalogpage"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
