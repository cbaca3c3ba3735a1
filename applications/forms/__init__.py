"""Forms of the scholarship programme: the applicant's, the committee's and the chair's."""

from applications.forms.apply import (
    AboutForm,
    DeclineForm,
    EligibilityForm,
    ProfileForm,
    RefereeForm,
    SectionForm,
    answer_field,
)
from applications.forms.decisions import AwardAnswerForm, DecisionForm, SuggestionForm
from applications.forms.review import ConflictForm, ReviewForm, SwapForm

__all__ = [
    "AboutForm",
    "AwardAnswerForm",
    "ConflictForm",
    "DecisionForm",
    "DeclineForm",
    "EligibilityForm",
    "ProfileForm",
    "RefereeForm",
    "ReviewForm",
    "SectionForm",
    "SuggestionForm",
    "SwapForm",
    "answer_field",
]
