"""Demo partner institutions with published rotations, an exchange cycle open for ranking, and
the demo applicant's rank list in progress. The rotations in Dakar and Cairo have their texts in
French, Arabic and Spanish too; those in Nairobi are in English only (their readers see the
English fallback, marked)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from exchanges.enums import DocumentKind, RotationStatus
from exchanges.models import (
    Coordinator,
    Endorsement,
    EndorsementStatus,
    ExchangeCycle,
    Institution,
    RankList,
    RankListEntry,
    Rotation,
)
from portal.demo import demo_user
from portal.taxonomy import Specialty

INSTITUTIONS = [
    ("University of Nairobi School of Medicine", "Nairobi", "KE", "en"),
    ("Université Cheikh Anta Diop, Faculté de Médecine", "Dakar", "SN", "fr"),
    ("Ain Shams University Faculty of Medicine", "Cairo", "EG", "ar"),
]
ROTATIONS = [
    (Specialty.PEDIATRICS, "Paediatrics", 3),
    (Specialty.INFECTIOUS, "Infectious disease", 2),
    (Specialty.SURGERY, "General surgery", 2),
]
REQUIRED = [DocumentKind.IMMUNISATION, DocumentKind.INSURANCE]
REQUIREMENTS = "Final-year medical student; immunisation record; proof of insurance."
FEE_WAIVER = "Waived for students of partner schools in low-income countries."
# The translated texts: a rotation's title and department by specialty, and the city's name.
TRANSLATED = {
    "fr": {
        Specialty.PEDIATRICS: ("Stage de pédiatrie", "Service de pédiatrie"),
        Specialty.INFECTIOUS: (
            "Stage de maladies infectieuses",
            "Service des maladies infectieuses",
        ),
        Specialty.SURGERY: ("Stage de chirurgie générale", "Service de chirurgie générale"),
        "cities": {"Dakar": "Dakar", "Cairo": "Le Caire"},
        REQUIREMENTS: "Étudiant ou étudiante en dernière année de médecine ; carnet de vaccination ; attestation d'assurance.",
        FEE_WAIVER: "Exonération pour les étudiants des facultés partenaires des pays à faible revenu.",
    },
    "ar": {
        Specialty.PEDIATRICS: ("تدريب سريري في طب الأطفال", "قسم طب الأطفال"),
        Specialty.INFECTIOUS: ("تدريب سريري في الأمراض المعدية", "قسم الأمراض المعدية"),
        Specialty.SURGERY: ("تدريب سريري في الجراحة العامة", "قسم الجراحة العامة"),
        "cities": {"Dakar": "داكار", "Cairo": "القاهرة"},
        REQUIREMENTS: "طالب طب في السنة الأخيرة؛ سجل التطعيمات؛ إثبات التأمين.",
        FEE_WAIVER: "يُعفى من الرسوم طلاب الكليات الشريكة في البلدان منخفضة الدخل.",
    },
    "es": {
        Specialty.PEDIATRICS: ("Rotación de pediatría", "Servicio de pediatría"),
        Specialty.INFECTIOUS: (
            "Rotación de enfermedades infecciosas",
            "Servicio de enfermedades infecciosas",
        ),
        Specialty.SURGERY: ("Rotación de cirugía general", "Servicio de cirugía general"),
        "cities": {"Dakar": "Dakar", "Cairo": "El Cairo"},
        REQUIREMENTS: "Estudiante de medicina de último año; cartilla de vacunación; comprobante de seguro.",
        FEE_WAIVER: "Exentos los estudiantes de facultades asociadas de países de ingresos bajos.",
    },
}
CYCLE_NAME = "Clinical exchanges 2027"


def _cycle() -> ExchangeCycle:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    cycle, _ = ExchangeCycle.objects.get_or_create(
        name=CYCLE_NAME,
        defaults={
            "time_zone": "Africa/Nairobi",
            "opens_at": now - timedelta(days=7),
            "students_close_at": now + timedelta(days=45),
            "schools_close_at": now + timedelta(days=60),
            "respond_by": now + timedelta(days=75),
            "post_match_closes_at": now + timedelta(days=90),
            "max_ranks": 5,
        },
    )
    return cycle


def _translations(specialty: str, city: str, fee: bool) -> dict[str, str]:
    """A rotation's texts in French, Arabic and Spanish (none for a city not translated)."""
    texts = {}
    for code, words in TRANSLATED.items():
        if city not in words["cities"]:
            continue
        title, department = words[specialty]
        texts |= {
            f"title_{code}": f"{title}, {words['cities'][city]}",
            f"department_{code}": department,
            f"requirements_{code}": words[REQUIREMENTS],
            f"fee_waiver_{code}": words[FEE_WAIVER] if fee else None,
        }
    return texts


def seed(out) -> None:
    cycle = _cycle()
    start = date.today().replace(day=1) + timedelta(days=120)
    for index, (name, city, country, language) in enumerate(INSTITUTIONS):
        institution, _ = Institution.objects.update_or_create(
            name=name, defaults={"city": city, "country": country}
        )
        for offset, (specialty, label, capacity) in enumerate(ROTATIONS):
            begins = start + timedelta(days=30 * offset + 7 * index)
            Rotation.objects.update_or_create(
                institution=institution,
                title_en=f"{label} clerkship, {city}",
                defaults={
                    "cycle": cycle,
                    "specialty": specialty,
                    "department_en": f"Department of {label}",
                    **_translations(specialty, city, fee=offset == 2),
                    "city": city,
                    "country": country,
                    "language": language,
                    "start_date": begins,
                    "end_date": begins + timedelta(days=27),
                    "capacity": capacity,
                    "requirements_en": REQUIREMENTS,
                    "required_documents": [str(kind) for kind in REQUIRED],
                    "fee_amount": Decimal("150") if offset == 2 else None,
                    "fee_waiver_en": FEE_WAIVER if offset == 2 else "",
                    "status": RotationStatus.PUBLISHED,
                },
            )
    Coordinator.objects.get_or_create(
        institution=Institution.objects.get(name=INSTITUTIONS[0][0]), user=demo_user("coordinator")
    )
    rank_list, created = RankList.objects.get_or_create(
        cycle=cycle,
        student=demo_user("applicant"),
        defaults={
            "home_school": INSTITUTIONS[1][0],
            "year_of_study": 5,
            "languages": ["fr", "en"],
        },
    )
    if created:
        chosen = Rotation.objects.filter(cycle=cycle, specialty=Specialty.PEDIATRICS).order_by(
            "pk"
        )[:2]
        RankListEntry.objects.bulk_create(
            RankListEntry(rank_list=rank_list, rotation=rotation, position=position)
            for position, rotation in enumerate(chosen, start=1)
        )
    _endorse(rank_list, Institution.objects.get(name=INSTITUTIONS[1][0]))
    out.write(
        f"Partner institutions: {len(INSTITUTIONS)}, with {len(ROTATIONS)} rotations each, "
        f"in the cycle “{CYCLE_NAME}” (students rank until {cycle.students_close_at:%d %B %Y})."
    )


def _endorse(rank_list: RankList, school: Institution) -> None:
    """The demo student's home school (in Dakar, which has no coordinator on the portal) was
    endorsed by programme staff, so that the list counts in the demo match."""
    now = timezone.now()
    Endorsement.objects.get_or_create(
        rank_list=rank_list,
        defaults={
            "institution": school,
            "status": EndorsementStatus.ENDORSED,
            "year_confirmed": rank_list.year_of_study,
            "good_standing": True,
            "decided_by": demo_user("staff"),
            "decided_at": now,
            "requested_at": now,
        },
    )
