"""Programme staff's mentoring pages: mentors, waiting mentees, rounds, engagement, weights."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
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
from mentorship.models import MatchingWeights, MentorProfile, PairRule
from mentorship.services import mentorships, pairs, profiles, rounds
from mentorship.views.common import error_text, paginate, staff_required

CANDIDATES_SHOWN = 20


def _get(selector, **kwargs):
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _approved_mentor(form) -> MentorProfile | None:
    mentor_id = form.cleaned_data.get("mentor")
    if not mentor_id:
        return None
    mentor = MentorProfile.objects.filter(pk=mentor_id).select_related("user").first()
    if mentor is None:
        raise ValidationError(_("Choose a mentor from the list."))
    return mentor


# --- Mentors -----------------------------------------------------------------------------------


@staff_required
def mentor_list(request):
    status = request.GET.get("status", "")
    if status not in MentorStatus.values:
        status = ""
    page = paginate(request, selectors.mentor_list(status=status or None))
    return render(
        request,
        "mentorship/staff/mentor_list.html",
        {"page_obj": page, "status": status, "statuses": MentorStatus.choices},
    )


@staff_required
def mentor_detail(request, pk: int):
    mentor = _get(selectors.mentor_get, pk=pk)
    page = paginate(request, selectors.mentorship_list_for_mentor(profile=mentor))
    return render(
        request, "mentorship/staff/mentor_detail.html", {"mentor": mentor, "page_obj": page}
    )


@staff_required
@require_POST
def mentor_status(request, pk: int):
    mentor = _get(selectors.mentor_get, pk=pk)
    try:
        profiles.mentor_profile_set_status(
            profile=mentor, status=request.POST.get("status", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(mentor)s: %(status)s.")
            % {"mentor": mentor.user, "status": mentor.get_status_display()},
        )
    if request.POST.get("return_to") == "list":
        listed = request.POST.get("listed", "")
        query = f"?status={listed}" if listed in MentorStatus.values else ""
        return redirect(reverse("mentorship:staff_mentor_list") + query)
    return redirect("mentorship:staff_mentor_detail", pk=pk)


# --- Waiting mentees, pins and bans, pairing by hand ---------------------------------------------


@staff_required
def request_list(request):
    page = paginate(request, selectors.request_list_waiting())
    return render(request, "mentorship/staff/request_list.html", {"page_obj": page})


@staff_required
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


@staff_required
@require_POST
def request_pair(request, pk: int):
    mentee_request = _get(selectors.request_get, pk=pk)
    form = MentorChoiceForm(request.POST)
    try:
        mentor = _approved_mentor(form) if form.is_valid() else None
        if mentor is None:
            raise ValidationError(_("Choose a mentor from the list."))
        mentorship = mentorships.mentorship_pair_by_hand(
            request=mentee_request, mentor=mentor, by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("mentorship:staff_request_detail", pk=pk)
    messages.success(request, _("Paired. Both have been sent an introduction."))
    return redirect("mentorship:detail", pk=mentorship.pk)


@staff_required
@require_POST
def request_rule(request, pk: int):
    mentee_request = _get(selectors.request_get, pk=pk)
    form = PairRuleForm(request.POST)
    try:
        mentor = _approved_mentor(form) if form.is_valid() else None
        if mentor is None:
            raise ValidationError(_("Choose a mentor from the list."))
        pairs.pair_rule_set(
            request=mentee_request,
            mentor=mentor,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if form.cleaned_data["kind"] == PairRuleKind.PIN:
            messages.success(request, _("Pinned: the next round will pair them."))
        else:
            messages.success(request, _("Forbidden: they will never be paired."))
    return redirect("mentorship:staff_request_detail", pk=pk)


@staff_required
@require_POST
def rule_delete(request, pk: int):
    rule = PairRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    pairs.pair_rule_delete(rule=rule)
    messages.success(request, _("Rule removed."))
    return redirect("mentorship:staff_request_detail", pk=rule.request_id)


# --- Rounds ------------------------------------------------------------------------------------


@staff_required
def round_list(request):
    if request.method == "POST":
        match_round = rounds.round_prepare(by=request.user)
        messages.success(request, _("Preview ready. Check it, adjust it, then publish it."))
        return redirect("mentorship:staff_round_detail", pk=match_round.pk)
    page = paginate(request, selectors.round_list())
    return render(
        request,
        "mentorship/staff/round_list.html",
        {
            "page_obj": page,
            "draft": selectors.round_draft(),
            "weights": MatchingWeights.load(),
        },
    )


@staff_required
def round_detail(request, pk: int):
    match_round = _get(selectors.round_get, pk=pk)
    unmatched = request.GET.get("unmatched") == "1"
    page = paginate(request, selectors.proposal_list(match_round=match_round, unmatched=unmatched))
    return render(
        request,
        "mentorship/staff/round_detail.html",
        {"match_round": match_round, "page_obj": page, "unmatched": unmatched},
    )


@staff_required
@require_POST
def round_publish(request, pk: int):
    match_round = _get(selectors.round_get, pk=pk)
    try:
        made = rounds.round_publish(match_round=match_round, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Published: %(count)d mentorship. Introductions are on their way.",
                "Published: %(count)d mentorships. Introductions are on their way.",
                len(made),
            )
            % {"count": len(made)},
        )
    return redirect("mentorship:staff_round_detail", pk=pk)


@staff_required
@require_POST
def round_discard(request, pk: int):
    match_round = _get(selectors.round_get, pk=pk)
    try:
        rounds.round_discard(match_round=match_round)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Preview discarded."))
    return redirect("mentorship:staff_round_list")


@staff_required
def proposal_change(request, pk: int, proposal_pk: int):
    match_round = _get(selectors.round_get, pk=pk)
    proposal = _get(selectors.proposal_get, match_round=match_round, pk=proposal_pk)
    if not match_round.is_draft:
        raise Http404
    if request.method == "POST":
        form = MentorChoiceForm(request.POST)
        try:
            mentor = _approved_mentor(form) if form.is_valid() else None
            rounds.round_proposal_change(proposal=proposal, mentor=mentor)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Proposal changed."))
            return redirect("mentorship:staff_round_detail", pk=pk)
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


@staff_required
def mentorship_list(request):
    quiet = request.GET.get("quiet") == "1"
    page = paginate(request, selectors.mentorship_engagement_list(quiet=quiet))
    return render(
        request,
        "mentorship/staff/mentorship_list.html",
        {"page_obj": page, "quiet": quiet, "days": selectors.ENGAGEMENT_DAYS},
    )


@staff_required
def weights_edit(request):
    weights = MatchingWeights.load()
    form = WeightsForm(request.POST or None, instance=weights)
    if request.method == "POST" and form.is_valid():
        rounds.weights_update(weights=weights, by=request.user, **form.cleaned_data)
        messages.success(request, _("Weights saved. They apply from the next round."))
        return redirect("mentorship:staff_round_list")
    return render(request, "mentorship/staff/weights_form.html", {"form": form})
