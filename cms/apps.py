"""The public site's app configuration: the editor role, which signs in with a second factor;
a locale for every content language and an Editors group after every `migrate`; the cached
navigation dropped when the page tree changes."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def keep_locales_and_editors(sender, **kwargs) -> None:
    """After `migrate` (and a test database's flush): every content language has its locale (a
    language added to the settings gets one), and an Editors group, with its rights, exists
    (cms/editors.py). A group that exists is left as administrators made it. Once, after the
    last app whose permissions it needs: Django's auth comes after Wagtail's apps."""
    if sender.label != "auth":
        return
    from django.conf import settings
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Locale, Page

    from cms.editors import EDITORS_GROUP, editors_sync, locales_sync

    locales_sync(Locale, [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES])
    if not Group.objects.filter(name=EDITORS_GROUP).exists():
        editors_sync(Group, Permission, GroupPagePermission, Page)


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from cms.rules import is_editor
        from cms.signals import navigation_signals_connect
        from portal import roles

        # Editors work in Wagtail's admin, which lists people and programme records: they use
        # TOTP like staff. After the programme roles, before "My applications" (90).
        roles.register(
            roles.Role(
                "editor",
                _("Public site"),
                "wagtailadmin_home",
                is_editor,
                order=80,
                requires_mfa=True,
            )
        )
        post_migrate.connect(keep_locales_and_editors, dispatch_uid="cms.locales_and_editors")
        # The navigation every page shows is cached; a change to the page tree drops it.
        navigation_signals_connect()
