"""A call's life before and after its applications: the dates a new call starts with,
publishing it once its checklist is complete, copying a past call, and marking it decided."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from applications.enums import CallState
from applications.models import Call, Criterion, DocumentKind, EligibilityQuestion, Question
from applications.selectors.setup import call_checklist
from portal.audit import ADMIN_SCOPE, audit_record
from portal.content_languages import LANGUAGES, text_in
from portal.errors import Refused

if TYPE_CHECKING:
    from portal.accounts.models import User

# What a copy leaves behind: its identity, its state and its dates (set again by staff). The
# original columns of translated texts ("title") follow from their languages' ("title_en").
_NOT_COPIED = {
    "id",
    "title",
    "summary",
    "slug",
    "state",
    "published_at",
    "created_at",
    "updated_at",
    "opens_at",
    "closes_at",
    "review_deadline",
}
_CHILDREN = (EligibilityQuestion, Question, DocumentKind, Criterion)


def call_placeholder_dates(now: datetime) -> dict[str, datetime | None]:
    """The dates of a new or copied call until staff set them: already past, so that the
    checklist asks for a deadline and nothing opens by mistake (a draft is not shown anyway)."""
    return {"opens_at": now - timedelta(minutes=1), "closes_at": now, "review_deadline": None}


def _audit(*, actor, action: str, call: Call, before: dict | None, after: dict | None) -> None:
    # With the staff's other changes to calls (the admin's scope): the call's own scope is the
    # chair's trail of decisions.
    audit_record(
        actor=actor, action=action, obj=call, scope=ADMIN_SCOPE, before=before, after=after
    )


def call_publish(*, call: Call, actor: User, now: datetime | None = None) -> Call:
    """Publish a draft call whose checklist is complete: students see it from now on, and it
    takes applications between its dates. Publishing a call already published does nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.state != CallState.DRAFT:
            return call
        checklist = call_checklist(call=call, now=now)
        if not checklist.complete:
            raise Refused(
                _lazy("The call is not ready to publish. Complete the checklist first."),
                code="incomplete",
                details=checklist.missing,
            )
        call.state = CallState.PUBLISHED
        call.published_at = now
        call.save(update_fields=["state", "published_at", "updated_at"])
        _audit(
            actor=actor,
            action="call.published",
            call=call,
            before={"state": CallState.DRAFT.value},
            after={"state": call.state, "published_at": now.isoformat()},
        )
    return call


def call_mark_decided(*, call: Call, actor: User | None) -> None:
    """Once decisions are published the call is decided (it stays so when more are)."""
    updated = Call.objects.filter(pk=call.pk).exclude(state=CallState.DECIDED)
    before = updated.values_list("state", flat=True).first()
    if before is None:
        return
    updated.update(state=CallState.DECIDED, updated_at=timezone.now())
    call.state = CallState.DECIDED
    _audit(
        actor=actor,
        action="call.decided",
        call=call,
        before={"state": before},
        after={"state": CallState.DECIDED.value},
    )


def _copy_slug(slug: str) -> str:
    base = f"{slug[:180]}-copy"
    taken = set(Call.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _copy_titles(call: Call) -> dict[str, str]:
    """The title followed by "(copy)" in each language it is given in, in that language."""
    titles = {}
    for code in LANGUAGES:
        title = text_in(call, "title", code)
        if title is not None:
            with override(code):
                titles[f"title_{code}"] = str(_lazy("%(title)s (copy)") % {"title": title})[:200]
    return titles


def call_copy(*, call: Call, actor: User, now: datetime | None = None) -> Call:
    """A new draft from a call: its texts in every language, settings, eligibility questions,
    questions, documents and rubric; not its applications, committee or decisions. Its dates
    are past placeholders, so the checklist asks for new ones."""
    now = now or timezone.now()
    with transaction.atomic():
        values = {
            model_field.attname: getattr(call, model_field.attname)
            for model_field in Call._meta.concrete_fields
            if model_field.attname not in _NOT_COPIED
        }
        copy = Call(**values)
        for name, value in {**_copy_titles(call), **call_placeholder_dates(now)}.items():
            setattr(copy, name, value)
        copy.slug = _copy_slug(call.slug)
        copy.state = CallState.DRAFT
        copy.save()
        for model in _CHILDREN:
            for child in model.objects.filter(call=call).order_by("sort_order", "pk"):
                child.pk = None
                child.call = copy
                child._state.adding = True
                child.save()
        _audit(
            actor=actor,
            action="call.copied",
            call=copy,
            before=None,
            after={"copied_from": call.pk, "state": copy.state},
        )
    return copy
