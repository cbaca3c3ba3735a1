"""The public site's app configuration: the editor role, which signs in with a second factor."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from cms.rules import is_editor
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
