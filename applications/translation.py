"""The texts of a call that staff type, in every language (django-modeltranslation): one
column per language beside each field (``title_en``, ``title_fr`` …), English required.

To make another field translatable: add it here, run ``makemigrations applications``, copy
its values into the ``_en`` column in that migration, and list its languages in the panels
(``portal.content_languages.language_panels``); docs/architecture.md says the rest.
"""

from django.db.models import NOT_PROVIDED
from modeltranslation.translator import TranslationOptions, register

from applications.models import (
    Call,
    Criterion,
    DocumentKind,
    EligibilityQuestion,
    Question,
    Stage,
    StageCriterion,
)
from portal.content_languages import DEFAULT, OTHERS


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "summary")
    required_languages = (DEFAULT,)


@register(EligibilityQuestion)
class EligibilityQuestionTranslation(TranslationOptions):
    fields = ("text", "reason")
    required_languages = (DEFAULT,)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("section", "label", "help_text", "choices")
    required_languages = (DEFAULT,)


@register(DocumentKind)
class DocumentKindTranslation(TranslationOptions):
    fields = ("name", "help_text")
    required_languages = (DEFAULT,)


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = (DEFAULT,)


@register(Stage)
class StageTranslation(TranslationOptions):
    fields = ("name", "instructions", "location")
    required_languages = (DEFAULT,)


@register(StageCriterion)
class StageCriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = (DEFAULT,)


# A question's section defaults to "Your application" in English only: a French default
# ("Votre candidature") would stay behind when staff rename the English section, and split the
# section in two for French readers. Untranslated, it falls back to the English name.
for _code in OTHERS:
    Question._meta.get_field(f"section_{_code}").default = NOT_PROVIDED
