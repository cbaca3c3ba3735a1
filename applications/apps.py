"""The scholarship app's configuration: its roles, staff panel and mentoring context, registered
when Django is ready."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Scholarships")

    def ready(self) -> None:
        from applications import selectors
        from applications.rules import is_chair, is_reviewer
        from portal import roles
        from portal.programme_context import register_context_provider
        from portal.rules import is_verified_user

        roles.register(
            roles.Role(
                "chair",
                _("Chairing"),
                "applications:chair_dashboard",
                is_chair,
                order=20,
                requires_mfa=True,
            )
        )
        roles.register(
            roles.Role(
                "reviewer",
                _("Reviewing"),
                "applications:reviewer_dashboard",
                is_reviewer,
                order=30,
                requires_mfa=True,
            )
        )
        roles.register(
            roles.Role(
                "applicant",
                _("My applications"),
                "applications:dashboard",
                is_verified_user,
                order=90,
            )
        )
        roles.register_staff_panel(
            roles.StaffPanel(_("Scholarships"), selectors.staff_summary, order=10)
        )
        # A student holding a scholarship gets weight toward mentors who know its country.
        register_context_provider(selectors.scholarship_countries)
