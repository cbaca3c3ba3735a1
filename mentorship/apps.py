"""The mentoring app's configuration: its roles, its panel on the staff dashboard, its nudges
(a kind of email, a daily job) and its section of the daily digest."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentorship.services import operations

        operations.register()
        from mentorship import selectors
        from mentorship.rules import is_mentee, is_mentor
        from mentorship.services import nudges
        from portal import digest, jobs, notifications, roles

        # No second factor for mentors (offered, not required): a mentor sees only what their
        # own mentees chose to tell them (goals, check-ins), never documents nor anyone else's
        # request; requiring it would turn away volunteer clinicians for no one else's safety.
        # Mentoring coordinators are programme staff and use TOTP through the staff role.
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
        notifications.register(
            notifications.Kind(nudges.KIND, _("Nudges when my mentorship has gone quiet"))
        )
        jobs.register(
            jobs.Job(
                "mentorship.quiet_nudges",
                _("Nudges to quiet mentorships, then a word to the coordinators"),
                "0 7 * * *",  # daily, 07:00 UTC
                nudges.mentorship_quiet_nudge,
                outcomes={
                    "nudged": _("mentorships nudged"),
                    "reported": _("quiet mentorships reported to coordinators"),
                },
            )
        )
        from mentorship.services import privacy as data_rights
        from portal import privacy

        privacy.register(
            privacy.Provider(
                "mentorship",
                data_rights.mentorship_export,
                data_rights.mentorship_documents,
                data_rights.mentorship_erase,
            )
        )
        digest.register(
            digest.Section(
                _("Mentoring"), selectors.digest_recipients, selectors.digest_lines, order=30
            )
        )
