"""The exchange app's configuration: its roles, its panel on the staff dashboard, its scheduled
jobs, the optional emails it sends and its section of the daily digest."""

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
                # A school's coordinator reads its applicants' dossiers and medical records.
                requires_mfa=True,
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
        self._register_schedule()
        from exchanges.services import privacy as data_rights
        from portal import privacy

        privacy.register(
            privacy.Provider(
                "exchanges",
                data_rights.exchanges_export,
                data_rights.exchanges_documents,
                data_rights.exchanges_erase,
            )
        )
        from exchanges.services import operations

        operations.register()

    def _register_schedule(self) -> None:
        from exchanges.selectors.digest import digest_lines, digest_recipients
        from exchanges.services.lapses import placements_lapse
        from exchanges.services.phases import cycle_phases_notify
        from portal import digest, jobs

        jobs.register(
            jobs.Job(
                "exchanges.placement_lapses",
                _("Lapse unanswered placement offers and offer their seats on"),
                "*/15 * * * *",  # an offer's answer date may fall at any minute
                placements_lapse,
                outcomes={
                    "lapsed": _("offers lapsed"),
                    "offered": _("seats offered to the next student"),
                },
            )
        )
        jobs.register(
            jobs.Job(
                "exchanges.cycle_phases",
                _("Exchange cycles: tell who acts next, remind before the students' deadline"),
                "5 * * * *",
                cycle_phases_notify,
                outcomes={
                    "students": _("students told that ranking is open"),
                    "coordinators": _("coordinators told to rank their applicants"),
                    "staff": _("staff told that a match is due"),
                    "reminded": _("reminders sent"),
                },
            )
        )
        from exchanges.services.retention import documents_retention_apply

        jobs.register(
            jobs.Job(
                "exchanges.document_retention",
                _("Deletion of medical documents past their retention"),
                "40 3 * * *",  # daily, 03:40 UTC
                documents_retention_apply,
                outcomes={"deleted": _("documents deleted")},
            )
        )
        from exchanges.services.endorsements import endorsements_deadline_notify

        jobs.register(
            jobs.Job(
                "exchanges.endorsement_deadline",
                _("Tell students not endorsed by their home school at the ranking deadline"),
                "*/15 * * * *",  # a cycle's students' deadline may fall at any minute
                endorsements_deadline_notify,
                outcomes={"told": _("students told they are left out of the match")},
            )
        )
        digest.register(
            digest.Section(_("Clinical exchanges"), digest_recipients, digest_lines, order=20)
        )
