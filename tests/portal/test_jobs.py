"""Tests of the scheduled jobs' plumbing (portal.jobs, the scheduler command, the staff jobs
page) and of the optional emails people turn off (portal.notifications, portal.emails)."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.html import escape

from portal import jobs, notifications
from portal.emails import email_send
from portal.models import JobRun
from tests.factories.accounts import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

HOURLY = "tests.hourly"
FAILING = "tests.failing"


@pytest.fixture
def hourly():
    """A job of the test's own, every hour on the hour; removed from the registry afterwards."""
    done = []

    def run(now):
        done.append(now)
        return {"done": len(done), "extra": 2}

    job = jobs.Job(HOURLY, "Test job every hour", "0 * * * *", run, outcomes={"done": "done"})
    jobs.register(job)
    yield job
    jobs.unregister(HOURLY)


@pytest.fixture
def failing():
    def run(now):
        raise RuntimeError("the job broke")

    jobs.register(jobs.Job(FAILING, "Test job that fails", "0 3 * * *", run))
    yield
    jobs.unregister(FAILING)


def _at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, second, tzinfo=UTC)


def _due(since, now) -> list[datetime]:
    return [moment for job, moment in jobs.jobs_due(since=since, now=now) if job.name == HOURLY]


# --- The schedule ------------------------------------------------------------------------------


def test_jobs_due_gives_the_latest_moment_in_the_window_and_nothing_before(hourly):
    assert _due(_at(9, 30), _at(12, 30)) == [_at(12)]  # 10:00 and 11:00 are not caught up
    assert _due(_at(12), _at(12, 59, 59)) == []  # the moment at `since` was already due
    assert _due(_at(12), _at(13)) == [_at(13)]  # `now` itself counts
    assert _due(_at(12, 1), _at(12, 2)) == []


def test_a_second_schedule_of_the_same_moment_queues_nothing(hourly):
    first = jobs.job_schedule(HOURLY, period=_at(12))
    second = jobs.job_schedule(HOURLY, period=_at(12))

    assert first is not None and second is None
    assert JobRun.objects.filter(job=HOURLY).count() == 1


def test_two_schedulers_from_the_same_start_queue_one_run(hourly):
    out = [StringIO(), StringIO()]

    for stdout in out:
        call_command("scheduler", once=True, catch_up=3 * 3600, stdout=stdout)

    run = JobRun.objects.get(job=HOURLY)
    assert (run.status, run.manual) == (JobRun.Status.QUEUED, False)
    assert f"{HOURLY} for {run.period:%Y-%m-%d %H:%M} queued" in out[0].getvalue()
    assert f"{HOURLY} for {run.period:%Y-%m-%d %H:%M} already queued elsewhere" in (
        out[1].getvalue()
    )


# --- Running ----------------------------------------------------------------------------------


def test_job_execute_records_the_counts(hourly):
    run = jobs.job_schedule(HOURLY, period=_at(12))

    done = jobs.job_execute(run, now=_at(12, 0, 5))

    assert (done.status, done.counts, done.error) == (
        JobRun.Status.SUCCEEDED,
        {"done": 1, "extra": 2},
        "",
    )
    assert done.started_at and done.finished_at
    assert hourly.describe(done.counts) == [("done", 1), ("extra", 2)]


def test_job_execute_records_a_failure_without_raising(failing):
    run = jobs.job_schedule(FAILING, period=_at(3))

    done = jobs.job_execute(run)

    assert done.status == JobRun.Status.FAILED
    assert "RuntimeError: the job broke" in done.error
    assert done.finished_at is not None


def test_a_run_taken_by_another_worker_is_not_run_again(hourly):
    run = jobs.job_schedule(HOURLY, period=_at(12))
    jobs.job_execute(run)

    again = jobs.job_execute(run)

    assert again.counts == {"done": 1, "extra": 2}


def test_run_now_twice_in_the_same_second_is_one_run(hourly):
    staff = StaffFactory()
    now = _at(14, 5, 7).replace(microsecond=250_000)

    first = jobs.job_run_now(HOURLY, user=staff, now=now)
    same_second = jobs.job_run_now(HOURLY, user=staff, now=now + timedelta(milliseconds=500))
    next_second = jobs.job_run_now(HOURLY, user=staff, now=now + timedelta(seconds=1))

    assert first is not None and same_second is None and next_second is not None
    assert (first.manual, first.requested_by, first.period) == (True, staff, _at(14, 5, 7))


def test_once_says_yes_the_first_time_only():
    assert jobs.once("tests.once:1") is True
    assert jobs.once("tests.once:1") is False
    assert jobs.done_before("tests.once:1") and not jobs.done_before("tests.once:2")


