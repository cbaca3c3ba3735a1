"""The student's side of a decision: reading it, the award letter, accepting or declining."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from applications import selectors_board
from applications.enums import ApplicationState
from applications.services import decisions as services
from applications.services.errors import ApplicationError
from portal import storage


class AwardAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", gettext_lazy("Accept")), ("decline", gettext_lazy("Decline"))],
        widget=forms.HiddenInput,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that declining cannot be undone."), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "decline" and not data.get("confirm"):
            self.add_error("confirm", _("Tick this box to decline the award."))
        return data


def _page(request, application, *, decline_form=None, status=200):
    decision = application.decision
    call = application.call
    open_for_answer = (
        application.state == ApplicationState.AWARDED
        and decision.respond_by is not None
        and timezone.localdate(timezone.now(), call.zone) <= decision.respond_by
    )
    return render(
        request,
        "applications/award_decision.html",
        {
            "application": application,
            "call": call,
            "decision": decision,
            "open_for_answer": open_for_answer,
            "accept_form": AwardAnswerForm(initial={"answer": "accept"}),
            "decline_form": decline_form or AwardAnswerForm(initial={"answer": "decline"}),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def application_decision(request, pk: int):
    application = selectors_board.application_get_with_own_decision(
        user=request.user, application_id=pk
    )
    return _page(request, application)


@login_required
@require_POST
def award_answer(request, pk: int):
    application = selectors_board.application_get_with_own_decision(
        user=request.user, application_id=pk
    )
    form = AwardAnswerForm(request.POST)
    if not form.is_valid():
        return _page(request, application, decline_form=form, status=400)
    accept = form.cleaned_data["answer"] == "accept"
    try:
        _application, changed = services.award_answer(application=application, accept=accept)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        if changed and accept:
            messages.success(request, _("You have accepted the award. Congratulations!"))
        elif changed:
            messages.success(request, _("You have declined the award. Thank you for telling us."))
    return redirect("applications:decision", pk)


@login_required
@require_GET
def award_letter(request, pk: int):
    decision = selectors_board.award_letter_get(user=request.user, application_id=pk)
    return redirect(
        storage.download_url(
            key=decision.letter_key,
            filename=f"award-letter-{pk}.pdf",
            content_type="application/pdf",
        )
    )
