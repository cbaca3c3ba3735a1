"""Scholarship calls, applications, committees, reviews and decisions; and builders that bring
an application or a committee to a given point, as the people using the portal would."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.enums import (
    ApplicationState,
    CallState,
    DecisionOutcome,
    FileType,
    QuestionKind,
    RefereeStatus,
    ReviewState,
)
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
    RefereeRequest,
    Review,
    Stage,
    StageCriterion,
)
from applications.services.applications import application_refresh_missing, application_save
from applications.services.documents import DocumentUpload
from portal.models import AuditEntry
from tests.factories.accounts import UserFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


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
    # Published, as every call was before calls had states; `CallFactory(draft=True)` for one
    # still being set up.
    state = CallState.PUBLISHED

    class Params:
        draft = factory.Trait(state=CallState.DRAFT)


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


# --- Builders ---------------------------------------------------------------------------------


def complete(application: Application) -> Application:
    """Every required answer, document and letter, ready to submit."""
    answers = {}
    for question in application.questions:
        answers[str(question["id"])] = {"long_text": "I want to serve.", "number": "15"}.get(
            question["kind"], "yes" if question["kind"] == "yes_no" else "Kenya"
        )
    application = application_save(
        application=application,
        version=application.version,
        answers=answers,
        profile={"country": "KE", "institution": "University of Nairobi", "year_of_study": 4},
    )
    for kind in application.call.document_kinds.all():
        DocumentUpload(application=application, kind=kind).save(
            file=SimpleUploadedFile("transcript.pdf", PDF)
        )
    for number in range(application.call.referees_required):
        RefereeRequest.objects.create(
            application=application,
            name=f"Referee {number}",
            email=f"referee{number}@example.org",
            token_hash=f"{application.pk:032d}{number:032d}",
            status=RefereeStatus.RECEIVED,
            letter_key=f"letters/{application.pk}-{number}",
        )
    application_refresh_missing(application=application)
    return Application.objects.get(pk=application.pk)


def make_committee(**call_fields):
    """A call with a chair, three reviewers and a one-criterion rubric on a 0-100 scale (so a
    review's score is its weighted total)."""
    fields = {"budget": Decimal("3000"), "award_amount": Decimal("1000"), "slug": "heal-2030"}
    call = CallFactory(**{**fields, **call_fields})
    chair = CommitteeMembershipFactory(call=call, is_chair=True, user__full_name="Chair Person")
    reviewers = [
        CommitteeMembershipFactory(call=call, user__full_name=f"Reviewer {n}") for n in range(3)
    ]
    criterion = CriterionFactory(call=call, weight=Decimal("1"), scale_max=100)
    return SimpleNamespace(call=call, chair=chair.user, reviewers=reviewers, criterion=criterion)


def candidate(call, name, **fields):
    """A submitted application under review, by an applicant called `name`."""
    defaults = {
        "country": "KE",
        "institution": "University of Nairobi",
        "state": ApplicationState.UNDER_REVIEW,
        "submitted_at": timezone.now(),
    }
    return ApplicationFactory(call=call, applicant__full_name=name, **{**defaults, **fields})


def score(committee, reviewer: int, application, value, state=ReviewState.SUBMITTED):
    """Reviewer number `reviewer` of `committee` gives `application` the score `value`."""
    return ReviewFactory(
        assignment__application=application,
        assignment__membership=committee.reviewers[reviewer],
        scores={str(committee.criterion.pk): value},
        state=state,
    )


def published(call, name, outcome=DecisionOutcome.AWARD, *, respond_by=None, **fields):
    """An application by an applicant called `name` whose decision (`outcome`, an award of the
    call's amount answerable until `respond_by`) is published."""
    application = candidate(call, name, state=ApplicationState.published_as(outcome), **fields)
    award = outcome == DecisionOutcome.AWARD
    DecisionFactory(
        application=application,
        outcome=outcome,
        amount=call.award_amount if award else None,
        respond_by=respond_by if award else None,
        published_at=timezone.now(),
    )
    return application


def audit_actions(call) -> list[str]:
    """The actions of a call's audit trail, oldest first."""
    return list(
        AuditEntry.objects.filter(scope=f"call:{call.pk}")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def with_stage(
    call, *, kind="interview", criteria=(("Communication", 2, 10), ("Motivation", 1, 10))
):
    """Give `call` a second stage (`applications.models.Stage`) with a rubric of
    (name, weight, highest score) criteria; returns the stage."""
    stage = Stage.objects.create(
        call=call, kind=kind, name="Interview", location="Video call", slot_minutes=30
    )
    for order, (name, weight, scale_max) in enumerate(criteria):
        StageCriterion.objects.create(
            stage=stage, name=name, weight=Decimal(weight), scale_max=scale_max, sort_order=order
        )
    return stage
