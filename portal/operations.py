"""Long work off the request path: started by a person, done by the task worker, watched on a
progress page.

Each app registers its kinds of operation from `AppConfig.ready()`::

    operations.register(operations.Kind(
        name="applications.assign",
        label=_("Reviewer assignment"),
        run=assign_run,                    # run(operation, progress, **params) -> result dict
        allowed=lambda user, op: ...,      # who may watch it and start it again
        done_url=lambda op: reverse(...),  # where the finished page leads
        summary=lambda result: ...,        # the result in words
        stages={"reading": _("Reading the applications"), ...},
    ))

A view calls `operation_start(kind, subject=..., user=request.user, **params)` and redirects
to `operation.url`: the request only writes one row and queues one task. The database refuses
a second operation of the same kind on the same subject while one is queued or running
(`AlreadyRunning`, a `Refused` that carries the running one in `.operation`).

The work reports where it is through `progress(stage, done, total)`, which writes at most
every `PROGRESS_EVERY` seconds (and at each new stage). A `Refused` raised by the work fails
the operation with its message, in the starter's language; any other exception fails it
with the traceback kept for staff (the page says in general words, in its reader's language,
that something went wrong). A failed operation can be started again (`operation_retry`). An
operation whose worker vanished (no progress for `STALE_AFTER`) is failed, with neither a
message nor a traceback, when someone next looks at it or starts another.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portal.errors import Refused
from portal.models import Operation
from portal.tasks import task

logger = logging.getLogger(__name__)

#: Progress is written at most this often, in seconds, within one stage.
PROGRESS_EVERY = 0.5
#: An operation that has not reported for this long is taken for lost (its worker died).
STALE_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    run: Callable[..., dict]  # run(operation, progress, **params) -> JSON-ready result
    allowed: Callable[[object, Operation], bool]
    done_url: Callable[[Operation], str]
    summary: Callable[[dict], str | Promise] = lambda result: ""
    stages: dict[str, str | Promise] = field(default_factory=dict)
    # Further work the operation set off (letters, emails): [(label, done, total)], read live.
    followups: Callable[[Operation], list[tuple[str | Promise, int, int]]] = lambda op: []


class AlreadyRunning(Refused):
    """The same work on the same subject is queued or running: `operation` is that one."""

    def __init__(self, operation: Operation | None):
        super().__init__(
            _("This is already under way; its progress is shown here."),
            code="operation_running",
            status=409,
        )
        self.operation = operation


_registry: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _registry[kind.name] = kind


def kind_get(name: str) -> Kind:
    return _registry[name]


class Progress:
    """What the work calls to say where it is; cheap enough to call on every item."""

    def __init__(self, operation: Operation):
        self.operation = operation
        self._stage = operation.stage
        self._written = 0.0

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._written < PROGRESS_EVERY and done < total:
            return
        self._stage, self._written = stage, now
        Operation.objects.filter(pk=self.operation.pk).update(
            stage=stage, done=done, total=total, updated_at=timezone.now()
        )


def progress_none(stage: str, done: int = 0, total: int = 0) -> None:
    """The `progress` of work run directly, outside an operation (tests, shell, commands)."""


def _fail_stale(kind: str, subject: str) -> None:
    Operation.objects.filter(
        kind=kind,
        subject=subject,
        status__in=Operation.ACTIVE,
        updated_at__lt=timezone.now() - STALE_AFTER,
    ).update(status=Operation.Status.FAILED, finished_at=timezone.now())


def operations_under_way(subject: str, *kinds: str) -> list[tuple[str | Promise, str]]:
    """(label, progress page) of the work of these kinds queued or running on `subject`, in
    one query, for the page that starts it to link to its progress
    (`{% include "portal/includes/under_way.html" %}` with `under_way`)."""
    found = Operation.objects.filter(
        kind__in=kinds,
        subject=subject,
        status__in=Operation.ACTIVE,
        updated_at__gte=timezone.now() - STALE_AFTER,
    ).order_by("created_at")
    return [(kind_get(op.kind).label, operation_url(op)) for op in found]


def operation_start(kind: str, *, subject: str, user, **params) -> Operation:
    """Queue the work; refused while the same kind of work on `subject` is queued or running."""
    kind_get(kind)  # an unknown kind fails here, in the request, not later in the worker
    _fail_stale(kind, subject)
    try:
        with transaction.atomic():
            operation = Operation.objects.create(
                token=uuid.uuid4(),
                kind=kind,
                subject=subject,
                params=params,
                started_by=user,
                language=translation.get_language() or "",
            )
            transaction.on_commit(lambda: task_operation_run.enqueue(operation_id=operation.pk))
    except IntegrityError:
        running = Operation.objects.filter(
            kind=kind, subject=subject, status__in=Operation.ACTIVE
        ).first()
        raise AlreadyRunning(running) from None
    return operation


def operation_retry(operation: Operation, *, user) -> Operation:
    if operation.status != Operation.Status.FAILED:
        raise Refused(_("Only work that failed can be started again."), code="not_failed")
    return operation_start(operation.kind, subject=operation.subject, user=user, **operation.params)


def operation_get(token) -> Operation:
    """The operation of a progress page (Operation.DoesNotExist when there is none), with a
    lost one failed first."""
    operation = Operation.objects.select_related("started_by").get(token=token)
    if operation.active and operation.updated_at < timezone.now() - STALE_AFTER:
        _fail_stale(operation.kind, operation.subject)
        operation.refresh_from_db()
    return operation


def operation_url(operation: Operation) -> str:
    return reverse("operation", args=[operation.token])


def operation_execute(operation_id: int) -> Operation:
    """Do the work of one operation (in the worker) and record how it ended."""
    now = timezone.now()
    claimed = Operation.objects.filter(pk=operation_id, status=Operation.Status.QUEUED).update(
        status=Operation.Status.RUNNING, started_at=now, updated_at=now
    )
    operation = Operation.objects.select_related("started_by").get(pk=operation_id)
    if not claimed:  # another worker took it, or it was failed meanwhile
        return operation
    kind = kind_get(operation.kind)
    ended: dict = {"status": Operation.Status.SUCCEEDED}
    with translation.override(operation.language or None):
        try:
            ended["result"] = kind.run(operation, Progress(operation), **operation.params) or {}
        except Refused as refusal:
            words = "\n".join([refusal.message, *refusal.details])
            ended = {"status": Operation.Status.FAILED, "message": words}
        except Exception:
            logger.exception("Operation %s on %s failed", operation.kind, operation.subject)
            ended = {
                "status": Operation.Status.FAILED,
                "error": traceback.format_exc(limit=20)[-4000:],
            }
    now = timezone.now()
    Operation.objects.filter(pk=operation_id).update(finished_at=now, updated_at=now, **ended)
    operation.refresh_from_db()
    return operation


@task()
def task_operation_run(*, operation_id: int) -> None:
    operation_execute(operation_id)
