"""Reads of mentoring, each already filtered to what its reader may see."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship.enums import MentorshipStatus, MentorStatus, RequestStatus, RoundStatus
from mentorship.models import (
    CheckIn,
    MatchProposal,
    MatchRound,
    MenteeRequest,
    MentorProfile,
    Mentorship,
    PairRule,
)
from mentorship.rules import mentorship_q
from portal import programme_context as context
from portal.permissions import STAFF_GROUP, allowed

#: Engagement is counted over this window; a mentorship older than QUIET_AFTER without a
#: check-in in the window is "quiet" and worth a word from staff.
ENGAGEMENT_DAYS = 30
QUIET_AFTER = timedelta(days=14)


def mentor_profile_for_user(*, user) -> MentorProfile | None:
    return MentorProfile.objects.filter(user=user).first()


def mentee_request_current(*, user) -> MenteeRequest | None:
    """The request waiting or matched, else the latest one (withdrawn or closed), else None."""
    requests = MenteeRequest.objects.filter(user=user)
    current = requests.filter(status__in=RequestStatus.current()).first()
    return current or requests.order_by("-created_at", "-pk").first()


def mentee_context_countries(*, user) -> list[str]:
    """Countries of the student's scholarship or placement, from the apps that know them
    (``portal.programme_context``); empty until an app registers a provider."""
    return context.context_countries([user.pk]).get(user.pk, [])


def with_engagement(
    mentorships: QuerySet[Mentorship], *, now: datetime | None = None
) -> QuerySet[Mentorship]:
    since = (now or timezone.now()).date() - timedelta(days=ENGAGEMENT_DAYS)
    return mentorships.annotate(
        recent_check_ins=Count("check_ins", filter=Q(check_ins__held_on__gte=since)),
        last_check_in=Max("check_ins__held_on"),
    )


def mentorship_visible(*, user) -> QuerySet[Mentorship]:
    """The mentorships this person may open: their own, or all for programme staff."""
    return Mentorship.objects.filter(mentorship_q(user)).select_related(
        "mentee", "mentor__user", "match_round"
    )


def mentorship_list_for_mentor(*, profile: MentorProfile) -> QuerySet[Mentorship]:
    mentorships = Mentorship.objects.filter(mentor=profile).select_related("mentee", "request")
    return with_engagement(mentorships).order_by("status", "-started_at", "-pk")


def mentorship_list_for_mentee(*, user) -> QuerySet[Mentorship]:
    mentorships = Mentorship.objects.filter(mentee=user).select_related("mentor__user")
    return with_engagement(mentorships).order_by("status", "-started_at", "-pk")


def check_in_list(*, mentorship: Mentorship) -> QuerySet[CheckIn]:
    return mentorship.check_ins.select_related("author").order_by("-held_on", "-pk")


# --- Programme staff ---------------------------------------------------------------------------


def mentor_list(*, status: str | None = None) -> QuerySet[MentorProfile]:
    mentors = MentorProfile.objects.select_related("user").annotate(
        active=Count("mentorships", filter=Q(mentorships__status=MentorshipStatus.ACTIVE))
    )
    if status:
        mentors = mentors.filter(status=status)
    return mentors.order_by("-created_at", "pk")


def mentor_get(*, pk: int) -> MentorProfile:
    return mentor_list().get(pk=pk)


def mentor_find(*, pk: int) -> MentorProfile | None:
    """A mentor picked by id on a staff form, whatever their status (services check it)."""
    return MentorProfile.objects.filter(pk=pk).select_related("user").first()


def request_list_waiting() -> QuerySet[MenteeRequest]:
    """Waiting mentees, those whose mentor left first (staff re-pair them), then oldest."""
    return (
        MenteeRequest.objects.filter(status=RequestStatus.OPEN)
        .select_related("user")
        .order_by(F("needs_new_mentor_since").asc(nulls_last=True), "created_at", "pk")
    )


def request_get(*, pk: int) -> MenteeRequest:
    return MenteeRequest.objects.select_related("user").get(pk=pk)


def pair_rule_list(*, request: MenteeRequest) -> QuerySet[PairRule]:
    return request.pair_rules.select_related("mentor__user").order_by("kind", "created_at")


def pair_rule_get(*, pk: int) -> PairRule:
    return PairRule.objects.get(pk=pk)


def round_list() -> QuerySet[MatchRound]:
    return MatchRound.objects.select_related("created_by", "published_by").order_by(
        "-created_at", "-pk"
    )


def round_get(*, pk: int) -> MatchRound:
    return round_list().get(pk=pk)


def round_draft() -> MatchRound | None:
    return MatchRound.objects.filter(status=RoundStatus.DRAFT).order_by("-pk").first()


def proposal_list(*, match_round: MatchRound, unmatched: bool = False) -> QuerySet[MatchProposal]:
    proposals = match_round.proposals.select_related("request__user", "mentor__user")
    if unmatched:
        proposals = proposals.filter(mentor__isnull=True)
    return proposals.order_by("pk")


def proposal_get(*, match_round: MatchRound, pk: int) -> MatchProposal:
    return proposal_list(match_round=match_round).get(pk=pk)


def mentorship_engagement_list(
    *, quiet: bool = False, now: datetime | None = None
) -> QuerySet[Mentorship]:
    """Active mentorships with their check-ins of the last 30 days, quietest first."""
    now = now or timezone.now()
    mentorships = with_engagement(
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE).select_related(
            "mentee", "mentor__user"
        ),
        now=now,
    )
    if quiet:
        mentorships = mentorships.filter(recent_check_ins=0, started_at__lte=now - QUIET_AFTER)
    return mentorships.order_by("recent_check_ins", "started_at", "pk")


def staff_summary() -> list[tuple]:
    mentors = MentorProfile.objects.aggregate(
        approved=Count("pk", filter=Q(status=MentorStatus.APPROVED)),
        pending=Count("pk", filter=Q(status=MentorStatus.PENDING)),
    )
    waiting = MenteeRequest.objects.filter(status=RequestStatus.OPEN).count()
    active = Mentorship.objects.filter(status=MentorshipStatus.ACTIVE).count()
    quiet = mentorship_engagement_list(quiet=True).count()
    return [
        (_("Approved mentors"), mentors["approved"], None),
        (
            _("Mentors awaiting approval"),
            mentors["pending"],
            reverse("mentorship:staff_mentor_list") + "?status=pending",
        ),
        (_("Mentees waiting for a mentor"), waiting, reverse("mentorship:staff_request_list")),
        (_("Active mentorships"), active, reverse("mentorship:staff_mentorship_list")),
        (
            _("Quiet mentorships (no check-in in 30 days)"),
            quiet,
            reverse("mentorship:staff_mentorship_list") + "?quiet=1",
        ),
        (_("Match rounds"), MatchRound.objects.count(), reverse("mentorship:staff_round_list")),
    ]


# --- Quiet spells, coordinators and the daily digest -------------------------------------------


def mentorship_quiet_list(*, now: datetime, quiet_for: timedelta) -> QuerySet[Mentorship]:
    """Active mentorships in which nothing was logged for `quiet_for`.

    A quiet spell starts at the mentorship's start or at the latest check-in *logged* (its
    `created_at`: a check-in written today about an older conversation is news too), so each
    one has `quiet_since` and `last_check_in_id` (None: no check-in yet), which names the spell.
    """
    latest = CheckIn.objects.filter(mentorship=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE)
        .annotate(
            last_check_in_id=Subquery(latest.values("pk")[:1]),
            quiet_since=Greatest(
                "started_at", Coalesce(Subquery(latest.values("created_at")[:1]), "started_at")
            ),
        )
        .filter(quiet_since__lte=now - quiet_for)
        .select_related("mentee", "mentor__user")
        .order_by("quiet_since", "pk")
    )


def coordinator_list() -> list:
    """The mentoring coordinators: active programme staff whom the rules let run mentoring."""
    staff = get_user_model().objects.filter(groups__name=STAFF_GROUP, is_active=True)
    return [
        user
        for user in staff.distinct().order_by("pk")
        if allowed(user, "mentorship.run_mentoring")
    ]


def digest_recipients(now: datetime) -> list[int]:
    """Who reads mentoring's section of the daily digest (`portal.digest.Section`)."""
    return [user.pk for user in coordinator_list()]


