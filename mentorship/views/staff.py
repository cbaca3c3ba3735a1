"""Programme staff's mentoring pages: mentors, waiting mentees, rounds, engagement, weights."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorship import pairing, selectors
from mentorship.enums import MentorStatus, PairRuleKind
from mentorship.forms import MentorChoiceForm, PairRuleForm, WeightsForm
from mentorship.models import MatchingWeights, MentorProfile
from mentorship.services import mentorships, operations, pairs, profiles, rounds
from portal.errors import Refused
from portal.http import permission_required, refusal_messages, refusal_response, refusals
from portal.operation_views import operation_started
from portal.operations import operations_under_way
from portal.pagination import paginate

CANDIDATES_SHOWN = 20


def _get(selector, **kwargs):
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _page(request, items):
    return paginate(items, request.GET.get("page"))


def _chosen_mentor(form, *, required: bool = True) -> MentorProfile | None:
    """The mentor a staff form names (an invalid or empty form names none, which only a
    proposal may have); an id that is not a mentor's is refused."""
    mentor_id = form.cleaned_data.get("mentor") if form.is_valid() else None
    mentor = selectors.mentor_find(pk=mentor_id) if mentor_id else None
    if mentor is None and (mentor_id or required):
        raise Refused(_("Choose a mentor from the list."), code="no_mentor", field="mentor")
    return mentor


def _request_url(pk: int) -> str:
    return reverse("mentorship:staff_request_detail", args=[pk])


def _round_url(pk: int) -> str:
    return reverse("mentorship:staff_round_detail", args=[pk])


# --- Mentors -----------------------------------------------------------------------------------


@permission_required("mentorship.run_mentoring")
def mentor_list(request):
    status = request.GET.get("status", "")
    if status not in MentorStatus.values:
        status = ""
    page = _page(request, selectors.mentor_list(status=status or None))
    return render(
        request,
        "mentorship/staff/mentor_list.html",
        {"page_obj": page, "status": status, "statuses": MentorStatus.choices},
    )


@permission_required("mentorship.run_mentoring")
def mentor_detail(request, pk: int):
    mentor = _get(selectors.mentor_get, pk=pk)
    page = _page(request, selectors.mentorship_list_for_mentor(profile=mentor))
    return render(
        request, "mentorship/staff/mentor_detail.html", {"mentor": mentor, "page_obj": page}
    )


@permission_required("mentorship.run_mentoring")
@require_POST
def mentor_status(request, pk: int):
    mentor = _get(selectors.mentor_get, pk=pk)
    if request.POST.get("return_to") == "list":
        listed = request.POST.get("listed", "")
        query = f"?status={listed}" if listed in MentorStatus.values else ""
        back = reverse("mentorship:staff_mentor_list") + query
    else:
        back = reverse("mentorship:staff_mentor_detail", args=[pk])
    try:
        profiles.mentor_profile_set_status(
            profile=mentor, status=request.POST.get("status", ""), by=request.user
        )
    except Refused as refusal:
        return refusal_response(request, refusal, back)
    messages.success(
        request,
        _("%(mentor)s: %(status)s.")
        % {"mentor": mentor.user, "status": mentor.get_status_display()},
    )
    return redirect(back)


# --- Waiting mentees, pins and bans, pairing by hand ---------------------------------------------


@permission_required("mentorship.run_mentoring")
def request_list(request):
    page = _page(request, selectors.request_list_waiting())
    return render(request, "mentorship/staff/request_list.html", {"page_obj": page})


@permission_required("mentorship.run_mentoring")
def request_detail(request, pk: int):
    mentee_request = _get(selectors.request_get, pk=pk)
    found = pairing.candidates(request=mentee_request, at=timezone.now())
    return render(
        request,
        "mentorship/staff/request_detail.html",
        {
            "mentee_request": mentee_request,
            "candidates": found[:CANDIDATES_SHOWN],
            "candidate_count": len(found),
            "rules": selectors.pair_rule_list(request=mentee_request),
            "context_countries": selectors.mentee_context_countries(user=mentee_request.user),
            "draft": selectors.round_draft(),
        },
    )


@permission_required("mentorship.run_mentoring")
@require_POST
@refusals(_request_url)
def request_pair(request, pk: int):
    mentee_request = _get(selectors.request_get, pk=pk)
    mentor = _chosen_mentor(MentorChoiceForm(request.POST))
    mentorship = mentorships.mentorship_pair_by_hand(
        request=mentee_request, mentor=mentor, by=request.user
    )
    messages.success(request, _("Paired. Both have been sent an introduction."))
    return redirect("mentorship:detail", pk=mentorship.pk)


