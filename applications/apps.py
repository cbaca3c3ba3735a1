"""The scholarship app's configuration: its roles, staff panel, mentoring context, scheduled
jobs, optional emails and digest section, registered when Django is ready."""

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
        from applications.services import privacy as data_rights
        from portal import privacy

        privacy.register(
            privacy.Provider(
                "applications",
                data_rights.applications_export,
                data_rights.applications_documents,
                data_rights.applications_erase,
            )
        )
        self._register_schedule()
        from applications.services import operations

        operations.register()
        from applications.services import messages as applicant_messages

        applicant_messages.register()

    def _register_schedule(self) -> None:
        """The jobs (cron in UTC), the optional emails they send, and the digest section."""
        from applications.selectors import waiting
        from applications.services.lapses import awards_lapse
        from applications.services.reminders import (
            deadline_reminders_send,
            referee_reminders_send,
            review_reminders_send,
        )
        from portal import digest, jobs, notifications

        notifications.register(
            notifications.Kind("review_reminders", _("Reminders before my reviews are due"))
        )
        reminded = {"reminded": _("reminders sent"), "turned_off": _("reminders turned off")}
        jobs.register(
            jobs.Job(
                "applications.deadline_reminders",
                _("Deadline reminders to authors of drafts"),
                "5 * * * *",  # hourly: a stage's reminder leaves within the hour
                deadline_reminders_send,
                outcomes=reminded,
            )
        )
        jobs.register(
            jobs.Job(
                "applications.referee_reminders",
                _("Reminders to referees whose letter is missing"),
                "10 * * * *",
                referee_reminders_send,
                outcomes={
                    "reminded": _("reminders sent"),
                    "waiting": _("reminders waiting (the applicant reminded in the last day)"),
                },
            )
        )
        jobs.register(
            jobs.Job(
                "applications.review_reminders",
                _("Reminders to reviewers with unfinished reviews"),
                "15 * * * *",
                review_reminders_send,
                outcomes=reminded,
            )
        )
        jobs.register(
            jobs.Job(
                "applications.award_lapses",
                _("Lapse unanswered awards and offer them to the waitlist"),
                # Every quarter hour: some time zones end their day on the half or quarter hour.
                "*/15 * * * *",
                awards_lapse,
                outcomes={
                    "lapsed": _("awards lapsed"),
                    "offered": _("awards offered to the waitlist"),
                },
            )
        )
        digest.register(
            digest.Section(
                _("Scholarships"), waiting.digest_recipients, waiting.digest_lines, order=10
            )
        )
