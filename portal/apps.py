from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal import roles, rules, signals  # noqa: F401 - rules and the MFA session flag
        from portal.permissions import is_programme_staff

        roles.register(
            roles.Role(
                "staff",
                _("Programme staff"),
                "staff_dashboard",
                is_programme_staff,
                order=10,
                requires_mfa=True,
            )
        )
