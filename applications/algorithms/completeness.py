"""What an application still lacks before it can be submitted, from plain facts (no Django).

`applications.selectors.completeness` gathers the facts of an application and puts each gap
in the applicant's words.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: The profile fields every applicant answers, in the order they are listed when missing.
PROFILE_FIELDS = ("country", "institution", "year_of_study", "requested_amount")


@dataclass(frozen=True)
class Gap:
    """One missing part, before it is put in words."""

    step: str  # "about", "section-<n>", "documents", "referees"
    part: str  # "profile", "answer", "document", "letters"
    name: str = ""  # the profile field, the question's label or the document kind's name
    needed: int = 0  # letters: how many the call requires
    received: int = 0  # letters: how many arrived


@dataclass(frozen=True)
class Kind:
    """A kind of document the call asks for."""

    id: int
    name: str
    required: bool


def word_count(text: str) -> int:
    return len(str(text).split())


def answer_is_complete(value, *, required: bool, word_limit: int | None = None) -> bool:
    """Given when required, and within its word limit when one applies."""
    if value in (None, "", []):
        return not required
    if word_limit:
        return word_count(value) <= word_limit
    return True


def gaps(
    *,
    profile: Mapping[str, object],
    questions: Sequence[dict],
    answers: Mapping[str, object],
    word_limited: Iterable[str],
    kinds: Iterable[Kind],
    verified_kinds: Iterable[int],
    letters_needed: int,
    letters_received: int,
) -> list[Gap]:
    """Every gap, in the order of the steps.

    `profile` holds the profile fields the call asks for (the amount only when the call awards
    what is requested); `questions` are the application's snapshot of its questions, whose
    word limit counts for the kinds in `word_limited`.
    """
    found = [
        Gap("about", "profile", name)
        for name in PROFILE_FIELDS
        if name in profile and profile[name] in (None, "")
    ]
    limited = set(word_limited)
    sections = list(dict.fromkeys(question["section"] for question in questions))
    for question in questions:
        complete = answer_is_complete(
            answers.get(str(question["id"])),
            required=question["required"],
            word_limit=question.get("word_limit") if question["kind"] in limited else None,
        )
        if not complete:
            step = f"section-{sections.index(question['section']) + 1}"
            found.append(Gap(step, "answer", question["label"]))
    verified = set(verified_kinds)
    found += [
        Gap("documents", "document", kind.name)
        for kind in kinds
        if kind.required and kind.id not in verified
    ]
    if letters_received < letters_needed:
        found.append(Gap("referees", "letters", needed=letters_needed, received=letters_received))
    return found
