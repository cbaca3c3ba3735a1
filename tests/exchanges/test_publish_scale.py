"""Publishing a national match: the request writes in bulk and queues the emails after the
commit, which the worker sends in batches (each reader once, in their own language); the run's
page reads one page of the result from the database."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_tasks.signals import task_enqueued

from exchanges import selectors, services
from exchanges.models import Placement
from exchanges.selectors.matching import RUN_PAGE_SIZE
from exchanges.services import matching
from tests.factories.accounts import StaffFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "es", "ar", "en", ""]  # "": no preference, the portal's language


def matched_cycle(students: int, *, seats: int | None = None):
    """A cycle past its deadlines: one rotation (with a French-speaking coordinator) that
    `students` ranked, each in a language of LANGUAGES in turn, and its school ranked."""
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, capacity=students if seats is None else seats)
    CoordinatorFactory(institution=rotation.institution, user__preferred_language="fr")
    lists = [
        ranked(
            RankListFactory(
                cycle=cycle,
                student__full_name=f"Student {n:03d}",
                student__preferred_language=LANGUAGES[n % len(LANGUAGES)],
            ),
            [rotation],
        )
        for n in range(students)
    ]
    school_ranks(rotation, lists)
    move_to(cycle, "matching")
    return cycle, rotation, lists


@pytest.fixture
def enqueued():
    """(task name, keyword arguments) of every exchange task queued during the test."""
    seen = []

    def record(sender, task_result, **kwargs):
        if task_result.task.module_path.startswith("exchanges."):
            seen.append((task_result.task.name, task_result.kwargs))

    task_enqueued.connect(record, weak=False)
    yield seen
    task_enqueued.disconnect(record)


def test_publishing_queues_the_emails_after_the_commit_in_batches_one_per_reader_in_their_language(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks, enqueued
):
    monkeypatch.setattr(matching, "EMAIL_BATCH", 2)
    cycle, rotation, lists = matched_cycle(5)
    run = services.match_run(cycle=cycle, by=None)

    with django_capture_on_commit_callbacks() as callbacks:
        services.match_publish(run=run)

    # Written in the transaction; nothing rendered or queued before it commits.
    assert Placement.objects.filter(cycle=cycle, run=run).count() == 5
    assert mailoutbox == []
    assert enqueued == []

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    batches = [kwargs for name, kwargs in enqueued if name == "task_match_published_emails"]
    assert [len(kwargs.get("students", ())) for kwargs in batches] == [2, 2, 1, 0]
    assert [len(kwargs.get("schools", ())) for kwargs in batches] == [0, 0, 0, 1]
    assert Counter(name for name, _kwargs in enqueued)["task_match_published_batches"] == 1
    coordinator = rotation.institution.coordinator_links.get().user
    readers = [*(rank_list.student.email for rank_list in lists), coordinator.email]
    assert Counter(message.to[0] for message in mailoutbox) == Counter(readers)
    for rank_list in lists:
        (message,) = [m for m in mailoutbox if m.to == [rank_list.student.email]]
        with translation.override(rank_list.student.preferred_language or "en"):
            page = reverse("exchanges:placement", args=[cycle.pk])
        assert page in message.body
        assert rotation.title in message.subject


def test_a_batch_sent_again_tells_nobody_twice(mailoutbox, django_capture_on_commit_callbacks):
    cycle, rotation, lists = matched_cycle(3, seats=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_publish(run=services.match_run(cycle=cycle, by=None))
    assert len(mailoutbox) == 4  # three students (two placed, one not) and the coordinator
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        told = matching.match_published_emails(
            cycle_id=cycle.pk,
            students=[[rank_list.pk, None] for rank_list in lists],
            schools=[[rotation.institution.coordinator_links.get().pk, 2]],
        )

    assert told == 0
    assert mailoutbox == []


def _publishing_queries(students: int, django_capture_on_commit_callbacks) -> int:
    cycle, _rotation, _lists = matched_cycle(students)
    run = selectors.run_get(run_id=services.match_run(cycle=cycle, by=None).pk)
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks():
        services.match_publish(run=run)
    return len(captured)


def test_publishing_writes_in_bulk_whatever_the_number_of_students(
    django_capture_on_commit_callbacks,
):
    assert _publishing_queries(2, django_capture_on_commit_callbacks) == _publishing_queries(
        30, django_capture_on_commit_callbacks
    )


def test_the_run_page_reads_one_page_of_the_result(
    signed_in, count_queries, django_assert_num_queries
):
    staff = signed_in(StaffFactory(totp=True))
    small = services.match_run(cycle=matched_cycle(1)[0], by=None)
    cycle, _rotation, lists = matched_cycle(RUN_PAGE_SIZE + 7, seats=RUN_PAGE_SIZE + 2)
    large = services.match_run(cycle=cycle, by=None)
    url = reverse("exchanges:staff_run", args=[large.pk])

    counts = [
        count_queries(staff, reverse("exchanges:staff_run", args=[small.pk])),
        count_queries(staff, url),
        count_queries(staff, f"{url}?page=2"),
    ]
    for run, page in ((small, 1), (large, 1), (large, 2)):
        # Pinned: the run's figures, then its page in three (slice, lists, rotations).
        with django_assert_num_queries(4):
            rows = selectors.run_results(run=selectors.run_get(run_id=run.pk), page_number=page)
            list(rows)
    second = staff.get(f"{url}?page=2").content.decode()

    assert counts == [counts[0]] * 3
    names = [rank_list.student.full_name for rank_list in lists]
    assert all(name in second for name in names[RUN_PAGE_SIZE:])
    assert not any(name in second for name in names[:RUN_PAGE_SIZE])
    assert second.count("Unplaced") >= 5  # the school's last five, beyond its seats
