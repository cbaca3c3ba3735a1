"""Staff's word on single pairs: pin one for the next round, or forbid one for good."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.enums import MentorStatus, PairRuleKind, RequestStatus
from mentorship.models import MenteeRequest, MentorProfile, PairRule
from mentorship.pairing import excluded_mentor_ids, pair_compatibility
from portal.errors import Refused


def check_pairable(*, request: MenteeRequest, mentor: MentorProfile) -> None:
    """Raise unless this mentee may be paired with this mentor at all."""
    if request.status != RequestStatus.OPEN:
        raise Refused(_("This mentee is not waiting for a mentor."), code="not_open")
    if mentor.status != MentorStatus.APPROVED:
        raise Refused(_("This mentor is not approved."), code="not_approved")
    if mentor.user_id == request.user_id:
        raise Refused(_("A person cannot mentor themselves."), code="self")
    if mentor.pk in excluded_mentor_ids(request_ids=[request.pk]).get(request.pk, set()):
        raise Refused(
            _("This pair is forbidden, or these two were paired before."), code="excluded"
        )
    if pair_compatibility(request=request, mentor=mentor, at=timezone.now()) is None:
        raise Refused(_("They share no language."), code="no_language")


@transaction.atomic
def pair_rule_set(
    *, request: MenteeRequest, mentor: MentorProfile, kind: str, by, note: str = ""
) -> PairRule:
    """Pin or forbid a pair, replacing any earlier rule on the same pair."""
    if kind not in PairRuleKind.values:
        raise Refused(_("Unknown rule."), code="invalid", field="kind")
    existing = PairRule.objects.filter(request=request, mentor=mentor).first()
    if kind == PairRuleKind.PIN:
        if existing is not None and existing.kind == PairRuleKind.FORBID:
            existing.delete()  # a pin overrides an earlier ban, but must still pass the checks
            existing = None
        check_pairable(request=request, mentor=mentor)
        other = PairRule.objects.filter(request=request, kind=PairRuleKind.PIN).exclude(
            mentor=mentor
        )
        if other.exists():
            raise Refused(
                _("This mentee is already pinned to another mentor. Remove that pin first."),
                code="pinned",
            )
    if existing is not None:
        existing.kind, existing.note, existing.created_by = kind, note, by
        existing.save(update_fields=["kind", "note", "created_by"])
        return existing
    return PairRule.objects.create(
        request=request, mentor=mentor, kind=kind, note=note, created_by=by
    )


@transaction.atomic
def pair_rule_delete(*, rule: PairRule) -> None:
    rule.delete()
