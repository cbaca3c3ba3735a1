"""Benchmark the public rotation catalogue (cms.RotationCatalogPage) at 5,000 rotations.

Run from the repository root: ``python tests/bench/bench_catalogue.py``. It builds a throwaway
test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set), checks that the page
makes the same number of queries with 1, 3 and 5,000 published rotations, and prints its
server-side render time (full request through the Django test client) for the first page,
a filtered page and the last page.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import harness

harness.django_setup()

from django.db import connection  # noqa: E402

N_ROTATIONS = 5_000
N_INSTITUTIONS = 400


def build_site():
    from wagtail.models import Page

    from cms.models import RotationCatalogPage

    home = Page.objects.get(depth=2)
    home.add_child(instance=RotationCatalogPage(title="Rotations", slug="rotations"))


def add_rotations(count: int, *, seed: int = 0) -> None:
    from django.utils import timezone

    from exchanges.enums import DocumentKind, RotationStatus
    from exchanges.models import ExchangeCycle, Institution, Rotation
    from portal.taxonomy import Specialty

    rng = random.Random(seed)
    now = timezone.now()
    cycle = ExchangeCycle.objects.first() or ExchangeCycle.objects.create(
        name="Bench cycle",
        time_zone="Africa/Nairobi",
        opens_at=now - timedelta(days=1),
        students_close_at=now + timedelta(days=30),
        schools_close_at=now + timedelta(days=45),
        respond_by=now + timedelta(days=60),
    )
    countries = ["KE", "SN", "EG", "UG", "TZ", "GH", "NG", "RW", "ET", "MA", "ZA", "CM"]
    languages = ["en", "fr", "ar", "sw", "pt"]
    missing = max(0, min(N_INSTITUTIONS, count) - Institution.objects.count())
    Institution.objects.bulk_create(
        Institution(name=f"Medical School {n}", city=f"City {n}", country=rng.choice(countries))
        for n in range(missing)
    )
    institutions = list(Institution.objects.all())
    specialties = [s.value for s in Specialty]
    start = date.today() + timedelta(days=30)
    Rotation.objects.bulk_create(
        (
            Rotation(
                institution=(institution := rng.choice(institutions)),
                cycle=cycle,
                title=f"{rng.choice(specialties).replace('_', ' ').title()} rotation {n}",
                specialty=rng.choice(specialties),
                department="Department",
                city=institution.city,
                country=institution.country,
                language=rng.choice(languages),
                start_date=(begins := start + timedelta(days=rng.randrange(365))),
                end_date=begins + timedelta(days=27),
                capacity=rng.randint(0, 8),
                required_documents=[DocumentKind.IMMUNISATION.value],
                fee_amount=Decimal("100") if rng.random() < 0.3 else None,
                status=RotationStatus.PUBLISHED,
            )
            for n in range(count)
        ),
        batch_size=1000,
    )


def main() -> None:
    from django.test import Client

    build_site()
    client = Client()
    add_rotations(1, seed=1)
    at_one = harness.query_count(client, "/rotations/")
    add_rotations(2, seed=2)
    at_three = harness.query_count(client, "/rotations/")
    add_rotations(N_ROTATIONS - 3, seed=3)
    at_scale = harness.query_count(client, "/rotations/")
    filtered = "/rotations/?specialty=cardiology&language=fr&seats=2"
    print(
        f"database: {connection.vendor}; {N_ROTATIONS:,} published rotations, "
        f"{N_INSTITUTIONS} institutions"
    )
    print(
        f"queries per catalogue page: {at_one} at 1 rotation, {at_three} at 3, "
        f"{at_scale} at {N_ROTATIONS:,}; filtered: {harness.query_count(client, filtered)}"
    )
    for label, url in [
        ("first page", "/rotations/"),
        ("filtered (specialty, language, seats)", filtered),
        ("month filter", f"/rotations/?month={(date.today() + timedelta(days=90)):%Y-%m}"),
        ("last page", f"/rotations/?page={N_ROTATIONS // 20}"),
    ]:
        best, median, size = harness.timed_get(client, url, runs=15)
        print(
            f"  {label}: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms, "
            f"{size / 1024:.0f} KiB HTML"
        )
    assert at_one == at_three == at_scale, "the query count grows with the rotations"
    harness.target("constant queries", True)


if __name__ == "__main__":
    with harness.throwaway_database():
        main()
