"""Benchmark the award letters batch: 1,000 PDF letters rendered and stored by the task.

Run from the repository root: ``python tests/bench/bench_award_letters.py``.

Builds 1,000 published awards (students writing in English, French, Arabic and Spanish) in a
temporary SQLite test database (settings ``portal.settings_test``), then runs the background
task ``applications.services.letters.task_award_letters`` batch after batch, as one worker
would, storing the PDFs in a temporary directory. Prints letters per second, the time per letter
(overall and by language) and the size of a letter, then checks every decision got its letter.
"""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import harness

harness.django_setup()

from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

N_LETTERS = 1_000
LANGUAGES = ["en", "fr", "ar", "es"]
NAMES = {
    "en": "Grace Achieng",
    "fr": "Aminata Diallo",
    "ar": "ليلى حداد",
    "es": "Lucía Quispe",
}


def build(n: int) -> list[int]:
    from applications.enums import ApplicationState, DecisionOutcome
    from applications.models import Application, Call, Decision
    from portal.accounts.models import User

    now = timezone.now()
    chair = User.objects.create_user("chair@example.org", full_name="Chair Person")
    call = Call.objects.create(
        title="Global Surgery Scholarships 2030",
        slug="global-surgery-2030",
        opens_at=now - timezone.timedelta(days=60),
        closes_at=now - timezone.timedelta(days=5),
        budget=Decimal("5000000"),
        award_amount=Decimal("2500"),
        time_zone="Africa/Nairobi",
    )
    students = User.objects.bulk_create(
        (
            User(
                email=f"student-{i}@example.org",
                full_name=f"{NAMES[LANGUAGES[i % 4]]} {i}",
                preferred_language=LANGUAGES[i % 4],
                password="!",
            )
            for i in range(n)
        ),
        batch_size=1000,
    )
    applications = Application.objects.bulk_create(
        (
            Application(
                call=call,
                applicant=user,
                state=ApplicationState.AWARDED,
                country="KE",
                institution="University of Nairobi",
                submitted_at=now,
            )
            for user in students
        ),
        batch_size=1000,
    )
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                application=application,
                outcome=DecisionOutcome.AWARD,
                amount=Decimal("2500"),
                respond_by=timezone.localdate(now) + timezone.timedelta(days=14),
                decided_by=chair,
                published_at=now,
            )
            for application in applications
        ),
        batch_size=1000,
    )
    return [d.pk for d in decisions]


def main(root: Path) -> None:
    from applications.models import Decision
    from applications.services import letters as letter_service
    from applications.services.letters import task_award_letters

    print(f"{harness.versions('django')}, cores {os.cpu_count()}")
    ids = build(N_LETTERS)
    batch = letter_service.LETTER_BATCH

    # Warm: fonts and templates load once per process (a worker keeps them).
    first = Decision.objects.select_related(
        "application__applicant", "application__call", "decided_by"
    ).get(pk=ids[0])
    letter_service.award_letter_pdf(decision=first)

    by_language: dict[str, list[float]] = {code: [] for code in LANGUAGES}
    for code in LANGUAGES:
        sample = Decision.objects.select_related(
            "application__applicant", "application__call", "decided_by"
        ).filter(application__applicant__preferred_language=code)[:10]
        for decision in sample:
            start = time.perf_counter()
            pdf = letter_service.award_letter_pdf(decision=decision)
            by_language[code].append(time.perf_counter() - start)

    start = time.perf_counter()
    stored = 0
    for offset in range(0, len(ids), batch):
        stored += task_award_letters.call(decision_ids=ids[offset : offset + batch])
    elapsed = time.perf_counter() - start

    assert stored == N_LETTERS, stored
    assert not Decision.objects.filter(letter_key="").exists()
    sizes = [
        (root / key).stat().st_size
        for key in Decision.objects.values_list("letter_key", flat=True)[:50]
    ]
    print(
        f"{N_LETTERS:,} award letters in batches of {batch} (one worker, one process): "
        f"{elapsed:.1f} s, {N_LETTERS / elapsed:.1f} letters/s, "
        f"{elapsed / N_LETTERS * 1000:.0f} ms per letter (render + store + save)"
    )
    print(
        "render only, median per language: "
        + ", ".join(
            f"{code} {statistics.median(times) * 1000:.0f} ms"
            for code, times in by_language.items()
        )
    )
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"letter size: {statistics.mean(sizes) / 1024:.0f} KiB on average, {pages} page(s)")
    assert pdf.startswith(b"%PDF-")


if __name__ == "__main__":
    with (
        harness.throwaway_database(),
        tempfile.TemporaryDirectory(prefix="award-letters-") as tempdir_root,
    ):
        storages = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tempdir_root},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages):
            main(Path(tempdir_root))
