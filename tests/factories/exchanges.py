"""Partner institutions, coordinators, rotations, cycles, rank lists and documents; builders
that put a cycle in a phase or write rank lists directly; and the orders that lists hold."""

import hashlib
from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from exchanges.enums import DocumentKind, RotationStatus
from exchanges.models import (
    Coordinator,
    Couple,
    CoupleChoice,
    CoupleStatus,
    Endorsement,
    EndorsementStatus,
    ExchangeCycle,
    Institution,
    RankList,
    RankListEntry,
    Rotation,
    SchoolRankEntry,
    StudentDocument,
)
from portal import storage
from portal.taxonomy import Specialty
from tests.factories.accounts import UserFactory
from tests.factories.applications import PDF


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Partner Medical School {n}")
    city = "Kampala"
    country = "UG"


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator

    institution = factory.SubFactory(InstitutionFactory)
    user = factory.SubFactory(UserFactory)


class RotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rotation

    institution = factory.SubFactory(InstitutionFactory)
    title = factory.Sequence(lambda n: f"Rotation {n}")
    specialty = Specialty.PEDIATRICS
    city = "Kampala"
    country = "UG"
    language = "en"
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=27))
    capacity = 2


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle whose students are ranking now."""

    class Meta:
        model = ExchangeCycle

    name = factory.Sequence(lambda n: f"Exchange cycle {n}")
    time_zone = "Africa/Nairobi"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    students_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    schools_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    respond_by = factory.LazyFunction(lambda: timezone.now() + timedelta(days=35))
    max_ranks = 5


class CycleRotationFactory(RotationFactory):
    """A published rotation in a cycle, asking for two documents."""

    cycle = factory.SubFactory(CycleFactory)
    status = RotationStatus.PUBLISHED
    required_documents = factory.LazyFunction(
        lambda: [DocumentKind.IMMUNISATION.value, DocumentKind.INSURANCE.value]
    )


class RankListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankList

    cycle = factory.SubFactory(CycleFactory)
    student = factory.SubFactory(UserFactory)
    home_school = "Makerere University School of Medicine"
    year_of_study = 5
    languages = factory.LazyFunction(lambda: ["en", "fr"])


class StudentDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentDocument

    rank_list = factory.SubFactory(RankListFactory)
    kind = DocumentKind.IMMUNISATION
    # A real stored object: downloads check the object's checksum before they are served.
    key = factory.LazyFunction(
        lambda: default_storage.save(storage.new_key("exchanges/test"), ContentFile(PDF))
    )
    original_name = "record.pdf"
    size = len(PDF)
    content_type = "application/pdf"
    sha256 = hashlib.sha256(PDF).hexdigest()


def move_to(cycle: ExchangeCycle, phase: str) -> ExchangeCycle:
    """Shift the cycle's dates so that it is in `phase` now."""
    now = timezone.now()
    day = timedelta(days=1)
    dates = {
        "upcoming": (now + day, now + 2 * day, now + 3 * day, now + 4 * day),
        "students_ranking": (now - day, now + day, now + 2 * day, now + 3 * day),
        "schools_ranking": (now - 2 * day, now - day, now + day, now + 2 * day),
        "matching": (now - 3 * day, now - 2 * day, now - day, now + 7 * day),
    }[phase]
    cycle.opens_at, cycle.students_close_at, cycle.schools_close_at, cycle.respond_by = dates
    cycle.save()
    return cycle


def ranked(
    student_list: RankList, rotations, *, submitted: bool = True, endorsed: bool | None = None
) -> RankList:
    """Write a student's order directly (the services are tested on their own). A submitted
    list is endorsed by its home school too (`endorsed`: True unless said otherwise), so
    that it counts in the match: see `endorsed_by`."""
    rotations = list(rotations)
    RankListEntry.objects.bulk_create(
        RankListEntry(rank_list=student_list, rotation=rotation, position=position)
        for position, rotation in enumerate(rotations, start=1)
    )
    if submitted:
        student_list.submitted_at = timezone.now()
        student_list.save()
    if submitted if endorsed is None else endorsed:
        endorsed_by(student_list, rotations[0].institution if rotations else None)
    return student_list


def endorsed_by(rank_list: RankList, institution=None, *, status=EndorsementStatus.ENDORSED):
    """The list's home-school endorsement, written directly (of `institution`, a new partner
    school if None), endorsed unless `status` says otherwise."""
    decided = status != EndorsementStatus.REQUESTED
    endorsement, _created = Endorsement.objects.update_or_create(
        rank_list=rank_list,
        defaults={
            "institution": institution or InstitutionFactory(),
            "status": status,
            "year_confirmed": (rank_list.year_of_study or 5) if status == "endorsed" else None,
            "good_standing": status == EndorsementStatus.ENDORSED,
            "reason": "Not enrolled this year." if status == EndorsementStatus.DECLINED else "",
            "decided_at": timezone.now() if decided else None,
            "requested_at": timezone.now(),
        },
    )
    return endorsement


def school_ranks(rotation, rank_lists, *, refused=(), submitted: bool = True) -> None:
    SchoolRankEntry.objects.bulk_create(
        [
            *(
                SchoolRankEntry(rotation=rotation, rank_list=rank_list, position=position)
                for position, rank_list in enumerate(rank_lists, start=1)
            ),
            *(SchoolRankEntry(rotation=rotation, rank_list=r, position=None) for r in refused),
        ]
    )
    if submitted:
        rotation.ranking_submitted_at = timezone.now()
        rotation.save()


