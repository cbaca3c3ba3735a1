"""Who may do what with calls, applications and committees: the one place these rules live."""

import rules

from portal.permissions import is_programme_staff


@rules.predicate
def is_reviewer(user) -> bool:
    """A member of any call's committee."""
    return user.is_authenticated and user.committee_memberships.exists()


@rules.predicate
def is_chair(user) -> bool:
    return user.is_authenticated and user.committee_memberships.filter(is_chair=True).exists()


@rules.predicate
def chairs_call(user, call) -> bool:
    return user.is_authenticated and call.memberships.filter(user=user, is_chair=True).exists()


@rules.predicate
def owns_application(user, application) -> bool:
    return user.is_authenticated and application.applicant_id == user.pk


@rules.predicate
def chairs_applications_call(user, application) -> bool:
    return chairs_call(user, application.call)


@rules.predicate
def decision_is_published(user, application) -> bool:
    """The applicant hears of a decision only once the chair has published it."""
    decision = getattr(application, "decision", None)
    return decision is not None and decision.published_at is not None


@rules.predicate
def has_conflict(user, application) -> bool:
    """On the application's committee and in conflict with it: its applicant, a referee of
    it, or covered by a declared conflict (`CommitteeMembership.conflicts_with`, the one
    test). Such a member sees neither the application nor its reviews, letters and documents,
    whatever else they are (chair, reviewer, programme staff); their own application they still
    see as its applicant, through `owns_application`."""
    if not user.is_authenticated:
        return False
    membership = (
        application.call.memberships.filter(user=user)
        .select_related("user")
        .prefetch_related("conflicts")
        .first()
    )
    return membership is not None and membership.conflicts_with(application)


rules.add_perm("applications.view_reviewer_dashboard", is_reviewer)
rules.add_perm("applications.view_chair_dashboard", is_chair)
rules.add_perm("applications.manage_call", is_programme_staff | chairs_call)
rules.add_perm("applications.list_applications", is_programme_staff | chairs_call)
rules.add_perm("applications.change_application", owns_application)
rules.add_perm(
    "applications.view_application",
    owns_application | ((is_programme_staff | chairs_applications_call) & ~has_conflict),
)


@rules.predicate
def reviews_application(user, application) -> bool:
    """Assigned to review it, with no conflict with it (declared or derived)."""
    if not user.is_authenticated:
        return False
    assignment = (
        application.assignments.filter(membership__user=user)
        .select_related("membership__user")
        .prefetch_related("membership__conflicts")
        .first()
    )
    return assignment is not None and not assignment.membership.conflicts_with(application)


@rules.predicate
def holds_assignment(user, assignment) -> bool:
    """The reviewer of this assignment, with no conflict with its application (a conflict
    declared after the assignment closes it)."""
    membership = assignment.membership
    return (
        user.is_authenticated
        and membership.user_id == user.pk
        and not membership.conflicts_with(assignment.application)
    )


@rules.predicate
def is_member_of_call(user, call) -> bool:
    return user.is_authenticated and call.memberships.filter(user=user).exists()


# The committee's reading of an application, its documents, PDF and confidential letters: a
# member in conflict with it is refused, chair and staff included.
rules.add_perm(
    "applications.read_for_review",
    (reviews_application | chairs_applications_call | is_programme_staff) & ~has_conflict,
)
rules.add_perm("applications.declare_conflict", is_member_of_call)
rules.add_perm("applications.review_assignment", holds_assignment)

# The ranking board, decisions, publication and the audit trail use "applications.manage_call".
# An applicant sees and answers their own decision once it is published; the call's managers
# may also read the award letters they sent.
rules.add_perm("applications.view_own_decision", decision_is_published & owns_application)
rules.add_perm(
    "applications.download_award_letter",
    decision_is_published
    & (owns_application | ((is_programme_staff | chairs_applications_call) & ~has_conflict)),
)

# More information on a submitted application: asked by the call's staff or chair (not one in
# conflict with it), answered by its applicant.
rules.add_perm(
    "applications.request_information",
    (is_programme_staff | chairs_applications_call) & ~has_conflict,
)
rules.add_perm("applications.answer_information", owns_application)


# The second stage (applications/models/stages.py): the call's managers define it and
# shortlist ("applications.manage_call"); a member of the committee (the chair included) scores
# a shortlisted application they are not in conflict with; the applicant books their slot.
@rules.predicate
def on_applications_committee(user, application) -> bool:
    return is_member_of_call(user, application.call)


rules.add_perm("applications.score_stage", on_applications_committee & ~has_conflict)
rules.add_perm(
    "applications.read_stage_scores",
    (is_programme_staff | chairs_applications_call) & ~has_conflict,
)
rules.add_perm("applications.book_stage_slot", owns_application)
rules.add_perm("applications.view_stage_panel", is_member_of_call | is_programme_staff)


# Messages to a call's applicants are written and sent by its managers
# ("applications.manage_call"); the log of what one application received is read by its
# applicant and by the call's managers not in conflict with it.
rules.add_perm(
    "applications.view_application_messages",
    owns_application | ((is_programme_staff | chairs_applications_call) & ~has_conflict),
)

# Paying awards: the call's managers read the schedules and the finance CSV; only programme
# staff set a schedule, mark a condition met and record a payment, never on their own award.
rules.add_perm("applications.view_disbursements", is_programme_staff | chairs_call)
rules.add_perm(
    "applications.read_disbursement",
    (is_programme_staff | chairs_applications_call) & ~has_conflict,
)
rules.add_perm("applications.manage_disbursement", is_programme_staff & ~owns_application)
rules.add_perm("applications.view_own_payments", decision_is_published & owns_application)

# Setting up a call (its steps, the checklist, publishing, copying): programme staff only.
rules.add_perm("applications.setup_call", is_programme_staff)


# The committee itself (applications/views/committee.py, bids.py): the call's managers invite
# and edit members; a member edits their own expertise, languages and load cap, and a
# reviewer (not the chair, who is not assigned) bids on the call's applications.
@rules.predicate
def holds_membership(user, membership) -> bool:
    return user.is_authenticated and membership.user_id == user.pk


@rules.predicate
def chairs_memberships_call(user, membership) -> bool:
    return chairs_call(user, membership.call)


@rules.predicate
def membership_is_chair(user, membership) -> bool:
    return membership.is_chair


rules.add_perm(
    "applications.edit_membership",
    is_programme_staff | chairs_memberships_call | holds_membership,
)
rules.add_perm("applications.bid", holds_membership & ~membership_is_chair)
