from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentorship import selectors
        from mentorship.rules import is_mentor
        from portal import roles

        roles.register(
            roles.Role("mentor", _("Mentoring"), "mentorship:mentor_dashboard", is_mentor, order=50)
        )
        roles.register_staff_panel(
            roles.StaffPanel(_("Mentoring"), selectors.staff_summary, order=30)
        )
