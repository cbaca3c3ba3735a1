"""Recording the audit trail; call inside the transaction that makes the change."""

from portal.models import AuditEntry


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


def audit_list(*, scope: str):
    return AuditEntry.objects.filter(scope=scope).select_related("actor")
