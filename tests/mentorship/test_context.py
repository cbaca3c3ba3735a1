"""The hook through which the programmes give a mentee context (portal.programme_context)."""

import pytest

from mentorship.selectors import mentee_context_countries
from portal import programme_context as context
from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def only_these_providers(monkeypatch):
    """The other apps register their own providers; these tests start from none."""
    monkeypatch.setattr(context, "_providers", [])


@pytest.fixture
def provider():
    def placements(user_ids):
        return {user_id: ["ug", "KE"] for user_id in user_ids}

    context.register_context_provider(placements)
    yield placements
    context.unregister_context_provider(placements)


def test_context_countries_are_empty_without_a_provider():
    assert context.context_countries([1, 2]) == {}


def test_context_countries_merge_providers_upper_case_and_sorted(provider):
    def scholarships(user_ids):
        return {1: ["KE", "SN", ""]}

    context.register_context_provider(scholarships)
    context.register_context_provider(scholarships)  # twice is harmless
    try:
        found = context.context_countries([1, 2])
    finally:
        context.unregister_context_provider(scholarships)

    assert found == {1: ["KE", "SN", "UG"], 2: ["KE", "UG"]}


@pytest.mark.django_db
def test_mentee_context_countries_asks_the_providers(provider):
    user = UserFactory()

    assert mentee_context_countries(user=user) == ["KE", "UG"]
