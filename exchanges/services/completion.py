"""After a rotation: the host school records attendance and a short evaluation, and the
student who attended downloads a certificate of completion, in their language or English."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import PlacementStatus
from exchanges.models import Completion, Placement
from exchanges.services.common import lock_row
from exchanges.services.letters import letter_signatory
from portal.audit import audit_changes, audit_record, audit_snapshot
from portal.errors import Refused
from portal.pdf import render_pdf

COMMENT_MAX = 1000


def rotation_days(placement: Placement) -> int:
    rotation = placement.rotation
    return (rotation.end_date - rotation.start_date).days + 1


def completion_refusal(*, placement: Placement, now=None) -> Refused | None:
    """Why attendance may not be recorded now (None: it may): only for a confirmed placement,
    and from the rotation's first day in the cycle's time zone."""
    if placement.status != PlacementStatus.CONFIRMED:
        return Refused(
            _("Attendance is recorded for a placement the student confirmed."),
            code="placement_not_confirmed",
        )
    today = timezone.localtime(now or timezone.now(), placement.cycle.zone).date()
    if today < placement.rotation.start_date:
        return Refused(
            _("Attendance can be recorded from the rotation's first day."),
            code="rotation_not_started",
        )
    return None


def _check(placement: Placement, *, attended: bool, days_attended: int, ratings: dict, comment):
    if attended:
        if not 1 <= days_attended <= rotation_days(placement):
            raise Refused(
                _("Days attended: from 1 to %(days)s, the length of the rotation.")
                % {"days": rotation_days(placement)},
                code="days_out_of_range",
                field="days_attended",
            )
        for name, rating in ratings.items():
            if rating is None or not 1 <= rating <= 5:
                raise Refused(_("Give each rating from 1 to 5."), code="rating_missing", field=name)
    if len(comment) > COMMENT_MAX:
        raise Refused(
            _("The comment may be at most %(count)s characters.") % {"count": COMMENT_MAX},
            code="comment_too_long",
            field="comment",
        )


def completion_record(
    *,
    placement: Placement,
    by,
    attended: bool,
    days_attended: int = 0,
    clinical_skills: int | None = None,
    professionalism: int | None = None,
    communication: int | None = None,
    comment: str = "",
    now=None,
) -> Completion:
    """Record whether the student attended, and the school's evaluation; recording again
    changes the record (audited), and the same record twice changes nothing."""
    now = now or timezone.now()
    ratings = {
        "clinical_skills": clinical_skills,
        "professionalism": professionalism,
        "communication": communication,
    }
    comment = comment.strip()
    with transaction.atomic():
        placement = lock_row(Placement.objects.select_related("cycle", "rotation"), placement.pk)
        refusal = completion_refusal(placement=placement, now=now)
        if refusal is not None:
            raise refusal
        _check(
            placement,
            attended=attended,
            days_attended=days_attended,
            ratings=ratings,
            comment=comment,
        )
        if not attended:  # nothing to rate: the record says only that the student was absent
            days_attended, ratings = 0, dict.fromkeys(ratings)
        values = {"attended": attended, "days_attended": days_attended, "comment": comment}
        values.update(ratings)
        completion = Completion.objects.filter(placement=placement).first()
        before = audit_snapshot(completion) if completion else None
        if completion and all(getattr(completion, k) == v for k, v in values.items()):
            return completion  # a double click, a retry
        completion = completion or Completion(placement=placement)
        for name, value in values.items():
            setattr(completion, name, value)
        completion.recorded_by = by
        completion.recorded_at = now
        completion.save()
        after = audit_snapshot(completion)
        if before is not None:
            before, after = audit_changes(before, after)
        audit_record(
            actor=by,
            action="completion.recorded" if before is None else "completion.changed",
            obj=completion,
            scope=f"institution:{placement.rotation.institution_id}",
            before=before,
            after=after,
        )
    return completion


def completion_attended(placement: Placement) -> Completion:
    """The placement's record of attendance, if the student attended; else a refusal."""
    completion = Completion.objects.filter(placement=placement, attended=True).first()
    if placement.status != PlacementStatus.CONFIRMED or completion is None:
        raise Refused(
            _("The certificate is ready once the host school has recorded your attendance."),
            code="attendance_not_recorded",
        )
    return completion


def completion_certificate_pdf(*, placement: Placement, language: str, now=None) -> bytes:
    """The certificate of completion, in `language`, rendered on request."""
    completion = completion_attended(placement)
    student = placement.rank_list.student
    return render_pdf(
        "pdf/exchanges_completion_certificate.html",
        {
            "placement": placement,
            "completion": completion,
            "rotation": placement.rotation,
            "institution": placement.rotation.institution,
            "cycle": placement.cycle,
            "student": student,
            "passport_name": student.latin_name or student.full_name,
            "signatory": completion.recorded_by or letter_signatory(placement),
            "issued": now or timezone.now(),
        },
        language=language,
    )
