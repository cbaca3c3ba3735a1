"""After the match: students confirm or decline, schools confirm, and letters are written.
(First-come claims of free seats, which the school confirms, are in `exchanges.services.claims`.)"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import PlacementStatus
from exchanges.models import (
    Coordinator,
    Placement,
    Rotation,
    seat_holding,
)
from exchanges.services.common import lock_row
from portal import storage
from portal.emails import email_send, recipient_language
from portal.errors import Refused
from portal.pdf import render_pdf
from portal.tasks import task


def placement_tell_school(placement: Placement, template: str, **extra) -> None:
    """Email each coordinator of the placement's school, in their own language."""
    for link in Coordinator.objects.filter(
        institution_id=placement.rotation.institution_id
    ).select_related("user"):
        email_send(
            to=[link.user.email],
            template=template,
            context={
                "name": link.user.get_short_name(),
                "student": placement.rank_list.student,
                "rotation": placement.rotation,
                "placement": placement,
                **extra,
            },
            user=link.user,
        )


@transaction.atomic
def placement_answer(*, placement: Placement, accept: bool, now=None) -> Placement:
    """The student confirms or declines their offer, by the cycle's answer date. The same
    answer again (a double click, a retry) changes nothing and tells nobody again."""
    now = now or timezone.now()
    placement = lock_row(
        Placement.objects.select_related("rotation", "rank_list__student", "cycle"), placement.pk
    )
    answered = PlacementStatus.CONFIRMED if accept else PlacementStatus.DECLINED
    if placement.status == answered and placement.responded_at is not None:
        return placement
    # Lapsed first: a lapse the job has stored is no answer of the student's.
    if placement.is_lapsed(now):
        raise Refused(
            _(
                "The date to answer has passed, so this seat went to the next student on the "
                "school's list or back to the post-match round."
            ),
            code="answer_date_passed",
        )
    if placement.status != PlacementStatus.OFFERED:
        raise Refused(_("You have already answered this placement."), code="already_answered")
    placement.status = answered
    placement.responded_at = now
    placement.save(update_fields=["status", "responded_at"])
    placement_tell_school(placement, "exchanges_placement_answered")
    return placement


@transaction.atomic
def placement_confirm_for_school(*, placement: Placement, now=None) -> Placement:
    placement = lock_row(Placement.objects.all(), placement.pk)
    if placement.status != PlacementStatus.CONFIRMED:
        raise Refused(
            _("The school confirms a placement once the student has confirmed it."),
            code="not_confirmed_by_student",
        )
    if placement.school_confirmed_at is None:
        placement.school_confirmed_at = now or timezone.now()
        placement.save(update_fields=["school_confirmed_at"])
    return placement


def open_seats(rotation: Rotation, now) -> int:
    taken = Placement.objects.filter(rotation=rotation).filter(seat_holding(now)).count()
    return max(rotation.capacity - taken, 0)


def placement_letter_render(*, placement_id: int) -> Placement:
    """Write the placement letter to private storage, in the student's language."""
    placement = Placement.objects.select_related(
        "cycle", "rotation__institution", "rank_list__student"
    ).get(pk=placement_id)
    if placement.letter_key:
        return placement
    student = placement.rank_list.student
    pdf = render_pdf(
        "pdf/exchanges_placement_letter.html",
        {
            "placement": placement,
            "rotation": placement.rotation,
            "cycle": placement.cycle,
            "student": student,
            "rank_list": placement.rank_list,
            "issued": timezone.now(),
        },
        language=recipient_language(student),
    )
    key = default_storage.save(storage.new_key("exchanges/letters"), ContentFile(pdf))
    updated = Placement.objects.filter(pk=placement.pk, letter_key="").update(letter_key=key)
    if not updated:  # written meanwhile by another worker: keep theirs
        storage.object_delete(key)
        placement.refresh_from_db(fields=["letter_key"])
    else:
        placement.letter_key = key
    return placement


@task()
def task_placement_letter(*, placement_id: int) -> None:
    placement_letter_render(placement_id=placement_id)


def placement_letters_render(*, cycle_id: int) -> int:
    """The batch after publication: one letter per placement that has none yet."""
    pending = Placement.objects.filter(cycle_id=cycle_id, letter_key="").values_list(
        "pk", flat=True
    )
    count = 0
    for placement_id in list(pending):
        placement_letter_render(placement_id=placement_id)
        count += 1
    return count


@task()
def task_placement_letters(*, cycle_id: int) -> int:
    return placement_letters_render(cycle_id=cycle_id)
