"""Long work off the request path (`portal.operations`): one row and one task per start, the
work done by a real worker of the database task backend, its progress read on the page, a
second start refused, failures shown with a way to try again, and nobody else's work seen."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal import operations
from portal.errors import Refused
from portal.models import Operation
from tests.factories.accounts import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SEEN: list[tuple[str, int, int]] = []


def _count(operation, progress, *, items: int, fail: str = ""):
    for done in range(items):
        progress("counting", done, items)
        SEEN.append((operation.stage, done, items))
    if fail == "refused":
        raise Refused("Nothing to count in this call.", code="nothing", details=["Add some."])
    if fail == "crash":
        raise RuntimeError("the disk is full")
    progress("counting", items, items)
    return {"counted": items}


@pytest.fixture(autouse=True)
def counting():
    """A kind of work for these tests: counts to `items`, reporting each step; only its
    starter may watch it."""
    operations.register(
        operations.Kind(
            name="tests.count",
            label="Counting",
            run=_count,
            allowed=lambda user, op: user == op.started_by,
            done_url=lambda op: "/dashboard/",
            summary=lambda result: f"Counted {result['counted']}.",
            stages={"counting": "Counting the items"},
            followups=lambda op: [("Letters written", 1, 2)],
        )
    )
    SEEN.clear()
    yield
    operations._registry.pop("tests.count")


def test_a_start_queues_one_task_that_a_worker_runs_and_the_page_follows_it(
    client, signed_in, worker, django_capture_on_commit_callbacks
):
    person = UserFactory()
    client = signed_in(person, client)
    with django_capture_on_commit_callbacks(execute=True):
        operation = operations.operation_start(
            "tests.count", subject="call:1", user=person, items=3
        )

    waiting = client.get(operations.operation_url(operation)).content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="task_operation_run").count() == 1
    assert "Waiting for a worker to start it." in waiting
    assert '<meta http-equiv="refresh" content="3">' in waiting  # without JavaScript
    assert f'data-poll="/work/{operation.token}/progress/"' in waiting  # with it

    worker()

    operation.refresh_from_db()
    assert operation.status == Operation.Status.SUCCEEDED
    assert (operation.stage, operation.done, operation.total) == ("counting", 3, 3)
    assert operation.result == {"counted": 3}
    assert SEEN[0] == ("", 0, 3)  # the first step is written at once
    page = client.get(operations.operation_url(operation)).content.decode()
    assert "Done. Counted 3." in page
    assert "Letters written: 1 of 2" in page
    assert 'href="/dashboard/"' in page
    progress = client.get(f"/work/{operation.token}/progress/").json()
    assert progress["status"] == "succeeded"
    assert progress["pending"] is True  # the letters are still being written
    assert "Counted 3." in progress["html"]


def test_progress_is_written_at_each_stage_and_at_most_twice_a_second_within_one(monkeypatch):
    person = UserFactory()
    operation = Operation.objects.create(
        token=uuid.uuid4(), kind="tests.count", subject="x", started_by=person
    )
    writes = []
    progress = operations.Progress(operation)
    monkeypatch.setattr(
        Operation.objects, "filter", lambda **kw: writes.append(kw) or Operation.objects.none()
    )
    for done in range(1000):
        progress("counting", done, 1000)
    progress("saving")
    progress("saving", 1000, 1000)

    assert 2 <= len(writes) <= 5  # the first step, the new stage, the end; not 1,000 writes


def test_the_page_of_running_work_shows_its_stage_and_how_far_it_is(client, signed_in):
    person = UserFactory()
    operation = Operation.objects.create(
        token=uuid.uuid4(),
        kind="tests.count",
        subject="x",
        started_by=person,
        status=Operation.Status.RUNNING,
        stage="counting",
        done=1200,
        total=5000,
    )

    page = signed_in(person, client).get(operations.operation_url(operation)).content.decode()

    assert "Counting the items" in page
    assert '<progress max="5000" value="1200"' in page
    assert "1,200 of 5,000" in page


def test_a_second_start_while_the_first_runs_is_refused_and_leads_to_the_first():
    person = UserFactory()
    first = operations.operation_start("tests.count", subject="call:1", user=person, items=1)

    with pytest.raises(Refused, match="already under way") as refused:
        operations.operation_start("tests.count", subject="call:1", user=person, items=1)

    assert refused.value.code == "operation_running"
    assert refused.value.operation == first
    assert operations.operation_start("tests.count", subject="call:2", user=person, items=1)


def test_a_refusal_fails_the_work_with_its_words_and_it_can_be_tried_again(
    client, signed_in, django_capture_on_commit_callbacks
):
    person = UserFactory()
    client = signed_in(person, client)
    with django_capture_on_commit_callbacks(execute=True):
        operation = operations.operation_start(
            "tests.count", subject="call:1", user=person, items=2, fail="refused"
        )

    page = client.get(operations.operation_url(operation)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/work/{operation.token}/retry/")

    assert "Nothing to count in this call.<br>Add some." in page
    assert "Try again" in page
    assert '<meta http-equiv="refresh"' not in page
    retried = Operation.objects.exclude(pk=operation.pk).get()
    assert again["Location"] == operations.operation_url(retried)
    assert retried.params == {"items": 2, "fail": "refused"}
    assert retried.status == Operation.Status.FAILED


def test_an_unexpected_error_is_kept_for_staff_and_told_in_general_words(
    client, signed_in, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        operation = operations.operation_start(
            "tests.count", subject="call:1", user=person, items=1, fail="crash"
        )

    operation.refresh_from_db()
    page = signed_in(person, client).get(operations.operation_url(operation)).content.decode()

    assert operation.status == Operation.Status.FAILED
    assert "RuntimeError: the disk is full" in operation.error
    assert "Something went wrong." in page
    assert "disk" not in page


def test_only_failed_work_is_tried_again():
    person = UserFactory()
    operation = operations.operation_start("tests.count", subject="call:1", user=person, items=1)

    with pytest.raises(Refused, match="Only work that failed"):
        operations.operation_retry(operation, user=person)


def test_work_whose_worker_vanished_is_failed_and_may_start_again(client, signed_in):
    person = UserFactory()
    lost = operations.operation_start("tests.count", subject="call:1", user=person, items=1)
    Operation.objects.filter(pk=lost.pk).update(
        status=Operation.Status.RUNNING, updated_at=timezone.now() - timedelta(hours=1)
    )

    page = signed_in(person, client).get(operations.operation_url(lost)).content.decode()
    again = operations.operation_start("tests.count", subject="call:1", user=person, items=1)

    assert "The work stopped without finishing. Start it again." in page
    assert again.status == Operation.Status.QUEUED


def test_nobody_else_sees_the_work_or_starts_it_again(client, signed_in):
    person = UserFactory()
    operation = operations.operation_start("tests.count", subject="call:1", user=person, items=1)
    Operation.objects.filter(pk=operation.pk).update(status=Operation.Status.FAILED)

    for other in (UserFactory(), StaffFactory()):
        client = signed_in(other, client)
        assert client.get(operations.operation_url(operation)).status_code == 404
        assert client.get(f"/work/{operation.token}/progress/").status_code == 404
        assert client.post(f"/work/{operation.token}/retry/").status_code == 404
    client.logout()
    assert client.get(operations.operation_url(operation)).status_code == 302
    assert client.get(f"/work/{uuid.uuid4()}/").status_code == 302
    assert Operation.objects.count() == 1


def test_an_unknown_address_is_not_found(client, signed_in):
    assert signed_in(UserFactory(), client).get(f"/work/{uuid.uuid4()}/").status_code == 404


def test_starting_is_one_insert_and_one_queued_task(worker, django_capture_on_commit_callbacks):
    person = UserFactory()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        operations.operation_start("tests.count", subject="call:1", user=person, items=1)

    # the lost-work check, the insert (in its savepoint) and the task's row
    assert len(queries) <= 6, [q["sql"] for q in queries]