def digest_lines(user, now: datetime) -> list[tuple[str, str]]:
    """What waits for a coordinator: mentors to approve, mentees to pair, quiet mentorships.

    Positional arguments: `portal.digest` calls it so; the counts match the pages linked.
    """
    if not allowed(user, "mentorship.run_mentoring"):
        return []
    pending = MentorProfile.objects.filter(status=MentorStatus.PENDING).count()
    waiting = MenteeRequest.objects.filter(status=RequestStatus.OPEN).count()
    quiet = mentorship_engagement_list(quiet=True, now=now).count()
    lines = []
    if pending:
        lines.append(
            (
                ngettext(
                    "%(count)s mentor awaits approval", "%(count)s mentors await approval", pending
                )
                % {"count": pending},
                reverse("mentorship:staff_mentor_list") + "?status=pending",
            )
        )
    if waiting:
        lines.append(
            (
                ngettext(
                    "%(count)s mentee waits for a mentor",
                    "%(count)s mentees wait for a mentor",
                    waiting,
                )
                % {"count": waiting},
                reverse("mentorship:staff_request_list"),
            )
        )
    if quiet:
        lines.append(
            (
                ngettext(
                    "%(count)s mentorship without a check-in in %(days)s days",
                    "%(count)s mentorships without a check-in in %(days)s days",
                    quiet,
                )
                % {"count": quiet, "days": ENGAGEMENT_DAYS},
                reverse("mentorship:staff_mentorship_list") + "?quiet=1",
            )
        )
    return lines
