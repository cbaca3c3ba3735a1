"""Home-school endorsements: the student asks the school they name, the school's coordinator
(or programme staff) endorses or declines, and at the students' deadline each submitted list
still not endorsed is told that the match will leave it out."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.models import Endorsement, EndorsementStatus, ExchangeCycle, Institution, RankList
from exchanges.models.endorsement import DECLINE_REASON_MAX
from exchanges.selectors.endorsements import endorsement_missing_lists, endorsement_recipients
from exchanges.services.common import lock_row
from portal import jobs
from portal.audit import audit_record
from portal.emails import email_send
from portal.errors import Refused

YEARS = range(1, 9)


def _refuse_after_deadline(cycle: ExchangeCycle, now: datetime) -> None:
    if not cycle.students_may_rank(now):
        raise Refused(
            _("Endorsements are closed: the students' ranking deadline has passed."),
            code="deadline_passed",
        )


def _state(endorsement: Endorsement | None) -> dict | None:
    if endorsement is None:
        return None
    return {
        "institution": endorsement.institution_id,
        "status": endorsement.status,
        "year_confirmed": endorsement.year_confirmed,
        "good_standing": endorsement.good_standing,
        "reason": endorsement.reason,
    }


def endorsement_request(
    *, rank_list: RankList, institution: Institution, now: datetime | None = None
) -> Endorsement:
    """Ask `institution` to endorse the list, while students rank. Asking the same school
    again changes nothing, unless it declined: then it is a new request; naming another
    school replaces the request, or the endorsement, with a new one. The school's
    coordinators are emailed of each new request."""
    now = now or timezone.now()
    _refuse_after_deadline(rank_list.cycle, now)
    with transaction.atomic():
        lock_row(RankList.objects, rank_list.pk)
        current = Endorsement.objects.filter(rank_list=rank_list).first()
        if current and current.institution_id == institution.pk and not current.is_declined:
            return current  # a double click, or already endorsed by this school
        before = _state(current)
        current = current or Endorsement(rank_list=rank_list)
        current.institution = institution
        current.status = EndorsementStatus.REQUESTED
        current.year_confirmed = None
        current.good_standing = False
        current.reason = ""
        current.decided_by = None
        current.decided_at = None
        current.requested_at = now
        current.save()
        audit_record(
            actor=rank_list.student,
            action="endorsement.requested",
            obj=current,
            scope=f"exchange_cycle:{rank_list.cycle_id}",
            before=before,
            after=_state(current),
        )
        _tell_school(current)
    return current


def endorsement_endorse(
    *,
    endorsement: Endorsement,
    by,
    year_confirmed: int | None,
    good_standing: bool,
    now: datetime | None = None,
) -> Endorsement:
    """The school confirms the student's year of study and good standing; the student is
    emailed. The same decision twice changes nothing."""
    if year_confirmed not in YEARS:
        raise Refused(
            _("Give the student's year of study, from 1 to 8."),
            code="year_required",
            field="year_confirmed",
        )
    if not good_standing:
        raise Refused(
            _("Endorse only a student in good standing; otherwise decline and say why."),
            code="good_standing_required",
            field="good_standing",
        )
    return _decide(
        endorsement,
        by,
        {
            "status": EndorsementStatus.ENDORSED,
            "year_confirmed": year_confirmed,
            "good_standing": True,
            "reason": "",
        },
        now or timezone.now(),
    )


def endorsement_decline(
    *, endorsement: Endorsement, by, reason: str, now: datetime | None = None
) -> Endorsement:
    """The school declines, with a reason the student reads and is emailed."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(
            _("Say why you decline: the student reads it."), code="reason_required", field="reason"
        )
    if len(reason) > DECLINE_REASON_MAX:
        raise Refused(
            _("Keep the reason to %(max)s characters.") % {"max": DECLINE_REASON_MAX},
            code="reason_too_long",
            field="reason",
        )
    return _decide(
        endorsement,
        by,
        {
            "status": EndorsementStatus.DECLINED,
            "year_confirmed": None,
            "good_standing": False,
            "reason": reason,
        },
        now or timezone.now(),
    )


def _decide(endorsement: Endorsement, by, decision: dict, now: datetime) -> Endorsement:
    _refuse_after_deadline(endorsement.rank_list.cycle, now)
    with transaction.atomic():
        current = lock_row(
            Endorsement.objects.select_related("rank_list__student", "rank_list__cycle"),
            endorsement.pk,
        )
        asked = (endorsement.institution_id, endorsement.requested_at)
        if (current.institution_id, current.requested_at) != asked:
            raise Refused(
                _("The student changed their request meanwhile; look at it again."),
                code="changed",
                status=409,
            )
        before = _state(current)
        for name, value in decision.items():
            setattr(current, name, value)
        if _state(current) == before:
            return current  # a double click, or a second coordinator who agrees
        current.decided_by = by
        current.decided_at = now
        current.save()
        audit_record(
            actor=by,
            action="endorsement.decided",
            obj=current,
            scope=f"exchange_cycle:{current.rank_list.cycle_id}",
            before=before,
            after=_state(current),
        )
        _tell_student(current)
    return current


def _tell_school(endorsement: Endorsement) -> int:
    """One email to each coordinator who may decide; none when the school has none (staff
    decide then, from their list of requests)."""
    rank_list = endorsement.rank_list
    sent = 0
    for coordinator in endorsement_recipients(endorsement):
        sent += email_send(
            to=[coordinator.email],
            template="exchanges_endorsement_requested",
            context={
                "name": coordinator.get_short_name(),
                "student": str(rank_list.student),
                "year": rank_list.year_of_study,
                "institution": endorsement.institution.name,
                "cycle": rank_list.cycle,
            },
            user=coordinator,
        )
    return sent


def _tell_student(endorsement: Endorsement) -> None:
    student = endorsement.rank_list.student
    email_send(
        to=[student.email],
        template=f"exchanges_endorsement_{endorsement.status}",
        context={
            "name": student.get_short_name(),
            "institution": endorsement.institution.name,
            "year": endorsement.year_confirmed,
            "reason": endorsement.reason,
            "cycle": endorsement.rank_list.cycle,
        },
        user=student,
    )


def endorsements_deadline_notify(*, now: datetime) -> dict[str, int]:
    """After a cycle's students' deadline, before its match is published: one email to each
    submitted list that is not endorsed, saying that the match will leave it out and why.
    A cycle whose lists were all told is marked done and not read again."""
    told = 0
    for cycle in ExchangeCycle.objects.filter(
        published_run__isnull=True, students_close_at__lte=now
    ).order_by("pk"):
        done = f"exchanges.endorsement:deadline:cycle:{cycle.pk}"
        if jobs.done_before(done):
            continue
        for rank_list in endorsement_missing_lists(cycle=cycle):
            with transaction.atomic():
                if jobs.once(f"exchanges.endorsement:deadline:rank_list:{rank_list.pk}"):
                    told += _tell_left_out(rank_list)
        jobs.once(done)
    return {"told": told}


def _tell_left_out(rank_list: RankList) -> int:
    endorsement = getattr(rank_list, "endorsement", None)
    student = rank_list.student
    return email_send(
        to=[student.email],
        template="exchanges_endorsement_missing",
        context={
            "name": student.get_short_name(),
            "cycle": rank_list.cycle,
            "status": endorsement.status if endorsement else "",
            "institution": endorsement.institution.name if endorsement else "",
            "reason": endorsement.reason if endorsement else "",
        },
        user=student,
    )
