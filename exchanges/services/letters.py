"""A placed student's visa support letter: the passport details they type, checked against
the rotation's dates, and the letter itself, rendered on request in their language or English."""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import PlacementStatus
from exchanges.models import Coordinator, Placement, TravelDetails
from exchanges.models.institutions import CoordinatorConflict
from portal.emails import recipient_language
from portal.errors import Refused
from portal.pdf import render_pdf

#: As printed in the passport: Latin capitals and digits (ICAO 9303 allows no other), 5 to 20.
PASSPORT_NUMBER = re.compile(r"[A-Z0-9]{5,20}")


def passport_number_clean(value: str) -> str:
    """The number as typed, without spaces and in capitals: "ab 12 3456" is "AB123456"."""
    return "".join(value.split()).upper()


def letter_languages(student) -> list[str]:
    """The languages a student's letters come in: theirs, and English (once if the same)."""
    return list(dict.fromkeys([recipient_language(student), settings.LANGUAGE_CODE]))


def placement_must_be_confirmed(placement: Placement) -> None:
    if placement.status != PlacementStatus.CONFIRMED:
        raise Refused(
            _("Letters are written for a placement you have confirmed."),
            code="placement_not_confirmed",
        )


@transaction.atomic
def travel_details_save(
    *, placement: Placement, passport_number: str, nationality: str, passport_expires_on
) -> TravelDetails:
    """Save the passport details of a confirmed placement's student, or change them. The
    passport must still be valid after the rotation's last day."""
    placement_must_be_confirmed(placement)
    number = passport_number_clean(passport_number)
    if not PASSPORT_NUMBER.fullmatch(number):
        raise Refused(
            _("Enter the passport number as printed: 5 to 20 letters and digits."),
            code="passport_number_invalid",
            field="passport_number",
        )
    rotation = placement.rotation
    if passport_expires_on <= rotation.end_date:
        raise Refused(
            _("Your passport must still be valid after the rotation's last day."),
            code="passport_expires_too_soon",
            field="passport_expires_on",
        )
    details, _created = TravelDetails.objects.update_or_create(
        rank_list_id=placement.rank_list_id,
        defaults={
            "passport_number": number,
            "nationality": nationality,
            "passport_expires_on": passport_expires_on,
        },
    )
    return details


def letter_signatory(placement: Placement):
    """Who signs for the host school: its first coordinator (the longest serving) who is
    neither the student nor declared a conflict with them; None when it has none, and the
    programme signs instead."""
    student_id = placement.rank_list.student_id
    conflicted = CoordinatorConflict.objects.filter(student_id=student_id).values("coordinator")
    link = (
        Coordinator.objects.filter(institution_id=placement.rotation.institution_id)
        .exclude(user_id=student_id)
        .exclude(user__in=conflicted)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return link.user if link else None


def visa_letter_pdf(*, placement: Placement, language: str, now=None) -> bytes:
    """The visa support letter of a confirmed placement whose student gave their passport
    details, in `language` (rendered each time: a page, in well under a second)."""
    placement_must_be_confirmed(placement)
    try:
        travel = placement.rank_list.travel_details
    except TravelDetails.DoesNotExist:
        raise Refused(
            _("Give your passport details first: the visa letter needs them."),
            code="travel_details_missing",
        ) from None
    student = placement.rank_list.student
    return render_pdf(
        "pdf/exchanges_visa_letter.html",
        {
            "placement": placement,
            "rotation": placement.rotation,
            "institution": placement.rotation.institution,
            "cycle": placement.cycle,
            "rank_list": placement.rank_list,
            "student": student,
            "passport_name": student.latin_name or student.full_name,
            "travel": travel,
            "signatory": letter_signatory(placement),
            "issued": now or timezone.now(),
        },
        language=language,
    )
