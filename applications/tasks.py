"""Background tasks of the scholarship programme; each takes ids, loads, calls a service."""

from portal.tasks import task


@task()
def task_award_letters(*, decision_ids: list[int]) -> int:
    """Render and store the award letters of one batch of published awards."""
    # Imported here: the decisions service enqueues this task.
    from applications.services.decisions import award_letters_generate

    return award_letters_generate(decision_ids=decision_ids)
