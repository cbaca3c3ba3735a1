"""Scheduled jobs: the schedule in code, one run per moment however many schedulers, run by the
task worker, recorded for staff.

Each app registers its jobs from `AppConfig.ready()`::

    jobs.register(jobs.Job(
        "applications.deadline_reminders",
        _("Deadline reminders to authors of drafts"),
        "0 * * * *",                  # cron, in UTC: every hour on the hour
        deadline_reminders_send,      # run(now=...) returns {"reminded": 3, ...}
        outcomes={"reminded": _("reminders sent")},
    ))

The scheduler (`manage.py scheduler`) asks `jobs_due` every few seconds and calls
`job_schedule` for each job whose moment has come; the database refuses a second run of the
same job for the same moment, so two schedulers never do a job twice. The run is queued as a
task; the worker calls the job with the time it starts. A job is idempotent on its own too:
before it sends or changes anything for one object it asks `once(key)`, so a job run twice,
or by hand between two scheduled runs, does nothing twice.
"""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise

from portal.models import JobRun, SentNotice
from portal.tasks import task

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    label: str | Promise
    cron: str  # five fields, in UTC
    run: Callable[..., dict[str, int]]  # called as run(now=...), returns a count per outcome
    outcomes: dict[str, str | Promise] = field(default_factory=dict)  # outcome → words

    def describe(self, counts: dict[str, int]) -> list[tuple[str | Promise, int]]:
        """A run's counts in words for staff, in the order the job names its outcomes."""
        named = [(self.outcomes[key], counts[key]) for key in self.outcomes if key in counts]
        return named + [(key, n) for key, n in counts.items() if key not in self.outcomes]

    @property
    def trigger(self) -> CronTrigger:
        return CronTrigger.from_crontab(self.cron, timezone=UTC)

    def next_after(self, moment: datetime) -> datetime:
        """The first moment of the schedule strictly after `moment`."""
        return self.trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))


_registry: dict[str, Job] = {}


def register(job: Job) -> None:
    CronTrigger.from_crontab(job.cron)  # a mistyped schedule fails at start-up, not at night
    _registry[job.name] = job


def unregister(name: str) -> None:
    _registry.pop(name, None)


def job_list() -> list[Job]:
    return sorted(_registry.values(), key=lambda job: job.name)


def names() -> set[str]:
    return set(_registry)


def job_get(name: str) -> Job:
    return _registry[name]


def jobs_due(*, since: datetime, now: datetime) -> list[tuple[Job, datetime]]:
    """Each job with a moment in (since, now], with its latest such moment."""
    due = []
    for job in job_list():
        moment, latest = job.next_after(since), None
        while moment <= now:
            latest, moment = moment, job.next_after(moment)
        if latest is not None:
            due.append((job, latest))
    return due


def job_schedule(name: str, *, period: datetime, manual: bool = False, user=None) -> JobRun | None:
    """Queue one run of the job for `period`; None when that moment already has its run."""
    job = job_get(name)
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                job=job.name, period=period, manual=manual, requested_by=user
            )
            transaction.on_commit(lambda: task_run_job.enqueue(run_id=run.pk))
    except IntegrityError:
        return None
    return run


def job_run_now(name: str, *, user, now: datetime | None = None) -> JobRun | None:
    """Staff ask for a run now; a second click in the same second is the same run."""
    now = (now or timezone.now()).replace(microsecond=0)
    return job_schedule(name, period=now, manual=True, user=user)


def job_execute(run: JobRun, *, now: datetime | None = None) -> JobRun:
    """Run the job of `run` and record what it did, or how it failed."""
    updated = JobRun.objects.filter(pk=run.pk, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, started_at=timezone.now()
    )
    if not updated:  # another worker took it
        run.refresh_from_db()
        return run
    try:
        counts = job_get(run.job).run(now=now or timezone.now())
    except Exception:
        logger.exception("Job %s failed", run.job)
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRun.Status.FAILED,
            finished_at=timezone.now(),
            error=traceback.format_exc(limit=20)[-4000:],
        )
    else:
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRun.Status.SUCCEEDED, finished_at=timezone.now(), counts=counts or {}
        )
    run.refresh_from_db()
    return run


@task()
def task_run_job(*, run_id: int) -> None:
    job_execute(JobRun.objects.get(pk=run_id))


def once(key: str) -> bool:
    """True the first time `key` is asked for (and records it), False ever after.

    Ask inside the transaction that does the work: if it rolls back, so does the record.
    """
    try:
        with transaction.atomic():
            SentNotice.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


def done_before(key: str) -> bool:
    return SentNotice.objects.filter(key=key[:200]).exists()
