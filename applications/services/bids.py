"""Bids: a committee member says, before the assignment, which applications they would like to
review; a "conflict" bid is also declared as a conflict, through the one path for those."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import BidLevel, ConflictKind
from applications.models import Assignment, Bid, CommitteeMembership
from applications.selectors.committee import biddable_applications
from applications.services.committee import conflict_declare
from portal.audit import audit_record
from portal.errors import Refused


def bids_open(*, membership: CommitteeMembership) -> bool:
    """Bids are taken until the call's assignment has been made."""
    return not Assignment.objects.filter(application__call_id=membership.call_id).exists()


def bids_save(*, membership: CommitteeMembership, levels: dict[int, str], actor) -> int:
    """Save the member's bids on some applications of their call (`levels`: application id
    to a `BidLevel`, or "" to take a bid back). Returns how many changed.

    Refused once the assignment is made, for a chair (who is not assigned), and for an
    application the member may not bid on (another call's, one not submitted, or one they are
    in conflict with)."""
    if membership.is_chair:
        raise Refused(_("The chair is not assigned applications."), code="chair")
    if not bids_open(membership=membership):
        raise Refused(_("The assignment has been made; bids are closed."), code="bids_closed")
    if any(level and level not in BidLevel.values for level in levels.values()):
        raise Refused(_("Choose one of the bids offered."), code="unknown_bid")
    open_ids = set(
        biddable_applications(membership=membership)
        .filter(pk__in=list(levels))
        .values_list("pk", flat=True)
    )
    current = {
        bid.application_id: bid
        for bid in membership.bids.select_related("application").filter(
            application_id__in=list(levels)
        )
    }
    # The same bid again on an application closed since (a conflict bid, sent twice) is
    # harmless; any other bid on it is refused.
    unchanged = {pk for pk, bid in current.items() if bid.level == levels[pk]}
    if set(levels) - open_ids - unchanged:
        raise Refused(
            _("Some of these applications are no longer open to your bids. Reload the page."),
            code="not_biddable",
        )
    changed = 0
    with transaction.atomic():
        for application_id, level in sorted(levels.items()):
            bid = current.get(application_id)
            if (bid.level if bid else "") == level:
                continue
            changed += 1
            if not level:
                bid.delete()
                continue
            if bid is None:
                bid = Bid(membership=membership, application_id=application_id)
            bid.level = level
            bid.save()
            if level == BidLevel.CONFLICT:
                conflict_declare(
                    membership=membership,
                    kind=ConflictKind.APPLICATION,
                    reason=_("Declared when bidding."),
                    declared_by=actor,
                    application=bid.application,
                )
        if changed:
            audit_record(
                actor=actor,
                action="committee.bids_saved",
                obj=membership,
                scope=f"call:{membership.call_id}",
                before=None,
                after={"changed": changed},
            )
    return changed
