"""The student's side of a decision: reading it, the award letter, accepting or declining."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from applications import selectors
from applications.forms import AwardAnswerForm
from applications.services import awards as services
from portal.http import confidential_download, refusals


def _page(request, application, *, decline_form=None, status=200):
    return render(
        request,
        "applications/award_decision.html",
        {
            "application": application,
            "call": application.call,
            "decision": application.decision,
            "open_for_answer": selectors.award_open_for_answer(application=application),
            "accept_form": AwardAnswerForm(initial={"answer": "accept"}),
            "decline_form": decline_form or AwardAnswerForm(initial={"answer": "decline"}),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def application_decision(request, pk: int):
    application = selectors.application_get_with_own_decision(user=request.user, application_id=pk)
    return _page(request, application)


@login_required
@require_POST
@refusals(lambda pk: reverse("applications:decision", args=[pk]))
def award_answer(request, pk: int):
    application = selectors.application_get_with_own_decision(user=request.user, application_id=pk)
    form = AwardAnswerForm(request.POST)
    if not form.is_valid():
        return _page(request, application, decline_form=form, status=400)
    accept = form.cleaned_data["answer"] == "accept"
    _application, changed = services.award_answer(application=application, accept=accept)
    if changed and accept:
        messages.success(request, _("You have accepted the award. Congratulations!"))
    elif changed:
        messages.success(request, _("You have declined the award. Thank you for telling us."))
    return redirect("applications:decision", pk)


@login_required
@require_GET
def award_letter(request, pk: int):
    decision = selectors.award_letter_get(user=request.user, application_id=pk)
    return confidential_download(
        request,
        decision,
        action="award_letter.downloaded",
        key=decision.letter_key,
        filename=f"award-letter-{pk}.pdf",
        content_type="application/pdf",
    )
