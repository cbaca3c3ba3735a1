"""The committee's work before scoring: conflicts of interest and the reviewer assignment."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from applications.algorithms.assignment import assign_reviewers
from applications.enums import ApplicationState, ConflictKind, QuestionKind, ReviewState
from applications.models import (
    Application,
    Assignment,
    Call,
    CommitteeMembership,
    ConflictDeclaration,
)
from applications.selectors.review import application_list_reviewable, membership_list_reviewers
from portal.audit import audit_record
from portal.errors import Refused

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


def affinity(membership: CommitteeMembership, application: Application) -> int:
    """How well a reviewer suits an application, from 0 upward.

    2 points per expertise tag of the reviewer that names the application's country (code or
    name), medical school, or an answer to one of its choice questions (for example the
    specialty the student intends to train in), compared without case; 3 points when the
    reviewer reads the applicant's language (the language the applicant uses the portal in).
    """
    tags = {tag.strip().casefold() for tag in membership.expertise or [] if str(tag).strip()}
    facts = {application.institution.strip().casefold()} if application.institution else set()
    if application.country:
        facts |= {application.country.code.casefold(), str(application.country.name).casefold()}
    for question in application.questions:
        if question["kind"] in QuestionKind.with_choices():
            value = application.answers.get(str(question["id"]))
            values = value if isinstance(value, list) else [value]
            facts |= {str(v).casefold() for v in values if v}
    score = 2 * len(tags & facts)
    language = (application.applicant.preferred_language or "").casefold()
    if language and language in {str(code).casefold() for code in membership.languages or []}:
        score += 3
    return score


def reviewers_assign(*, call: Call, actor) -> dict[int, list[int]]:
    """Assign every submitted application to `reviewers_per_application` reviewers, optimally.

    Assignments whose review is submitted stay fixed; the others may move (a late conflict).
    No pair `CommitteeMembership.conflicts_with` is ever proposed (a declared conflict, the
    member's own application, one they are a referee of). Refused (`no_assignment`) with the
    solver's explanation when the conflicts leave no assignment.
    """
    applications = list(application_list_reviewable(call=call))
    members = membership_list_reviewers(call=call)
    if not applications:
        raise Refused(_("There are no submitted applications to assign."), code="nothing_to_assign")
    existing = {
        (a.application_id, a.membership_id): a
        for a in Assignment.objects.filter(application__call=call).select_related("review")
    }
    fixed = {
        pair
        for pair, a in existing.items()
        if hasattr(a, "review") and a.review.state == ReviewState.SUBMITTED
    }
    conflicts = {
        (application.pk, member.pk)
        for application in applications
        for member in members
        if member.conflicts_with(application) and (application.pk, member.pk) not in fixed
    }
    scores = {
        (application.pk, member.pk): FIXED_AFFINITY
        if (application.pk, member.pk) in fixed
        else affinity(member, application)
        for application in applications
        for member in members
    }
    labels = {
        application.pk: _("application #%(id)s") % {"id": application.pk}
        for application in applications
    }
    try:
        result = assign_reviewers(
            [a.pk for a in applications],
            [m.pk for m in members],
            call.reviewers_per_application,
            conflicts=conflicts,
            affinity=scores,
        )
    except ValueError as error:
        raise Refused(
            _("No assignment is possible: %(reason)s")
            % {"reason": _humane(str(error), labels, members)},
            code="no_assignment",
        ) from error
    chosen = {(app, member) for app, reviewers in result.items() for member in reviewers}
    if (
        not fixed <= chosen
    ):  # pragma: no cover - the fixed weight makes this unreachable when feasible
        raise Refused(
            _("A submitted review could not be kept; ask for help."), code="review_not_kept"
        )
    with transaction.atomic():
        for pair, assignment in existing.items():
            if pair not in chosen:
                assignment.delete()
        Assignment.objects.bulk_create(
            [
                Assignment(application_id=app, membership_id=member)
                for app, member in sorted(chosen - set(existing))
            ]
        )
        Application.objects.filter(pk__in=[a.pk for a in applications]).update(
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
                "total_affinity": sum(scores[pair] for pair in chosen if pair not in fixed),
            },
        )
    return result


def _humane(message: str, labels: dict, members: list) -> str:
    """The solver names ids; the chair reads names."""
    names = {repr(m.pk): str(m.user) for m in members}
    for pk, label in labels.items():
        message = message.replace(f"application {pk!r}", str(label))
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
