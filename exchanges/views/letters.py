"""Letters of a confirmed placement: the student's passport details and visa support letter,
the host school's record of attendance, and the certificate of completion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exchanges import selectors
from exchanges.forms_letters import CompletionForm, TravelDetailsForm
from exchanges.models import Placement
from exchanges.selectors.letters import completion_for, travel_details_for
from exchanges.services.completion import (
    completion_certificate_pdf,
    completion_record,
    completion_refusal,
)
from exchanges.services.letters import letter_languages, travel_details_save, visa_letter_pdf
from portal.errors import Refused
from portal.http import form_refused, refusal_response, rendered_download
from portal.permissions import allowed


def _placement(request, pk: int, perm: str) -> Placement:
    """The placement if the person sees it and `perm` allows them: else, a 404."""
    placement = selectors.placement_get_visible(user=request.user, placement_id=pk)
    if not allowed(request.user, perm, placement):
        raise Http404
    return placement


def _posted(request):
    return request.POST if request.method == "POST" else None


def _letters_url(pk: int) -> str:
    return reverse("exchanges:placement_letters", args=[pk])


def _languages(placement: Placement) -> list[dict]:
    return [
        {"code": code, "name": get_language_info(code)["name_translated"]}
        for code in letter_languages(placement.rank_list.student)
    ]


@login_required
def placement_letters(request, pk: int):
    """The student's page: passport details (a small form), the visa letter in their
    language and English, and, after the rotation, the school's evaluation and certificate."""
    placement = _placement(request, pk, "exchanges.edit_travel_details")
    travel = travel_details_for(placement=placement)
    form = TravelDetailsForm(_posted(request), initial=TravelDetailsForm.initial_from(travel))
    if request.method == "POST" and form.is_valid():
        try:
            travel_details_save(placement=placement, **form.cleaned_data)
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(request, _("Your passport details are saved."))
            return redirect(_letters_url(pk))
    return render(
        request,
        "exchanges/letters/placement_letters.html",
        {
            "placement": placement,
            "rotation": placement.rotation,
            "cycle": placement.cycle,
            "travel": travel,
            "form": form,
            "languages": _languages(placement),
            "completion": completion_for(placement=placement),
        },
        status=400 if form.is_bound else 200,
    )


def _download(request, pk: int, language: str, render_letter, action: str, name: str):
    """A letter rendered on request, after the permission check, recorded in the audit log
    as taken by this person; a refusal goes back to the letters page (or, for staff, to the
    school's placements) with its words."""
    placement = _placement(request, pk, "exchanges.download_placement_letters")
    if language not in letter_languages(placement.rank_list.student):
        raise Http404
    try:
        pdf = render_letter(placement=placement, language=language)
    except Refused as refusal:
        back = (
            _letters_url(pk)
            if placement.rank_list.student_id == request.user.pk
            else reverse(
                "exchanges:institution_placements", args=[placement.rotation.institution_id]
            )
        )
        return refusal_response(request, refusal, back)
    return rendered_download(
        request,
        placement,
        action=action,
        content=pdf,
        filename=f"{name}-{placement.pk}-{language}.pdf",
        detail={"language": language},
    )


@login_required
@require_GET
def visa_letter(request, pk: int, language: str):
    return _download(request, pk, language, visa_letter_pdf, "visa_letter.downloaded", "visa")


@login_required
@require_GET
def completion_certificate(request, pk: int, language: str):
    return _download(
        request,
        pk,
        language,
        completion_certificate_pdf,
        "completion_certificate.downloaded",
        "certificate",
    )


@login_required
def completion_edit(request, pk: int):
    """The host school records whether the student attended, and a short evaluation."""
    placement = _placement(request, pk, "exchanges.record_completion")
    completion = completion_for(placement=placement)
    form = CompletionForm(_posted(request), initial=CompletionForm.initial_from(completion))
    if request.method == "POST" and form.is_valid():
        try:
            completion_record(placement=placement, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect("exchanges:institution_placements", placement.rotation.institution_id)
    return render(
        request,
        "exchanges/letters/completion_form.html",
        {
            "placement": placement,
            "rotation": placement.rotation,
            "student": placement.rank_list.student,
            "completion": completion,
            "form": form,
            "refusal": completion_refusal(placement=placement),
        },
        status=400 if form.is_bound else 200,
    )
