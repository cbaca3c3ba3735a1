"""factory-boy factories for the whole suite."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from applications.enums import DecisionOutcome, FileType, QuestionKind, ReviewState
from applications.models import (
    Application,
    Assignment,
    Call,
    CommitteeMembership,
    Criterion,
    Decision,
    DocumentKind,
    EligibilityQuestion,
    Question,
    Review,
)
from exchanges.models import Coordinator, Institution, Rotation
from mentorship.models import MentorProfile
from portal.accounts.models import User
from portal.taxonomy import Specialty

PASSWORD = "a-long-test-password-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user.save()

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(user, TOTP_SECRET)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Scholarship call {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    time_zone = "Africa/Nairobi"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    budget = Decimal("10000")
    award_amount = Decimal("1000")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    call = factory.SubFactory(CallFactory)
    section = "Your studies"
    label = factory.Sequence(lambda n: f"Question {n}")
    kind = QuestionKind.SHORT_TEXT
    required = True
    sort_order = factory.Sequence(lambda n: n)


class DocumentKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentKind

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Document {n}")
    allowed_types = [FileType.PDF]
    max_size_mb = 1
    required = True
    sort_order = factory.Sequence(lambda n: n)


class EligibilityQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityQuestion

    call = factory.SubFactory(CallFactory)
    text = "Are you a medical student?"
    required_answer = True
    reason = "This call is for medical students."


def full_call(**kwargs) -> Call:
    """An open call with two sections of questions, one document kind and one referee."""
    call = CallFactory(referees_required=1, **kwargs)
    QuestionFactory(
        call=call, section="Studies", label="Motivation", kind=QuestionKind.LONG_TEXT, word_limit=5
    )
    QuestionFactory(call=call, section="Studies", label="Grade", kind=QuestionKind.NUMBER)
    QuestionFactory(call=call, section="Plans", label="Plans", kind=QuestionKind.SHORT_TEXT)
    QuestionFactory(
        call=call, section="Plans", label="Optional", kind=QuestionKind.YES_NO, required=False
    )
    DocumentKindFactory(call=call, name="Transcript")
    return call


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    questions = factory.LazyAttribute(lambda o: [q.snapshot() for q in o.call.questions.all()])


class CommitteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory)
    is_chair = False


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


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory)
    specialties = ["cardiology"]
    languages = ["en", "fr"]
    countries = ["SN"]
    time_zone = "Europe/Paris"
    capacity = 2


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# --- Review committees: rubric, assignments, reviews, decisions ------------------------------


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    scale_max = 5
    sort_order = factory.Sequence(lambda n: n)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    application = factory.SubFactory(ApplicationFactory)
    membership = factory.SubFactory(
        CommitteeMembershipFactory, call=factory.SelfAttribute("..application.call")
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    """A submitted review; pass `scores={str(criterion.pk): value, ...}`."""

    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)
    scores = factory.LazyFunction(dict)
    state = ReviewState.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A draft decision (unpublished) by a chair of the application's call."""

    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory)
    outcome = DecisionOutcome.AWARD
    amount = Decimal("1000")
    decided_by = factory.SubFactory(UserFactory)
