"""Shared vocabularies: clinical specialties and languages, used by every programme."""

import zoneinfo

from django.conf.locale import LANG_INFO
from django.db import models
from django.utils.translation import gettext_lazy as _


class Specialty(models.TextChoices):
    """A fixed taxonomy, close to the broad clinical disciplines of AAMC's VSLO catalogue."""

    ANESTHESIOLOGY = "anesthesiology", _("Anaesthesiology")
    CARDIOLOGY = "cardiology", _("Cardiology")
    DERMATOLOGY = "dermatology", _("Dermatology")
    EMERGENCY = "emergency_medicine", _("Emergency medicine")
    FAMILY = "family_medicine", _("Family medicine")
    GLOBAL_HEALTH = "global_health", _("Global and public health")
    INFECTIOUS = "infectious_disease", _("Infectious disease")
    INTERNAL = "internal_medicine", _("Internal medicine")
    NEUROLOGY = "neurology", _("Neurology")
    OBSTETRICS = "obstetrics_gynecology", _("Obstetrics and gynaecology")
    ONCOLOGY = "oncology", _("Oncology")
    OPHTHALMOLOGY = "ophthalmology", _("Ophthalmology")
    PATHOLOGY = "pathology", _("Pathology")
    PEDIATRICS = "pediatrics", _("Paediatrics")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    RADIOLOGY = "radiology", _("Radiology")
    SURGERY = "surgery", _("General surgery")
    ORTHOPEDICS = "orthopedics", _("Orthopaedics")


# Languages Django has no catalogue for but our students and clinicians speak (ISO 639-1).
_MORE_LANGUAGES = {
    "am": "Amharic",
    "ha": "Hausa",
    "ig": "Igbo",
    "ln": "Lingala",
    "mg": "Malagasy",
    "om": "Oromo",
    "rw": "Kinyarwanda",
    "sn": "Shona",
    "so": "Somali",
    "ti": "Tigrinya",
    "tw": "Twi",
    "wo": "Wolof",
    "yo": "Yoruba",
    "zu": "Zulu",
}
# The same names, marked for this project's catalogue (Django's own names every other language).
_MORE_LANGUAGE_NAMES = {
    "am": _("Amharic"),
    "ha": _("Hausa"),
    "ig": _("Igbo"),
    "ln": _("Lingala"),
    "mg": _("Malagasy"),
    "om": _("Oromo"),
    "rw": _("Kinyarwanda"),
    "sn": _("Shona"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "tw": _("Twi"),
    "wo": _("Wolof"),
    "yo": _("Yoruba"),
    "zu": _("Zulu"),
}
_DJANGO_LANGUAGES = {
    code: info["name"] for code, info in LANG_INFO.items() if "name" in info and "-" not in code
}
_ENGLISH_NAMES = {**_DJANGO_LANGUAGES, **_MORE_LANGUAGES}
# Languages of instruction and of conversation: ISO 639-1 codes with names in the reader's
# language (lazy; Django's catalogue translates the names of the languages it knows), in the
# order of their English names.
LANGUAGE_CHOICES = [
    (code, _MORE_LANGUAGE_NAMES.get(code) or _(english))
    for code, english in sorted(_ENGLISH_NAMES.items(), key=lambda item: item[1])
]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


def deadline_time_zone_field() -> models.CharField:
    """The time zone in which a call's or a cycle's deadlines are set and shown."""
    return models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        help_text=_("Deadlines are shown in this time zone as well as the reader's."),
    )
