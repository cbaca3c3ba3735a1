"""The audit trail of a call, as the chair reads it: each change in words, what it is about,
and the fields it changed, in a constant number of queries."""

import json
from dataclasses import dataclass

from django.core.paginator import Page
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Call, Review
from portal.accounts.models import display_name_of
from portal.audit import audit_list
from portal.models import AuditEntry
from portal.pagination import paginate

AUDIT_PAGE_SIZE = 50

#: What the decision and award actions of the trail mean, in words; other actions (the
#: reviews' "review.…") are shown as they are recorded.
ACTION_LABELS = {
    "decision.created": _("Decision drafted"),
    "decision.changed": _("Decision changed"),
    "decision.removed": _("Decision removed"),
    "decision.published": _("Decision published"),
    "decision.offered": _("Award offered from the waitlist"),
    "award.accepted": _("Award accepted by the student"),
    "award.declined": _("Award declined by the student"),
    "stage.created": _("Second stage set up"),
    "stage.changed": _("Second stage changed"),
    "stage.slots_added": _("Interview times added"),
    "stage.shortlisted": _("Shortlisted"),
    "stage.unshortlisted": _("Taken off the shortlist"),
    "stage.scored": _("Scored on the second stage"),
    "stage.score_changed": _("Second-stage score changed"),
    "information.requested": _("More information requested"),
    "information.answered": _("More information given"),
}
AUDIT_KINDS = ("decision", "award", "review")


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    label: str
    subject: str  # "#12 Amina Diallo", or the object's type and id
    changes: list[tuple[str, str, str]]  # (field, before, after) for the fields that differ


@dataclass
class AuditPage:
    page: Page
    rows: list[AuditRow]


def audit_page(*, call: Call, page: str | int | None, kind: str | None = None) -> AuditPage:
    """The call's audit trail, newest first, 50 entries a page; `kind` keeps one family of
    actions. Constant queries: the count, the page, and at most two to name the applications."""
    entries = audit_list(scope=f"call:{call.pk}")
    if kind in AUDIT_KINDS:
        entries = entries.filter(action__startswith=f"{kind}.")
    page_obj = paginate(entries, page, per_page=AUDIT_PAGE_SIZE)
    listed = list(page_obj)
    subjects = _audit_subjects(call, listed)
    rows = [
        AuditRow(
            entry=entry,
            label=str(ACTION_LABELS.get(entry.action, entry.action)),
            subject=subjects.get(entry.pk, f"{entry.object_type} #{entry.object_id}"),
            changes=_changes(entry.before, entry.after),
        )
        for entry in listed
    ]
    return AuditPage(page=page_obj, rows=rows)


def _silent(value) -> bool:
    """Says nothing on a creation or removal; by identity, so that a score of 0 still shows."""
    return value is None or value is False


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


_FIELD_ORDER = {
    name: rank
    for rank, name in enumerate(
        ["outcome", "amount", "respond_by", "state", "scores", "recommendation", "comment"]
    )
}


def _changes(before, after) -> list[tuple[str, str, str]]:
    """The fields that differ. On a creation or a removal, the fields that say something (the
    application is named in its own column)."""
    one_sided = not (isinstance(before, dict) and isinstance(after, dict))
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    changes = []
    # PostgreSQL's jsonb does not keep key order: show the fields in an order of our own.
    keys = sorted(dict.fromkeys([*before, *after]), key=lambda k: (_FIELD_ORDER.get(k, 99), k))
    for key in keys:
        old, new = before.get(key), after.get(key)
        if key == "application" or old == new:
            continue
        if one_sided and _silent(old) and _silent(new):
            continue
        changes.append((key, _shown(old), _shown(new)))
    return changes


def _audit_subjects(call: Call, entries: list[AuditEntry]) -> dict[int, str]:
    """Name the application each entry is about: decisions carry its id in their snapshots,
    reviews are looked up (one query), then the applicants' names (one query)."""
    review_ids = {
        int(entry.object_id)
        for entry in entries
        if entry.object_type == "applications.review" and entry.object_id.isdigit()
    }
    review_applications = dict(
        Review.objects.filter(pk__in=review_ids, assignment__application__call=call).values_list(
            "pk", "assignment__application_id"
        )
        if review_ids
        else []
    )
    about: dict[int, int] = {}
    for entry in entries:
        snapshot = entry.after or entry.before or {}
        application_id = snapshot.get("application") if isinstance(snapshot, dict) else None
        if application_id is None and entry.object_id.isdigit():
            if entry.object_type == "applications.review":
                application_id = review_applications.get(int(entry.object_id))
            elif entry.object_type == "applications.application":
                application_id = int(entry.object_id)
        if isinstance(application_id, int):
            about[entry.pk] = application_id
    names = (
        {
            pk: display_name_of(name)
            for pk, name in Application.objects.filter(
                pk__in=set(about.values()), call=call
            ).values_list("pk", "applicant__full_name")
        }
        if about
        else {}
    )
    return {
        entry_pk: f"#{application_id} {names[application_id]}"
        for entry_pk, application_id in about.items()
        if application_id in names
    }
