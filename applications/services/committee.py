"""The committee's work before scoring: conflicts of interest and the reviewer assignment."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from applications.algorithms.assignment import assign_reviewers
from applications.enums import ApplicationState, ConflictKind, ReviewState
from applications.models import (
    Application,
    Assignment,
    Call,
    CommitteeMembership,
    ConflictDeclaration,
)
from applications.selectors.review import (
    application_list_reviewable,
    conflicted_pairs,
    membership_list_reviewers,
)
from applications.services.affinity import (  # noqa: F401 - `affinity`: see below
    affinity,
    affinity_matrix,
    bid_affinities,
)
from portal.audit import audit_record
from portal.emails import email_send
from portal.errors import Refused
from portal.operations import progress_none

# `affinity` scores one pair: still importable from here, the reference that
# `affinity_matrix`, which the assignment uses, is tested against.

# Why a reviewer may not take an application, by `CommitteeMembership.conflict_with`.
CONFLICT_MESSAGES = {
    "declared": _lazy("%(name)s has declared a conflict with this application."),
    "applicant": _lazy("%(name)s is the applicant of this application."),
    "referee": _lazy("%(name)s is a referee of this application."),
}

# A pair that must survive a re-run (its review is submitted) outweighs every ordinary affinity.
FIXED_AFFINITY = 1_000_000


def conflict_declare(
    *,
    membership: CommitteeMembership,
    kind: str,
    reason: str,
    declared_by,
    application: Application | None = None,
    institution: str = "",
    country: str = "",
    person_email: str = "",
) -> ConflictDeclaration:
    """Record a conflict declared by the member (or by the chair for them).

    A person is named by email: the applicant's account when one has it, and the email itself,
    so that an application made later from that account or address is covered too."""
    person_email = person_email.strip()
    if kind == ConflictKind.APPLICATION and (
        application is None or application.call_id != membership.call_id
    ):
        raise Refused(
            _("Choose an application of this call."), code="other_call", field="application"
        )
    if kind == ConflictKind.INSTITUTION and not institution.strip():
        raise Refused(_("Name the institution."), code="no_institution", field="institution")
    if kind == ConflictKind.COUNTRY and not country:
        raise Refused(_("Choose the country."), code="no_country", field="country")
    if kind == ConflictKind.PERSON and not person_email:
        raise Refused(_("Give the person's email address."), code="no_person", field="person_email")
    person = (
        get_user_model().objects.filter(email__iexact=person_email).first()
        if kind == ConflictKind.PERSON
        else None
    )
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            membership=membership,
            kind=kind,
            application=application if kind == ConflictKind.APPLICATION else None,
            institution=institution.strip() if kind == ConflictKind.INSTITUTION else "",
            country=country if kind == ConflictKind.COUNTRY else "",
            person=person,
            person_email=person_email if kind == ConflictKind.PERSON else "",
            reason=reason,
            declared_by=declared_by,
        )
        audit_record(
            actor=declared_by,
            action="conflict.declared",
            obj=declaration,
            scope=f"call:{membership.call_id}",
            before=None,
            after={
                "reviewer": str(membership.user),
                "kind": kind,
                "reason": reason,
                "application": getattr(application, "pk", None),
                "institution": institution,
                "country": str(country),
                "person": person_email if kind == ConflictKind.PERSON else "",
            },
        )
    return declaration


def reviewers_assign(*, call: Call, actor, progress=progress_none) -> dict[int, list[int]]:
    """Assign every submitted application to `reviewers_per_application` reviewers, optimally.

    Assignments whose review is submitted stay fixed; the others may move (a late conflict).
    No pair `CommitteeMembership.conflicts_with` is ever proposed (a declared conflict, the
    member's own application, one they are a referee of). Refused (`no_assignment`) with the
    solver's explanation when the conflicts leave no assignment.

    Each member's `load_cap` bounds their load (the loads are then as even as the caps
    allow), and their bids weigh in (`affinity.bid_affinities`): a pair bid "unwilling" is
    left out as a conflict is, unless that leaves no assignment; then it is only a strongly
    negative affinity. Each member given new applications is emailed once it is saved.

    Built for a national call (tens of thousands of applications): the conflicts, the
    affinities and the current assignments are read as columns in a few queries and scored
    in bulk (`selectors.review.conflicted_pairs`, `affinity.affinity_matrix`), and the
    changes are written in a few statements. Run as an operation (`portal.operations`), it
    reports its stages through `progress`.
    """
    progress("reading")
    reviewable = application_list_reviewable(call=call)
    members = membership_list_reviewers(call=call)
    application_ids, weights = affinity_matrix(applications=reviewable, members=members)
    if not application_ids:
        raise Refused(_("There are no submitted applications to assign."), code="nothing_to_assign")
    member_ids = [m.pk for m in members]
    existing = {
        (application_id, membership_id): pk
        for pk, application_id, membership_id in Assignment.objects.filter(
            application__call=call
        ).values_list("pk", "application_id", "membership_id")
    }
    fixed = set(
        Assignment.objects.filter(
            application__call=call, review__state=ReviewState.SUBMITTED
        ).values_list("application_id", "membership_id")
    )
    conflicts = (
        conflicted_pairs(
            applications=reviewable, memberships=call.memberships.filter(pk__in=member_ids)
        )
        - fixed
    )
    points, bid_conflicts, unwilling = bid_affinities(
        application_ids=application_ids, member_ids=member_ids
    )
    weights = weights + points
    conflicts |= bid_conflicts - fixed
    row = {pk: i for i, pk in enumerate(application_ids)}
    column = {pk: j for j, pk in enumerate(member_ids)}
    for application_id, membership_id in fixed:
        if application_id in row and membership_id in column:
            weights[row[application_id], column[membership_id]] = FIXED_AFFINITY
    caps = {m.pk: m.load_cap for m in members if m.load_cap is not None}
    progress("solving")

    def solve(forbidden):
        return assign_reviewers(
            application_ids,
            member_ids,
            call.reviewers_per_application,
            conflicts=forbidden,
            affinity=weights,
            capacities=caps,
        )

    try:
        try:
            result = solve(conflicts | (unwilling - fixed))
        except ValueError:
            if not unwilling - fixed:
                raise
            result = solve(conflicts)  # too few willing reviewers: "unwilling" is a weight
    except ValueError as error:
        raise Refused(
            _("No assignment is possible: %(reason)s")
            % {"reason": _humane(str(error), application_ids, members)},
            code="no_assignment",
        ) from error
    chosen = {(app, member) for app, reviewers in result.items() for member in reviewers}
    if (
        not fixed <= chosen
    ):  # pragma: no cover - the fixed weight makes this unreachable when feasible
        raise Refused(
            _("A submitted review could not be kept; ask for help."), code="review_not_kept"
        )
    new = sorted(chosen - set(existing))
    progress("saving")
    with transaction.atomic():
        Assignment.objects.filter(
            pk__in=[pk for pair, pk in existing.items() if pair not in chosen]
        ).delete()
        Assignment.objects.bulk_create(
            [Assignment(application_id=app, membership_id=member) for app, member in new],
            batch_size=2000,
        )
        for start in range(0, len(application_ids), _UPDATE_BATCH):
            Application.objects.filter(
                pk__in=application_ids[start : start + _UPDATE_BATCH]
            ).exclude(state=ApplicationState.UNDER_REVIEW).update(
                state=ApplicationState.UNDER_REVIEW
            )
        audit_record(
            actor=actor,
            action="assignment.run",
            obj=call,
            scope=f"call:{call.pk}",
            before={"assignments": len(existing)},
            after={
                "assignments": len(chosen),
                "kept": len(fixed),
                "total_affinity": _total(weights, row, column, chosen - fixed),
            },
        )
    assignment_notify(call=call, members=members, new=new)
    return result


def assignment_notify(*, call: Call, members: list[CommitteeMembership], new) -> int:
    """Email each member given new applications how many they now have, with a link to their
    reviewing page: one email per member and run, sent after the assignment is saved."""
    gained = {member for _application, member in new}
    loads: dict[int, int] = {}
    for membership_id in Assignment.objects.filter(
        application__call=call, membership_id__in=gained
    ).values_list("membership_id", flat=True):
        loads[membership_id] = loads.get(membership_id, 0) + 1
    sent = 0
    for member in members:
        if member.pk in gained:
            sent += email_send(
                to=[member.user.email],
                template="committee_assigned",
                context={"name": member.user.salutation, "call": call, "count": loads[member.pk]},
                user=member.user,
            )
    return sent


# Applications whose state one UPDATE changes: a bounded list of ids per statement.
_UPDATE_BATCH = 5000


def _total(weights, row: dict[int, int], column: dict[int, int], pairs) -> int:
    rows = [row[app] for app, _member in pairs]
    columns = [column[member] for _app, member in pairs]
    return int(weights[rows, columns].sum())


def _humane(message: str, application_ids: list[int], members: list) -> str:
    """The solver names ids; the chair reads names."""
    names = {repr(m.pk): str(m.user) for m in members}
    for pk in application_ids:
        if f"application {pk!r}" in message:
            label = _("application #%(id)s") % {"id": pk}
            message = message.replace(f"application {pk!r}", label)
    for key, name in names.items():
        message = message.replace(f"reviewer {key}", f"{name}")
    return message


def assignment_swap(
    *, assignment: Assignment, membership: CommitteeMembership, actor
) -> Assignment:
    """Give one application another reviewer; conflicts are still refused."""
    application = assignment.application
    if membership.call_id != application.call_id or membership.is_chair:
        raise Refused(_("Choose a reviewer of this call's committee."), code="not_a_reviewer")
    if hasattr(assignment, "review") and assignment.review.state == ReviewState.SUBMITTED:
        raise Refused(
            _("This review is submitted; reopen it before moving it."), code="review_submitted"
        )
    reason = membership.conflict_with(application)
    if reason is not None:
        raise Refused(CONFLICT_MESSAGES[reason] % {"name": membership.user}, code="conflict")
    if Assignment.objects.filter(application=application, membership=membership).exists():
        raise Refused(
            _("%(name)s already reviews this application.") % {"name": membership.user},
            code="already_assigned",
        )
    with transaction.atomic():
        before = {"reviewer": str(assignment.membership.user)}
        assignment.delete()
        replacement = Assignment.objects.create(application=application, membership=membership)
        audit_record(
            actor=actor,
            action="assignment.swapped",
            obj=replacement,
            scope=f"call:{application.call_id}",
            before=before,
            after={"reviewer": str(membership.user), "application": application.pk},
        )
    return replacement
