"""Benchmark publishing an exchange match, and the staff's page of a run, on the configured
database.

Run from the repository root: ``python tests/bench/bench_publish.py [sizes...]`` (default
1,000, 5,000 and 20,000 students); with ``DATABASE_URL=postgres://...`` it runs on
PostgreSQL, otherwise on SQLite in memory. Tasks go to the database queue
(``django_tasks_db``), as in production, so queuing them is part of the time.

For each size, one cycle built with ``bulk_create`` on a throwaway database (then
``ANALYZE``): a rotation per four students (capacities 2-5) at a school per ten rotations,
each school with a coordinator; every student ranks 6 rotations (popular ones more often) and
every school ranks everyone who ranked it; the students write in English, French, Arabic or
Spanish. Then ``matching.match_run`` (timed, for reference) and ``matching.match_publish``
(timed: the placements written, two tasks queued, nothing rendered), checked: one placement
per placed student. Then what the worker does, timed: the first task splits the emails into
one task per 200 recipients (checked), and one of those renders and queues its 200 emails.
Last, the run's page: its queries (equal at 1 student and at every size) and its time, first
and last page.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from itertools import accumulate

import harness

harness.django_setup(TASKS_BACKEND="django_tasks_db.DatabaseBackend")

from django.utils import timezone  # noqa: E402

SIZES = (1_000, 5_000, 20_000)
RANKS = 6
LANGUAGES = ["en", "fr", "ar", "es"]


def build_cycle(n_students: int, *, seed: int = 0):
    """A cycle past both deadlines with `n_students` submitted lists and ranked schools."""
    from exchanges.enums import RotationStatus
    from exchanges.models import (
        Coordinator,
        ExchangeCycle,
        Institution,
        RankList,
        RankListEntry,
        Rotation,
        SchoolRankEntry,
    )
    from portal.accounts.models import User
    from portal.taxonomy import Specialty

    rng = random.Random(seed)
    now = timezone.now()
    day = timedelta(days=1)
    tag = f"{n_students}-{seed}"
    cycle = ExchangeCycle.objects.create(
        name=f"Benchmark cycle {tag}",
        time_zone="Africa/Nairobi",
        opens_at=now - 30 * day,
        students_close_at=now - 2 * day,
        schools_close_at=now - day,
        respond_by=now + 14 * day,
        max_ranks=RANKS,
    )
    n_rotations = max(2, n_students // 4)
    institutions = Institution.objects.bulk_create(
        Institution(name=f"Partner school {tag}-{i}", city="Kampala", country="UG")
        for i in range(max(1, n_rotations // 10))
    )
    coordinators = User.objects.bulk_create(
        User(
            email=f"coordinator-{tag}-{i}@example.org",
            full_name=f"Coordinator {i}",
            password="!",
            preferred_language=rng.choice(LANGUAGES),
        )
        for i in range(len(institutions))
    )
    Coordinator.objects.bulk_create(
        Coordinator(institution=institution, user=user)
        for institution, user in zip(institutions, coordinators, strict=True)
    )
    start = date.today() + 60 * day
    rotations = Rotation.objects.bulk_create(
        (
            Rotation(
                institution=rng.choice(institutions),
                cycle=cycle,
                title=f"Rotation {i}",
                specialty=Specialty.PEDIATRICS,
                city="Kampala",
                country="UG",
                language="en",
                start_date=start,
                end_date=start + 27 * day,
                capacity=rng.randint(2, 5),
                status=RotationStatus.PUBLISHED,
                ranking_submitted_at=now - day,
            )
            for i in range(n_rotations)
        ),
        batch_size=2000,
    )
    students = User.objects.bulk_create(
        (
            User(
                email=f"student-{tag}-{i}@example.org",
                full_name=f"Student {i}",
                password="!",
                preferred_language=rng.choice(LANGUAGES),
            )
            for i in range(n_students)
        ),
        batch_size=2000,
    )
    lists = RankList.objects.bulk_create(
        (
            RankList(cycle=cycle, student=user, year_of_study=5, submitted_at=now - 3 * day)
            for user in students
        ),
        batch_size=2000,
    )
    # Popular rotations first: rotation i is drawn with weight 1 / (1 + i / 50).
    cumulative = list(accumulate(1 / (1 + i / 50) for i in range(n_rotations)))
    chosen = {}
    for rank_list in lists:
        picked: dict[int, None] = {}
        while len(picked) < min(RANKS, n_rotations):
            picked.update(dict.fromkeys(rng.choices(range(n_rotations), cum_weights=cumulative)))
        chosen[rank_list.pk] = list(picked)[:RANKS]
    RankListEntry.objects.bulk_create(
        (
            RankListEntry(rank_list_id=rank_list_id, rotation_id=rotations[r].pk, position=p)
            for rank_list_id, picks in chosen.items()
            for p, r in enumerate(picks, start=1)
        ),
        batch_size=5000,
    )
    applicants: dict[int, list[int]] = {}
    for rank_list_id, picks in chosen.items():
        for r in picks:
            applicants.setdefault(r, []).append(rank_list_id)
    for group in applicants.values():
        rng.shuffle(group)
    SchoolRankEntry.objects.bulk_create(
        (
            SchoolRankEntry(rotation_id=rotations[r].pk, rank_list_id=rank_list_id, position=p)
            for r, group in applicants.items()
            for p, rank_list_id in enumerate(group, start=1)
        ),
        batch_size=5000,
    )
    return cycle, coordinators


def bench(n_students: int, client, small_run) -> None:
    from django_tasks_db.models import DBTaskResult

    from exchanges import selectors, services
    from exchanges.models import Placement
    from exchanges.services.matching import (
        EMAIL_BATCH,
        match_published_batches,
        match_published_emails,
    )

    tasks = DBTaskResult.objects.all()

    started = time.perf_counter()
    cycle, coordinators = build_cycle(n_students, seed=n_students)
    harness.analyze()
    loaded = time.perf_counter() - started

    ran, run = harness.best_of(1, lambda: services.match_run(cycle=cycle, by=None))
    DBTaskResult.objects.all().delete()
    run = selectors.run_get(run_id=run.pk)  # as the page's button does
    published, _ = harness.best_of(1, lambda: services.match_publish(run=run))
    placements = Placement.objects.filter(cycle=cycle).count()
    assert placements == run.placed, (placements, run.placed)
    queued = sorted(
        path.rsplit(".", 1)[1]
        for path in tasks.filter(task_path__startswith="exchanges.").values_list(
            "task_path", flat=True
        )
    )
    assert queued == ["task_match_published_batches", "task_placement_letters"], queued

    DBTaskResult.objects.all().delete()
    split, batches = harness.best_of(1, lambda: match_published_batches(cycle_id=cycle.pk))
    expected = -(-n_students // EMAIL_BATCH) + -(-len(coordinators) // EMAIL_BATCH)
    assert batches == expected == tasks.count(), (batches, expected, tasks.count())
    batch = tasks.filter(args_kwargs__kwargs__has_key="students").first()
    DBTaskResult.objects.all().delete()
    sent, told = harness.best_of(1, lambda: match_published_emails(**batch.args_kwargs["kwargs"]))
    assert told == min(EMAIL_BATCH, n_students)
    assert tasks.filter(task_path__endswith="task_send_email").count() == told

    path = f"/exchanges/staff/runs/{run.pk}/"
    queries = harness.query_count(client, path)
    small = harness.query_count(client, f"/exchanges/staff/runs/{small_run.pk}/")
    assert queries == small, (queries, small)
    last = -(-run.students // 50)
    first_page, _median, _size = harness.timed_get(client, path, 5)
    last_page, _median, _size = harness.timed_get(client, f"{path}?page={last}", 5)
    print(
        f"{n_students:>6,} students, {run.rotations:,} rotations: match_publish "
        f"{published:.2f} s ({placements:,} placements, 2 tasks queued); match_run {ran:.2f} s;"
        f" in the worker: {batches} email tasks of {EMAIL_BATCH} recipients queued in "
        f"{split:.2f} s, one of them {sent:.2f} s ({told} emails rendered and queued); "
        f"run page {queries} queries "
        f"(as at 1 student), {first_page * 1000:.0f} ms first page, {last_page * 1000:.0f} ms "
        f"page {last}; data loaded in {loaded:.1f} s"
    )
    if n_students == 20_000:
        harness.target("match_publish at 20,000 <= 3 s", published <= 3.0)


def main() -> None:
    from exchanges import services
    from portal.accounts.models import User
    from portal.permissions import staff_group

    sizes = [int(arg.replace(",", "").replace("_", "")) for arg in sys.argv[1:]] or SIZES
    print(f"{harness.versions('django')}, {harness.database()}")
    staff = User.objects.create_user("staff@example.org", full_name="Staff Person", is_staff=True)
    staff.groups.add(staff_group())
    client = harness.signed_in_client(staff)
    tiny, _coordinators = build_cycle(1, seed=1)
    small_run = services.match_run(cycle=tiny, by=None)
    for n in sizes:
        bench(n, client, small_run)


if __name__ == "__main__":
    with harness.throwaway_database():
        main()
