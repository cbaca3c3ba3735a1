"""Demo partner institutions with published rotations."""

from datetime import date, timedelta

from exchanges.enums import RotationStatus
from exchanges.models import Coordinator, Institution, Rotation
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


def seed(out) -> None:
    start = date.today().replace(day=1) + timedelta(days=120)
    for index, (name, city, country, language) in enumerate(INSTITUTIONS):
        institution, _ = Institution.objects.update_or_create(
            name=name, defaults={"city": city, "country": country}
        )
        for offset, (specialty, label, capacity) in enumerate(ROTATIONS):
            begins = start + timedelta(days=30 * offset + 7 * index)
            Rotation.objects.update_or_create(
                institution=institution,
                title=f"{label} clerkship, {city}",
                defaults={
                    "specialty": specialty,
                    "department": f"Department of {label}",
                    "city": city,
                    "country": country,
                    "language": language,
                    "start_date": begins,
                    "end_date": begins + timedelta(days=27),
                    "capacity": capacity,
                    "requirements": "Final-year medical student; immunisation record; proof of insurance.",
                    "status": RotationStatus.PUBLISHED,
                },
            )
    Coordinator.objects.get_or_create(
        institution=Institution.objects.get(name=INSTITUTIONS[0][0]), user=demo_user("coordinator")
    )
    out.write(f"Partner institutions: {len(INSTITUTIONS)}, with {len(ROTATIONS)} rotations each.")
