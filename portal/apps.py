"""The plumbing's configuration: the staff role, the plumbing's own scheduled jobs and the
daily digest as a kind of email people may turn off."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal import checks, jobs, notifications, roles, rules, signals  # noqa: F401 - registered
        from portal.digest_send import digest_send
        from portal.pending_uploads import pending_uploads_delete
        from portal.permissions import is_programme_staff
        from portal.privacy import data_exports_delete

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
        notifications.register(
            notifications.Kind("digest", _("A daily summary of what waits for me"))
        )
        # One choice across the programmes: a draft application's deadline, a rank list's.
        notifications.register(
            notifications.Kind("deadline_reminders", _("Reminders before a deadline"))
        )
        jobs.register(
            jobs.Job(
                "portal.daily_digest",
                _("Daily digest of what waits for staff and coordinators"),
                "0 5 * * *",  # 05:00 UTC: before the working day in Europe and Africa
                digest_send,
                outcomes={
                    "sent": _("digests sent"),
                    "nothing_waiting": _("people with nothing waiting"),
                    "turned_off": _("people who turned the digest off"),
                },
            )
        )
        jobs.register(
            jobs.Job(
                "portal.data_exports",
                _("Deletion of expired data exports"),
                "50 * * * *",  # every hour
                data_exports_delete,
                outcomes={"deleted": _("exports deleted")},
            )
        )
        jobs.register(
            jobs.Job(
                "portal.pending_uploads",
                _("Clean-up of uploads never finished"),
                "30 * * * *",  # every hour, at half past
                pending_uploads_delete,
                outcomes={"deleted": _("unfinished uploads deleted")},
            )
        )
