"""The texts of a rotation that schools and staff type, in every language
(django-modeltranslation): one column per language beside each field, English required.
Names of places and institutions are not translated.

To make another field translatable: see applications/translation.py and docs/architecture.md.
"""

from modeltranslation.translator import TranslationOptions, register

from exchanges.models import Rotation
from portal.content_languages import DEFAULT


@register(Rotation)
class RotationTranslation(TranslationOptions):
    fields = ("title", "department", "requirements", "fee_waiver")
    required_languages = (DEFAULT,)