# --- The staff jobs page ------------------------------------------------------------------------


def test_the_jobs_page_lists_every_job_for_staff(hourly, signed_in):
    response = signed_in(StaffFactory(totp=True)).get("/dashboard/staff/jobs/")

    html = response.content.decode()
    assert response.status_code == 200
    for job in jobs.job_list():
        assert escape(str(job.label)) in html
    assert "Test job every hour" in html


@pytest.mark.parametrize("who", ["student", "superuser"])
def test_the_jobs_page_is_hidden_from_others(hourly, signed_in, who):
    user = UserFactory(totp=True)
    if who == "superuser":
        user.is_superuser = user.is_staff = True
        user.save()

    client = signed_in(user)

    assert client.get("/dashboard/staff/jobs/").status_code == 404
    assert client.post(f"/dashboard/staff/jobs/{HOURLY}/run/").status_code == 404
    assert not JobRun.objects.exists()


def test_the_jobs_page_makes_as_many_queries_with_1_and_3_runs(hourly, signed_in, count_queries):
    client = signed_in(StaffFactory(totp=True))
    jobs.job_execute(jobs.job_schedule(HOURLY, period=_at(10)))
    one = count_queries(client, "/dashboard/staff/jobs/")
    jobs.job_execute(jobs.job_schedule(HOURLY, period=_at(11)))
    jobs.job_schedule(HOURLY, period=_at(12))

    assert count_queries(client, "/dashboard/staff/jobs/") == one


def test_run_now_queues_a_run_and_redirects(hourly, signed_in):
    staff = StaffFactory(totp=True)

    response = signed_in(staff).post(f"/dashboard/staff/jobs/{HOURLY}/run/")

    assert (response.status_code, response["Location"]) == (302, "/dashboard/staff/jobs/")
    run = JobRun.objects.get(job=HOURLY)
    assert (run.manual, run.requested_by, run.status) == (True, staff, JobRun.Status.QUEUED)


def test_run_now_of_an_unknown_job_is_a_404(signed_in):
    response = signed_in(StaffFactory(totp=True)).post("/dashboard/staff/jobs/tests.nothing/run/")

    assert response.status_code == 404


# --- Optional emails: preferences and the one-click link ---------------------------------------


def _digest_email(user) -> bool:
    return email_send(
        to=[user.email],
        template="digest",
        context={"name": "Awa", "blocks": [{"title": "Mentoring", "lines": [("1 line", "/")]}]},
        kind="digest",
        user=user,
    )


def test_the_preferences_page_saves_the_choices(signed_in):
    user = UserFactory(email_opt_outs=["digest"])
    client = signed_in(user)

    page = client.get("/accounts/notifications/")
    saved = client.post("/accounts/notifications/", {"receive": ["digest"]})
    user.refresh_from_db()
    kept = user.email_opt_outs
    client.post("/accounts/notifications/", {})
    user.refresh_from_db()

    assert page.status_code == 200
    for kind in notifications.kind_list():
        assert escape(str(kind.label)) in page.content.decode()
    assert (saved.status_code, saved["Location"]) == (302, "/accounts/notifications/")
    assert "digest" not in kept
    assert user.email_opt_outs == sorted(kind.slug for kind in notifications.kind_list())


def test_the_one_click_link_turns_the_kind_off_without_a_session(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        sent = _digest_email(user)

    message = mailoutbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert sent is True
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix(settings.SITE_URL), {"List-Unsubscribe": "One-Click"}
    )
    user.refresh_from_db()
    assert response.status_code == 200
    assert user.email_opt_outs == ["digest"]


def test_the_link_asks_before_it_turns_anything_off(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _digest_email(user)
    link = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")

    response = Client().get(link.removeprefix(settings.SITE_URL))

    user.refresh_from_db()
    assert response.status_code == 200
    assert user.email_opt_outs == []


def test_an_optional_email_is_not_sent_to_someone_who_turned_it_off(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email_opt_outs=["digest"])

    with django_capture_on_commit_callbacks(execute=True):
        sent = _digest_email(user)

    assert sent is False
    assert mailoutbox == []


def test_a_forged_link_is_a_404():
    user = UserFactory()
    token = notifications.unsubscribe_token(user, "digest")

    forged = Client().post(f"/email/unsubscribe/{token[:-2]}xx/")
    unknown_kind = Client().post(
        f"/email/unsubscribe/{notifications.unsubscribe_token(user, 'nothing')}/"
    )

    user.refresh_from_db()
    assert (forged.status_code, unknown_kind.status_code) == (404, 404)
    assert user.email_opt_outs == []
