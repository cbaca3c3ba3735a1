"""The exchange app's configuration: its roles and its panel on the staff dashboard."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Clinical exchanges")

    def ready(self) -> None:
        from exchanges import selectors
        from exchanges.rules import is_coordinator
        from portal import roles
        from portal.rules import is_verified_user

        roles.register(
            roles.Role(
                "coordinator",
                _("Partner school"),
                "exchanges:coordinator_dashboard",
                is_coordinator,
                order=40,
            )
        )
        # Every signed-in person may rank rotations, as every one may apply for a scholarship;
        # after "My applications" so that applicants still land there.
        roles.register(
            roles.Role(
                "exchange_student",
                _("My exchanges"),
                "exchanges:student_dashboard",
                is_verified_user,
                order=95,
            )
        )
        roles.register_staff_panel(
            roles.StaffPanel(_("Clinical exchanges"), selectors.staff_summary, order=20)
        )
