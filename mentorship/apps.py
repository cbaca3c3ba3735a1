"""The mentoring app's configuration: its roles and its panel on the staff dashboard."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentorship import selectors
        from mentorship.rules import is_mentee, is_mentor
        from portal import roles

        roles.register(
            roles.Role("mentor", _("Mentoring"), "mentorship:mentor_dashboard", is_mentor, order=50)
        )
        # After "My applications" (90): a student lands on their applications, with a tab here.
        roles.register(
            roles.Role("mentee", _("My mentor"), "mentorship:mentee_dashboard", is_mentee, order=95)
        )
        roles.register_staff_panel(
            roles.StaffPanel(_("Mentoring"), selectors.staff_summary, order=30)
        )
