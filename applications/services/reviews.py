"""Scoring: a reviewer's draft and submitted review, and the chair's reopening of one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ReviewState
from applications.models import Assignment, Review
from applications.services.applications import stale_refusal
from applications.services.board import board_mark_dirty
from portal.audit import audit_record
from portal.errors import Refused


def _snapshot(review: Review) -> dict:
    return {
        "scores": dict(review.scores),
        "comment": review.comment,
        "recommendation": review.recommendation,
        "state": review.state,
    }


def review_save(
    *,
    assignment: Assignment,
    actor,
    version: int,
    scores: dict[str, int | None],
    comment: str,
    recommendation: str,
    submit: bool,
) -> Review:
    """Save a draft, or submit when every criterion is scored and a recommendation given."""
    criteria = list(assignment.application.call.criteria.all())
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
        if review.state == ReviewState.SUBMITTED:
            raise Refused(
                _("This review is submitted; only the chair can reopen it."),
                code="review_submitted",
            )
        if review.version != version:
            raise stale_refusal()
        for criterion in criteria:
            value = scores.get(str(criterion.pk))
            if value is not None and not 0 <= value <= criterion.scale_max:
                raise Refused(
                    _("%(name)s is scored from 0 to %(max)d.")
                    % {"name": criterion.name, "max": criterion.scale_max},
                    code="score_out_of_range",
                )
        clean = {
            str(c.pk): scores.get(str(c.pk)) for c in criteria if scores.get(str(c.pk)) is not None
        }
        if submit:
            missing = [c.name for c in criteria if str(c.pk) not in clean]
            if missing or not recommendation:
                names = ", ".join(missing + ([] if recommendation else [_("recommendation")]))
                raise Refused(
                    _("Before submitting, complete: %(items)s.") % {"items": names},
                    code="incomplete",
                )
        before = _snapshot(review)
        review.scores = clean
        review.comment = comment
        review.recommendation = recommendation
        review.version += 1
        if submit:
            review.state = ReviewState.SUBMITTED
            review.submitted_at = timezone.now()
        review.save()
        after = _snapshot(review)
        if submit:  # the board's scores and ranks change with each submitted review
            board_mark_dirty(call_id=assignment.application.call_id)
        if after != before:
            audit_record(
                actor=actor,
                action="review.submitted" if submit else "review.saved",
                obj=review,
                scope=f"call:{assignment.application.call_id}",
                before={**before, "application": assignment.application_id},
                after={**after, "application": assignment.application_id},
            )
    return review


def review_reopen(*, review: Review, actor) -> Review:
    with transaction.atomic():
        review = (
            Review.objects.select_for_update()
            .select_related("assignment__application")
            .get(pk=review.pk)
        )
        if review.state != ReviewState.SUBMITTED:
            return review
        before = _snapshot(review)
        review.state = ReviewState.DRAFT
        review.submitted_at = None
        review.version += 1
        review.save()
        board_mark_dirty(call_id=review.assignment.application.call_id)
        audit_record(
            actor=actor,
            action="review.reopened",
            obj=review,
            scope=f"call:{review.assignment.application.call_id}",
            before=before,
            after=_snapshot(review),
        )
    return review