def with_documents(rank_list: RankList, kinds=(DocumentKind.IMMUNISATION, DocumentKind.INSURANCE)):
    for kind in kinds:
        StudentDocumentFactory(rank_list=rank_list, kind=kind)
    return rank_list


def student_order(rank_list: RankList) -> list[int]:
    """The rotations on a student's list, first choice first."""
    return list(rank_list.entries.order_by("position").values_list("rotation_id", flat=True))


def school_order(rotation: Rotation) -> list[int]:
    """The rank lists a school ranked for `rotation`, first first (not those it refused)."""
    return list(
        SchoolRankEntry.objects.filter(rotation=rotation, position__isnull=False)
        .order_by("position")
        .values_list("rank_list_id", flat=True)
    )


def cycle_from(start, *, post_match_days: int | None = None, **kwargs) -> ExchangeCycle:
    """A cycle on a fixed calendar from `start`: students rank for 10 days, schools 7 more,
    students answer their placement by day 30, and the post-match round ends at day
    `post_match_days` (open without end if None)."""
    day = timedelta(days=1)
    return CycleFactory(
        opens_at=start,
        students_close_at=start + 10 * day,
        schools_close_at=start + 17 * day,
        respond_by=start + 30 * day,
        post_match_closes_at=start + post_match_days * day if post_match_days else None,
        **kwargs,
    )


def match_published(*, capacity: int = 1, students: int = 3, school_ranked: int | None = None):
    """A published match on one rotation that `students` ranked; its school ranked the first
    `school_ranked` of them (all by default), in order, so the first `capacity` are placed and
    the others wait. Returns the cycle, the rotation and the lists, in the school's order."""
    from exchanges import services

    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, capacity=capacity, title="Rural medicine")
    lists = [ranked(RankListFactory(cycle=cycle), [rotation]) for _ in range(students)]
    school_ranks(rotation, lists[: students if school_ranked is None else school_ranked])
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))
    cycle.refresh_from_db()
    return cycle, rotation, lists


class CoupleFactory(factory.django.DjangoModelFactory):
    """Two lists of one cycle, linked (pass status="proposed" for a request)."""

    class Meta:
        model = Couple

    first = factory.SubFactory(RankListFactory)
    second = factory.SubFactory(RankListFactory, cycle=factory.SelfAttribute("..first.cycle"))
    cycle = factory.SelfAttribute("first.cycle")
    status = CoupleStatus.LINKED
    linked_at = factory.LazyFunction(timezone.now)


def paired(couple: Couple, pairs) -> Couple:
    """Write a couple's ranked pairs of rotations directly, best first."""
    CoupleChoice.objects.bulk_create(
        CoupleChoice(couple=couple, position=position, first_rotation=a, second_rotation=b)
        for position, (a, b) in enumerate(pairs, start=1)
    )
    return couple


def placement_for(rank_list: RankList, *, confirm: bool = True):
    """Publish the match of the list's cycle (its rankings already written) and return the
    list's placement, with its rotation, cycle and student; confirmed unless `confirm` is
    False."""
    from exchanges import services
    from exchanges.models import Placement

    move_to(rank_list.cycle, "matching")
    services.match_publish(run=services.match_run(cycle=rank_list.cycle, by=None))
    placement = Placement.objects.get(rank_list=rank_list)
    if confirm:
        services.placement_answer(placement=placement, accept=True)
    return Placement.objects.select_related(
        "cycle", "rotation__institution", "rank_list__student"
    ).get(pk=placement.pk)


class TravelDetailsFactory(factory.django.DjangoModelFactory):
    """A student's passport details, as the visa letter prints them."""

    class Meta:
        model = "exchanges.TravelDetails"

    rank_list = factory.SubFactory(RankListFactory)
    passport_number = "N1234567"
    nationality = "LB"
    passport_expires_on = date(2033, 1, 1)


class CompletionFactory(factory.django.DjangoModelFactory):
    """A host school's record that the student attended, with its evaluation."""

    class Meta:
        model = "exchanges.Completion"

    attended = True
    days_attended = 20
    clinical_skills = 4
    professionalism = 5
    communication = 3
    comment = "A careful and kind student."
    recorded_at = factory.LazyFunction(timezone.now)


def second_round_for(cycle: ExchangeCycle, *, state: str = "open", by=None):
    """The cycle's second round (its main match published already), written directly:
    "open" now for two days, "closed" a minute ago, or "published" (closed, then a second
    run made and published through the services)."""
    from exchanges.models import SecondRound

    cycle.refresh_from_db()
    now = timezone.now()
    if state == "open":
        opens_at, closes_at = now - timedelta(hours=1), now + timedelta(days=2)
    else:
        opens_at, closes_at = now - timedelta(days=3), now - timedelta(minutes=1)
    second = SecondRound.objects.create(
        cycle=cycle, opens_at=opens_at, closes_at=closes_at, opened_by=by
    )
    if state == "published":
        from exchanges.services import second_run

        second_run.second_round_publish(run=second_run.second_round_run(cycle=cycle, by=by))
        second.refresh_from_db()
    return second
