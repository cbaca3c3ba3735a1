"""Recording the audit trail: changes (in the transaction that makes them), and who opened
which confidential document; and reading it back."""

import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from portal.models import AuditEntry

#: The scope of the entries that say who viewed or downloaded a confidential document; kept
#: apart from a call's scope so that the chair's trail of decisions stays about decisions.
ACCESS_SCOPE = "access"
#: The scope of changes made by staff in the administration.
ADMIN_SCOPE = "admin"


def audit_record(
    *, actor, action: str, obj, scope: str, before: dict | None, after: dict | None
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        scope=scope,
        before=before,
        after=after,
    )


def audit_access(
    request, action: str, obj, scope: str = ACCESS_SCOPE, *, detail: dict | None = None
) -> AuditEntry:
    """Who viewed or downloaded a confidential document, and when ("letter.downloaded",
    "dossier.viewed", …): each such view calls it once, after its permission check."""
    return audit_record(
        actor=request.user, action=action, obj=obj, scope=scope, before=None, after=detail
    )


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:  # a value of a library's own type (a country, a stream): its text
            return str(o)


def audit_snapshot(obj) -> dict:
    """A row's fields as JSON (dates as ISO text, foreign keys as ids), for a before/after."""
    fields = serializers.serialize("python", [obj])[0]["fields"]
    return json.loads(json.dumps(fields, cls=_Encoder))


def audit_changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that differ, on both sides: an edit's entry says what it changed."""
    keys = [key for key in dict.fromkeys([*before, *after]) if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


def audit_list(*, scope: str):
    return AuditEntry.objects.filter(scope=scope).select_related("actor")


def audit_list_all() -> QuerySet[AuditEntry]:
    """Every entry, newest first, with its actor: the staff's audit log."""
    return AuditEntry.objects.select_related("actor").order_by("-at", "-pk")
