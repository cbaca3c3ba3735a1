"""Scoring an application, reading the reviews, and files for the committee."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import selectors
from applications.enums import DocumentStatus, RefereeStatus, ReviewState
from applications.forms import ReviewForm
from applications.services import reviews as services
from portal.errors import Refused
from portal.http import confidential_download, form_refused
from portal.permissions import allowed


def _visible_answers(application, blind: bool):
    return [
        {**question, "value": application.answers.get(str(question["id"]))}
        for question in application.questions
        if not (blind and question.get("identifying"))
    ]


def _visible_documents(application, blind: bool):
    return [
        document
        for document in application.documents.all()
        if document.status == DocumentStatus.VERIFIED and not (blind and document.kind.identifying)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request, assignment_id: int):
    assignment = selectors.assignment_get_for_reviewer(
        user=request.user, assignment_id=assignment_id
    )
    application = assignment.application
    call = application.call
    criteria = list(call.criteria.all())
    review = getattr(assignment, "review", None)
    initial = {"version": review.version if review else 1}
    if review:
        initial.update({f"c{key}": value for key, value in review.scores.items()})
        initial.update({"comment": review.comment, "recommendation": review.recommendation})
    form = ReviewForm(
        request.POST if request.method == "POST" else None, initial=initial, criteria=criteria
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                assignment=assignment,
                actor=request.user,
                version=form.cleaned_data["version"],
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                recommendation=form.cleaned_data["recommendation"],
                submit="submit" in request.POST,
            )
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(
                request,
                _("Your review is submitted.") if "submit" in request.POST else _("Draft saved."),
            )
            return redirect("applications:review", assignment.pk)
    blind = call.blind_review
    return render(
        request,
        "applications/review.html",
        {
            "assignment": assignment,
            "application": application,
            "call": call,
            "criteria": criteria,
            "form": form,
            "review": review,
            "submitted": review is not None and review.state == ReviewState.SUBMITTED,
            "blind": blind,
            "answers": _visible_answers(application, blind),
            "documents": _visible_documents(application, blind),
            "letters": [
                r for r in application.referees.all() if r.status == RefereeStatus.RECEIVED
            ],
            "others": selectors.reviews_visible_to(assignment=assignment),
        },
    )


@login_required
@require_GET
def application_reviews(request, pk: int):
    """The chair (and staff) read every review of an application and may reopen one."""
    application = selectors.application_get_for_review(user=request.user, application_id=pk)
    if not allowed(request.user, "applications.manage_call", application.call):
        raise Http404
    return render(
        request,
        "applications/application_reviews.html",
        {
            "application": application,
            "call": application.call,
            "answers": _visible_answers(application, blind=False),
            "documents": _visible_documents(application, blind=False),
            "letters": [
                r for r in application.referees.all() if r.status == RefereeStatus.RECEIVED
            ],
            "reviews": selectors.reviews_of(application=application),
            "criteria": list(application.call.criteria.all()),
        },
    )


@login_required
@require_POST
def review_reopen(request, review_id: int):
    review = selectors.review_get_for_manager(user=request.user, review_id=review_id)
    application = review.assignment.application
    services.review_reopen(review=review, actor=request.user)
    messages.success(request, _("The review is open again for its reviewer."))
    return redirect("applications:application_reviews", application.pk)


def _download_name(label: str, content_type: str) -> str:
    extension = mimetypes.guess_extension(content_type) or ""
    return f"{label}{extension}"


@login_required
@require_GET
def review_document(request, pk: int, document_id: int):
    """A document for the committee; in a blind call named by its kind only."""
    application = selectors.application_get_for_review(user=request.user, application_id=pk)
    blind = application.call.blind_review and not allowed(
        request.user, "applications.manage_call", application.call
    )
    document = next(
        (d for d in _visible_documents(application, blind) if d.pk == document_id), None
    )
    if document is None:
        raise Http404
    name = (
        _download_name(document.kind.name, document.content_type)
        if blind
        else document.original_name
    )
    return confidential_download(
        request,
        document,
        action="document.downloaded",
        key=document.key,
        filename=name,
        content_type=document.content_type,
        sha256=document.sha256,
    )


@login_required
@require_GET
def review_letter(request, pk: int, referee_id: int):
    """A referee's letter: for the committee only, never for the applicant."""
    application = selectors.application_get_for_review(user=request.user, application_id=pk)
    letters = [r for r in application.referees.all() if r.status == RefereeStatus.RECEIVED]
    index = next((i for i, r in enumerate(letters, start=1) if r.pk == referee_id), None)
    if index is None:
        raise Http404
    letter = letters[index - 1]
    return confidential_download(
        request,
        letter,
        action="letter.downloaded",
        key=letter.letter_key,
        filename=_("letter-%(number)d.pdf") % {"number": index},
        content_type="application/pdf",
        sha256=letter.letter_sha256,
    )
