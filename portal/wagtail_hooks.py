"""Staff changes in the administration go into the audit log: who created, edited or deleted
which snippet (calls, institutions, rotations, mentors…), with its fields before and after."""

from django.contrib import messages
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.utils.translation import gettext
from wagtail import hooks

from portal.audit import ADMIN_SCOPE, audit_changes, audit_record, audit_snapshot

# The state of the rows before the request changes them, kept on the request between the
# "before" hook (run when the view starts) and the "after" hook (run once the change is saved).
_BEFORE = "_audit_before"


def _remember(request, instances) -> None:
    kept = getattr(request, _BEFORE, {})
    for instance in instances:
        if instance.pk is not None:
            kept[id(instance)] = (instance.pk, audit_snapshot(instance))
    setattr(request, _BEFORE, kept)


def _action(instance, verb: str) -> str:
    return f"{instance._meta.model_name}.{verb}"


@hooks.register("after_create_snippet")
def audit_snippet_created(request, instance):
    audit_record(
        actor=request.user,
        action=_action(instance, "created"),
        obj=instance,
        scope=ADMIN_SCOPE,
        before=None,
        after=audit_snapshot(instance),
    )


@hooks.register("before_edit_snippet")
def remember_snippet_before_edit(request, instance):
    _remember(request, [instance])


@hooks.register("after_edit_snippet")
def audit_snippet_edited(request, instance):
    _pk, before = getattr(request, _BEFORE, {}).get(id(instance), (None, {}))
    before, after = audit_changes(before, audit_snapshot(instance))
    audit_record(
        actor=request.user,
        action=_action(instance, "edited"),
        obj=instance,
        scope=ADMIN_SCOPE,
        before=before,
        after=after,
    )


def _is_protected(instance) -> bool:
    """Whether deleting would hit a protected or restricted reference (a placement's rotation,
    an application's call...): Django would refuse it with an exception."""
    collector = Collector(using=router.db_for_write(type(instance)))
    try:
        collector.collect([instance])
    except (ProtectedError, RestrictedError):
        return True
    return False


@hooks.register("before_delete_snippet")
def refuse_protected_delete(request, instances):
    """Any snippet, one or several at once: refused with the reason, before the confirmation,
    when records that must be kept refer to it, instead of a server error."""
    kept = [instance for instance in instances if _is_protected(instance)]
    if not kept:
        return None
    messages.error(
        request,
        gettext("%(items)s cannot be deleted: records that must be kept refer to it.")
        % {"items": ", ".join(str(instance) for instance in kept)},
    )
    return redirect(kept[0].snippet_viewset.get_url_name("list"))


@hooks.register("before_delete_snippet")
def remember_snippets_before_delete(request, instances):
    _remember(request, instances)


@hooks.register("after_delete_snippet")
def audit_snippets_deleted(request, instances):
    kept = getattr(request, _BEFORE, {})
    for instance in instances:
        pk, before = kept.get(id(instance), (instance.pk, None))
        # A deleted row has lost its primary key; the entry names the one it had.
        instance.pk = pk
        audit_record(
            actor=request.user,
            action=_action(instance, "deleted"),
            obj=instance,
            scope=ADMIN_SCOPE,
            before=before,
            after=None,
        )
