"""A partner school posts, edits, publishes and closes its rotations."""

from typing import Any

from django.db import transaction

from exchanges.enums import RotationStatus
from exchanges.models import Institution, Rotation
from exchanges.services.common import full_clean_or_refuse
from portal.content_languages import localized_names

# The texts, one column per language (exchanges/translation.py): title_en, title_fr …
TRANSLATED_FIELDS = ("title", "department", "requirements", "fee_waiver")
EDITABLE_FIELDS = (
    "cycle",
    *localized_names(*TRANSLATED_FIELDS),
    "specialty",
    "city",
    "country",
    "language",
    "start_date",
    "end_date",
    "capacity",
    "required_documents",
    "fee_amount",
    "fee_currency",
    "deadline",
)


@transaction.atomic
def rotation_create(
    *, institution: Institution, data: dict[str, Any], publish: bool = False
) -> Rotation:
    rotation = Rotation(institution=institution)
    _assign(rotation, data)
    rotation.status = RotationStatus.PUBLISHED if publish else RotationStatus.DRAFT
    full_clean_or_refuse(rotation)
    rotation.save()
    return rotation


@transaction.atomic
def rotation_update(*, rotation: Rotation, data: dict[str, Any], publish: bool = False) -> Rotation:
    _assign(rotation, data)
    if publish:
        rotation.status = RotationStatus.PUBLISHED
    full_clean_or_refuse(rotation)
    rotation.save()
    return rotation


@transaction.atomic
def rotation_set_status(*, rotation: Rotation, status: RotationStatus) -> Rotation:
    """Publish (or publish again) and close. A closed rotation leaves the catalogue and the
    match; students who ranked it keep it in their list, where it is marked closed."""
    rotation.status = status
    rotation.save(update_fields=["status"])
    return rotation


def _assign(rotation: Rotation, data: dict[str, Any]) -> None:
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(rotation, field, data[field])
    rotation.required_documents = list(dict.fromkeys(rotation.required_documents or ()))
