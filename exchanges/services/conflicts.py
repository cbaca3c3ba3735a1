"""A coordinator declares a conflict of interest with one student of their school's rotation."""

from django.db import transaction
from django.utils.translation import gettext as _

from exchanges.models import RankList, Rotation
from exchanges.models.institutions import CoordinatorConflict
from exchanges.selectors.schools import rotation_applicant_ids
from portal.audit import audit_record
from portal.errors import Refused


def coordinator_conflict_declare(
    *, coordinator, rotation: Rotation, rank_list_id: int, reason: str = ""
) -> CoordinatorConflict:
    """Record that `coordinator` may not judge this student; from then on the rules
    (`exchanges.rules.dossiers_visible_to`) hide the student's dossier, documents and place in
    the school's ranking from them. Declaring it twice changes nothing."""
    rank_list = (
        RankList.objects.filter(pk=rank_list_id, placement__rotation=rotation).first()
        if rank_list_id not in rotation_applicant_ids(rotation)
        else RankList.objects.get(pk=rank_list_id)
    )
    if rank_list is None:
        raise Refused(_("This student has not ranked this rotation."), code="not_an_applicant")
    with transaction.atomic():
        conflict, created = CoordinatorConflict.objects.get_or_create(
            coordinator=coordinator,
            institution_id=rotation.institution_id,
            student_id=rank_list.student_id,
            defaults={"reason": reason.strip()[:500]},
        )
        if created:
            audit_record(
                actor=coordinator,
                action="coordinator_conflict.declared",
                obj=conflict,
                scope=f"institution:{rotation.institution_id}",
                before=None,
                after={"student": rank_list.student_id, "reason": conflict.reason},
            )
    return conflict
