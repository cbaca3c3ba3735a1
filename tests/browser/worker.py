"""The task queue emptied for a browser test: a worker of the database backend runs in a thread
of its own (the live server holds the main one) until no task is left, as `make run`'s worker
would."""

import threading

from django_tasks_db.management.commands.db_worker import Worker


def queue_run(timeout: float = 30) -> None:
    """Run every queued task, waiting at most `timeout` seconds."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    thread.join(timeout=timeout)