@permission_required("mentorship.run_mentoring")
@require_POST
@refusals(_request_url)
def request_rule(request, pk: int):
    mentee_request = _get(selectors.request_get, pk=pk)
    form = PairRuleForm(request.POST)
    mentor = _chosen_mentor(form)
    pairs.pair_rule_set(
        request=mentee_request,
        mentor=mentor,
        kind=form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
        by=request.user,
    )
    if form.cleaned_data["kind"] == PairRuleKind.PIN:
        messages.success(request, _("Pinned: the next round will pair them."))
    else:
        messages.success(request, _("Forbidden: they will never be paired."))
    return redirect(_request_url(pk))


@permission_required("mentorship.run_mentoring")
@require_POST
def rule_delete(request, pk: int):
    rule = _get(selectors.pair_rule_get, pk=pk)
    pairs.pair_rule_delete(rule=rule)
    messages.success(request, _("Rule removed."))
    return redirect("mentorship:staff_request_detail", pk=rule.request_id)


# --- Rounds ------------------------------------------------------------------------------------


@permission_required("mentorship.run_mentoring")
def round_list(request):
    if request.method == "POST":
        return operation_started(request, operations.PREPARE, subject=operations.SUBJECT)
    page = _page(request, selectors.round_list())
    return render(
        request,
        "mentorship/staff/round_list.html",
        {
            "page_obj": page,
            "draft": selectors.round_draft(),
            "weights": MatchingWeights.load(),
            "under_way": operations_under_way(operations.SUBJECT, operations.PREPARE),
        },
    )


@permission_required("mentorship.run_mentoring")
def round_detail(request, pk: int):
    match_round = _get(selectors.round_get, pk=pk)
    unmatched = request.GET.get("unmatched") == "1"
    page = _page(request, selectors.proposal_list(match_round=match_round, unmatched=unmatched))
    return render(
        request,
        "mentorship/staff/round_detail.html",
        {"match_round": match_round, "page_obj": page, "unmatched": unmatched},
    )


@permission_required("mentorship.run_mentoring")
@require_POST
@refusals(_round_url)
def round_publish(request, pk: int):
    match_round = _get(selectors.round_get, pk=pk)
    made = rounds.round_publish(match_round=match_round, by=request.user)
    messages.success(
        request,
        ngettext(
            "Published: %(count)d mentorship. Introductions are on their way.",
            "Published: %(count)d mentorships. Introductions are on their way.",
            len(made),
        )
        % {"count": len(made)},
    )
    return redirect(_round_url(pk))


@permission_required("mentorship.run_mentoring")
@require_POST
@refusals("mentorship:staff_round_list")
def round_discard(request, pk: int):
    match_round = _get(selectors.round_get, pk=pk)
    rounds.round_discard(match_round=match_round)
    messages.success(request, _("Preview discarded."))
    return redirect("mentorship:staff_round_list")


@permission_required("mentorship.run_mentoring")
def proposal_change(request, pk: int, proposal_pk: int):
    match_round = _get(selectors.round_get, pk=pk)
    proposal = _get(selectors.proposal_get, match_round=match_round, pk=proposal_pk)
    if not match_round.is_draft:
        raise Http404
    if request.method == "POST":
        try:
            mentor = _chosen_mentor(MentorChoiceForm(request.POST), required=False)
            rounds.round_proposal_change(proposal=proposal, mentor=mentor)
        except Refused as refusal:
            refusal_messages(request, refusal)
        else:
            messages.success(request, _("Proposal changed."))
            return redirect(_round_url(pk))
    found = pairing.candidates(request=proposal.request, at=timezone.now(), match_round=match_round)
    return render(
        request,
        "mentorship/staff/proposal_form.html",
        {
            "match_round": match_round,
            "proposal": proposal,
            "candidates": found[:CANDIDATES_SHOWN],
            "candidate_count": len(found),
        },
    )


# --- Engagement and weights ----------------------------------------------------------------------


@permission_required("mentorship.run_mentoring")
def mentorship_list(request):
    quiet = request.GET.get("quiet") == "1"
    page = _page(request, selectors.mentorship_engagement_list(quiet=quiet))
    return render(
        request,
        "mentorship/staff/mentorship_list.html",
        {"page_obj": page, "quiet": quiet, "days": selectors.ENGAGEMENT_DAYS},
    )


@permission_required("mentorship.run_mentoring")
def weights_edit(request):
    weights = MatchingWeights.load()
    form = WeightsForm(request.POST or None, instance=weights)
    if request.method == "POST" and form.is_valid():
        rounds.weights_update(weights=weights, by=request.user, **form.cleaned_data)
        messages.success(request, _("Weights saved. They apply from the next round."))
        return redirect("mentorship:staff_round_list")
    return render(request, "mentorship/staff/weights_form.html", {"form": form})
