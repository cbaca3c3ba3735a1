"""The scheduler: queues each scheduled job when its moment comes; the task worker runs it.

Run one (or, for safety, two) alongside the web processes and the workers. Moments missed while
no scheduler ran are not caught up, except the latest one of each job within `--catch-up`
seconds of the start, so a restart during a deploy loses nothing.
"""

import signal
import threading
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal import jobs


class Command(BaseCommand):
    help = "Queue the scheduled jobs when their moment comes (see portal.jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15, help="Seconds between looks.")
        parser.add_argument(
            "--catch-up", type=int, default=300, help="Seconds of missed moments to run at start."
        )
        parser.add_argument("--once", action="store_true", help="Look once, then stop.")

    def handle(self, *args, interval: float, catch_up: int, once: bool, **options):
        stopping = threading.Event()  # a signal wakes the wait at once, not after `interval`
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.set())
        since = timezone.now() - timedelta(seconds=catch_up)
        names = ", ".join(job.name for job in jobs.job_list())
        self.stdout.write(f"scheduler: {len(jobs.job_list())} jobs ({names})")
        while not stopping.is_set():
            now = timezone.now()
            for job, moment in jobs.jobs_due(since=since, now=now):
                run = jobs.job_schedule(job.name, period=moment)
                state = "queued" if run else "already queued elsewhere"
                self.stdout.write(f"scheduler: {job.name} for {moment:%Y-%m-%d %H:%M} {state}")
            since = now
            if once:
                break
            stopping.wait(interval)
        self.stdout.write("scheduler: stopped")
