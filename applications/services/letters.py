"""Award letters: rendered and stored in background batches once an award is published."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from applications.enums import DecisionOutcome
from applications.models import Decision
from portal.emails import recipient_language
from portal.links import public_address
from portal.pdf import render_pdf
from portal.storage import new_key
from portal.tasks import task

#: Award letters per background task: a worker renders one batch at a time.
LETTER_BATCH = 100
LETTER_PREFIX = "letters/award"


def award_letters_enqueue(*, decision_ids: list[int]) -> None:
    """Queue the letters of these awards, in batches, once the current transaction commits."""
    if not decision_ids:
        return

    def enqueue():
        for start in range(0, len(decision_ids), LETTER_BATCH):
            task_award_letters.enqueue(decision_ids=decision_ids[start : start + LETTER_BATCH])

    transaction.on_commit(enqueue)


@task()
def task_award_letters(*, decision_ids: list[int]) -> int:
    """Render and store the award letters of one batch of published awards."""
    return award_letters_generate(decision_ids=decision_ids)


def award_letters_generate(*, decision_ids: Sequence[int], now: datetime | None = None) -> int:
    """Render and store the award letter of each published award that has none yet.

    Safe to run twice (a retried task): a letter is stored only for a decision still without
    one; a letter that lost that race is deleted. Returns the number of letters stored.
    """
    now = now or timezone.now()
    decisions = (
        Decision.objects.filter(
            pk__in=list(decision_ids),
            outcome=DecisionOutcome.AWARD,
            published_at__isnull=False,
            letter_key="",
        )
        .select_related("application__applicant", "application__call", "decided_by")
        .order_by("pk")
    )
    stored = 0
    for decision in decisions:
        pdf = award_letter_pdf(decision=decision, now=now)
        call = decision.application.call
        key = default_storage.save(new_key(f"{LETTER_PREFIX}/{call.pk}"), ContentFile(pdf))
        updated = Decision.objects.filter(
            pk=decision.pk, letter_key="", outcome=DecisionOutcome.AWARD
        ).update(letter_key=key)
        if updated:
            stored += 1
        else:
            default_storage.delete(key)
    return stored


def award_letter_pdf(*, decision: Decision, now: datetime | None = None) -> bytes:
    application = decision.application
    call = application.call
    applicant = application.applicant
    return render_pdf(
        "pdf/award_letter.html",
        {
            "decision": decision,
            "application": application,
            "applicant": applicant,
            "call": call,
            "today": timezone.localdate(now or timezone.now(), call.zone),
            "site_url": public_address(),
            "site_name": settings.SITE_NAME,
        },
        language=recipient_language(applicant),
    )
