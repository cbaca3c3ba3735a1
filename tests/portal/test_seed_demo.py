import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from applications.models import Application, Call, Review
from exchanges.models import Institution, Rotation
from mentorship.models import MentorProfile
from portal.accounts.models import User

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "users": User.objects.count(),
        "applications": Application.objects.count(),
        "reviews": Review.objects.filter(state="submitted").count(),
        "calls": Call.objects.count(),
        "institutions": Institution.objects.count(),
        "rotations": Rotation.objects.count(),
        "mentors": MentorProfile.objects.count(),
        "pages": Page.objects.count(),
    }


def test_seed_demo_creates_everything_once_and_is_idempotent():
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    first = _counts()
    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert _counts() == first
    assert first == {
        "users": 17,  # one per role, two more mentors, two more reviewers, six students
        "applications": 6,
        "reviews": 12,
        "calls": 2,
        "institutions": 3,
        "rotations": 9,
        "mentors": 3,
        "pages": 1 + 10 * 4,  # the tree root, then ten pages in each of four languages
    }
    assert sorted(c.status() for c in Call.objects.all()) == ["closed", "open"]
    printed = out.getvalue()
    assert "password for all: demo-portal-2026" in printed
    assert "applicant@demo.test" in printed


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("seed_demo", stdout=io.StringIO())
