"""Reads of a call's committee: its members and invitations for the managers, and the
anonymised list of applications a member bids on."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_countries import countries

from applications.enums import QuestionKind
from applications.models import (
    Application,
    Bid,
    Call,
    CommitteeInvitation,
    CommitteeMembership,
)
from applications.models.invitations import STATUS_LABELS
from applications.selectors.review import application_list_reviewable, conflicted_pairs
from portal.pagination import paginate
from portal.permissions import allowed
from portal.taxonomy import Specialty

#: Characters of an application's answers shown to a member bidding on it.
EXCERPT = 200
BIDS_PER_PAGE = 20


def expertise_labels(expertise) -> list[str]:
    """A member's expertise tags as people read them: a specialty or a country by its name in
    the reader's language, any other tag as typed."""
    specialties = dict(Specialty.choices)
    labels = []
    for tag in expertise or []:
        tag = str(tag)
        if tag in specialties:
            labels.append(str(specialties[tag]))
        elif len(tag) == 2 and tag in countries:
            labels.append(str(countries.name(tag)))
        else:
            labels.append(tag)
    return labels


def committee_members(*, call: Call) -> list[CommitteeMembership]:
    """The call's members, chairs first, with whether each joined by invitation."""
    return list(
        call.memberships.select_related("user").order_by("-is_chair", "user__full_name", "pk")
    )


def committee_invitations(*, call: Call, now) -> list[CommitteeInvitation]:
    """The call's invitations, newest first, each with its `status_label` for now."""
    invitations = list(call.invitations.select_related("invited_by", "accepted_by"))
    for invitation in invitations:
        invitation.current_status = invitation.status(now)
        invitation.status_label = STATUS_LABELS[invitation.current_status]
    return invitations


def invitation_get_in_call(*, call: Call, invitation_id: int) -> CommitteeInvitation:
    return get_object_or_404(
        CommitteeInvitation.objects.select_related("call"), pk=invitation_id, call=call
    )


def membership_get_for_editing(*, user, call_id: int, membership_id: int) -> CommitteeMembership:
    """A member's page: for the call's managers and the member themselves; 404 otherwise."""
    membership = (
        CommitteeMembership.objects.select_related("call", "user")
        .filter(pk=membership_id, call_id=call_id)
        .first()
    )
    if membership is None or not allowed(user, "applications.edit_membership", membership):
        raise Http404
    return membership


def membership_get_for_bidding(*, user, call_id: int) -> CommitteeMembership:
    """The person's own reviewer membership of the call; 404 for anyone else (a chair too:
    the chair is not assigned applications)."""
    membership = (
        CommitteeMembership.objects.select_related("call", "user")
        .filter(call_id=call_id, user=user, is_chair=False)
        .first()
    )
    if membership is None or not allowed(user, "applications.bid", membership):
        raise Http404
    return membership


def biddable_applications(*, membership: CommitteeMembership) -> QuerySet[Application]:
    """The call's applications under review that the member has no conflict with."""
    reviewable = application_list_reviewable(call=membership.call)
    conflicted = conflicted_pairs(
        applications=reviewable,
        memberships=CommitteeMembership.objects.filter(pk=membership.pk),
    )
    return reviewable.exclude(pk__in=[application_id for application_id, _m in conflicted])


@dataclass
class BidRow:
    """What a member sees of an application when bidding: nothing that names its applicant."""

    application_id: int
    country: object  # a django-countries Country, or None in a blind call
    year_of_study: int | None
    excerpt: str
    level: str


def bid_page(*, membership: CommitteeMembership, page_number) -> tuple[Page, list[BidRow]]:
    """One page of the applications the member may bid on, anonymised as a blind review is
    (no name, email, school, nor identifying answer; in a blind call no country either), with
    the member's bid on each."""
    applications = (
        biddable_applications(membership=membership)
        .select_related(None)
        .prefetch_related(None)
        .only("pk", "country", "year_of_study", "questions", "answers", "call_id")
    )
    page = paginate(applications, page_number, per_page=BIDS_PER_PAGE)
    ids = [application.pk for application in page.object_list]
    levels = dict(
        Bid.objects.filter(membership=membership, application_id__in=ids).values_list(
            "application_id", "level"
        )
    )
    blind = membership.call.blind_review
    rows = [
        BidRow(
            application_id=application.pk,
            country=None if blind else (application.country or None),
            year_of_study=application.year_of_study,
            excerpt=_excerpt(application),
            level=levels.get(application.pk, ""),
        )
        for application in page.object_list
    ]
    return page, rows


def _excerpt(application: Application) -> str:
    """The start of the application's written answers, leaving out identifying questions."""
    texts = []
    for question in application.questions or []:
        if question.get("identifying") or question.get("kind") not in {
            QuestionKind.SHORT_TEXT,
            QuestionKind.LONG_TEXT,
        }:
            continue
        value = application.answers.get(str(question["id"]))
        if isinstance(value, str) and value.strip():
            texts.append(" ".join(value.split()))
    text = " · ".join(texts)
    return text if len(text) <= EXCERPT else text[:EXCERPT].rstrip() + "…"
