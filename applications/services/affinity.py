"""How well a reviewer suits an application: the affinity the reviewer assignment maximises.

`affinity(membership, application)` scores one pair; `affinity_matrix(...)` scores a whole
call at once (thousands of applications by its committee) from a few columns, with numpy, in
the same units: tests/applications/test_assign_bulk.py checks that the two agree.

The rule: 2 points per expertise tag of the reviewer that names the application's country
(code or name, in the language active now), medical school, or an answer to one of its choice
questions (for example the specialty the student intends to train in), compared without case;
3 points when the reviewer reads the applicant's language (the language the applicant uses the
portal in). A specialty of `portal.taxonomy.Specialty` is one fact under its code and its
English name: the member form stores the code ("pediatrics"), a choice answer is stored in
English ("Paediatrics"), and the two meet.

Bids (`Bid`, chosen by the member before the assignment) are added by the assignment on top,
through `bid_affinities`: "eager" +`BID_EAGER`, "willing" +`BID_WILLING`, no bid 0,
"unwilling" `BID_UNWILLING` (strongly negative: such a pair is forbidden outright unless
forbidding it leaves no assignment, see `services.committee.reviewers_assign`); a "conflict"
bid is a declared conflict, never assigned.
"""

import json
from collections.abc import Sequence

import numpy as np
from django.db.models import F, Func, JSONField, QuerySet, Value
from django.utils import translation
from django_countries.fields import Country

from applications.enums import BidLevel, QuestionKind
from applications.models import Application, Bid, CommitteeMembership
from portal.taxonomy import Specialty

#: Points per expertise tag that names a fact of the application.
PER_TAG = 2
#: Points when the reviewer reads the applicant's language.
LANGUAGE = 3
#: Points a bid adds: well above the tags' few points for "eager", a nudge for "willing",
#: and for "unwilling" far below anything else (yet far above the weight of a kept review).
BID_EAGER = 10
BID_WILLING = 2
BID_UNWILLING = -10_000
BID_POINTS = {
    BidLevel.EAGER: BID_EAGER,
    BidLevel.WILLING: BID_WILLING,
    BidLevel.UNWILLING: BID_UNWILLING,
}

_specialties: dict[str, str] | None = None


def _canonical(fact: str) -> str:
    """A fact without case, a specialty's English name as its code."""
    global _specialties
    if _specialties is None:
        with translation.override("en"):
            _specialties = {str(label).casefold(): code for code, label in Specialty.choices}
    return _specialties.get(fact, fact)


def expertise_tags(expertise) -> set[str]:
    """A reviewer's expertise as the facts it can name: trimmed, without case."""
    return {_canonical(str(tag).strip().casefold()) for tag in expertise or [] if str(tag).strip()}


def reader_languages(languages) -> set[str]:
    return {str(code).casefold() for code in languages or []}


def choice_answers(questions: list[dict], answers: dict) -> set[str]:
    """The answers to an application's choice questions, without case."""
    facts: set[str] = set()
    for question in questions:
        if question["kind"] in QuestionKind.with_choices():
            value = answers.get(str(question["id"]))
            values = value if isinstance(value, list) else [value]
            facts |= {_canonical(str(v).casefold()) for v in values if v}
    return facts


def application_facts(
    *, institution: str, country: Country | None, questions: list[dict], answers: dict
) -> set[str]:
    """What an expertise tag can name in an application."""
    facts = {institution.strip().casefold()} if institution else set()
    if country:
        facts |= {country.code.casefold(), str(country.name).casefold()}
    return facts | choice_answers(questions, answers)


def affinity(membership: CommitteeMembership, application: Application) -> int:
    """One pair's affinity, from 0 upward (select the application's `applicant`)."""
    facts = application_facts(
        institution=application.institution,
        country=application.country,
        questions=application.questions,
        answers=application.answers,
    )
    score = PER_TAG * len(expertise_tags(membership.expertise) & facts)
    language = (application.applicant.preferred_language or "").casefold()
    if language and language in reader_languages(membership.languages):
        score += LANGUAGE
    return score


class _Answer(Func):
    """One answer of an application, by question id, as JSON (null when unanswered), read in
    the database. Django's own key lookup (`answers__12`) takes a numeric key for an index."""

    output_field = JSONField()

    def __init__(self, question_id) -> None:
        super().__init__(F("answers"), Value(str(question_id)))

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - other databases
        raise NotImplementedError(f"no JSON key lookup for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra):
        answers, key = self.get_source_expressions()
        answers_sql, answers_params = compiler.compile(answers)
        key_sql, key_params = compiler.compile(key)
        return f"({answers_sql} -> ({key_sql})::text)", (*answers_params, *key_params)

    def as_sqlite(self, compiler, connection, **extra):
        answers, key = self.get_source_expressions()
        answers_sql, answers_params = compiler.compile(answers)
        path = json.dumps(key.value)
        return f"JSON_QUOTE(JSON_EXTRACT({answers_sql}, %s))", (*answers_params, f"$.{path}")


def affinity_matrix(
    *, applications: QuerySet[Application], members: Sequence[CommitteeMembership]
) -> tuple[list[int], np.ndarray]:
    """The ids of `applications` (ascending) and their affinity with each of `members`: an
    int64 matrix, one row per application and one column per member (in the order given),
    equal to `affinity` pair by pair.

    Reads only what the rule needs, two queries per snapshot of the questions: one finds it,
    one reads its applications' columns and their answers to its choice questions, taken out
    of the JSON by the database (an essay never leaves it). Facts and tags become integer
    codes (only the facts some member's tags can name count): a row per application is the
    sum of the members' 0/1 tag rows of its facts, plus the row of its applicant's language;
    the Python work is per application (its facts) and per member, never per pair.
    """
    tags = [expertise_tags(member.expertise) for member in members]
    tag_code = {tag: i for i, tag in enumerate(sorted(set().union(*tags)))}
    member_tags = np.zeros((len(members), len(tag_code)), dtype=np.int32)
    for j, own in enumerate(tags):
        member_tags[j, [tag_code[tag] for tag in own]] = 1
    languages = [reader_languages(member.languages) for member in members]
    language_code = {code: i for i, code in enumerate(sorted(set().union(*languages)))}
    nobody = len(language_code)  # the row of a language no member reads: all 0
    member_languages = np.zeros((nobody + 1, len(members)), dtype=np.int64)
    for j, own in enumerate(languages):
        member_languages[[language_code[code] for code in own], j] = LANGUAGE

    rows = []  # (pk, codes of its facts that some tag names, language row)
    countries: dict[str, set[str]] = {}
    # One snapshot of the questions after another (a call has one, or a few when its
    # questions changed while students applied), each with its applications.
    rest = applications
    while (first := rest.values_list("pk", "questions").first()) is not None:
        snapshot = first[1]
        rest = rest.exclude(questions=snapshot)
        choices = [q["id"] for q in snapshot or [] if q["kind"] in QuestionKind.with_choices()]
        for pk, institution, country, language, *answers in applications.filter(
            questions=snapshot
        ).values_list(
            "pk",
            "institution",
            "country",
            "applicant__preferred_language",
            *(_Answer(question_id) for question_id in choices),
        ):
            facts = {
                _canonical(str(v).casefold()) for value in answers for v in _listed(value) if v
            }
            if institution:
                facts.add(institution.strip().casefold())
            if country:
                if country not in countries:
                    named = Country(code=country)
                    countries[country] = {named.code.casefold(), str(named.name).casefold()}
                facts |= countries[country]
            language = (language or "").casefold()
            rows.append(
                (
                    pk,
                    [tag_code[fact] for fact in facts if fact in tag_code],
                    language_code.get(language, nobody) if language else nobody,
                )
            )
    rows.sort()
    ids = [pk for pk, _codes, _language in rows]
    # Row i of `shared` counts the tags of each member that name a fact of application i:
    # the members' tag rows of its facts, summed.
    fact_rows = np.asarray([i for i, (_pk, codes, _l) in enumerate(rows) for _c in codes])
    fact_codes = np.asarray([c for _pk, codes, _l in rows for c in codes], dtype=np.int64)
    shared = np.zeros((len(ids), len(members)), dtype=np.int64)
    if fact_rows.size:
        starts = np.flatnonzero(np.r_[True, np.diff(fact_rows) != 0])
        sums = np.add.reduceat(member_tags.T[fact_codes], starts, axis=0)
        shared[fact_rows[starts]] = sums
    language_rows = np.asarray([language for _pk, _codes, language in rows], dtype=np.int64)
    return ids, PER_TAG * shared + member_languages[language_rows].reshape(len(ids), len(members))


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def bid_affinities(
    *, application_ids: list[int], member_ids: list[int]
) -> tuple[np.ndarray, set[tuple[int, int]], set[tuple[int, int]]]:
    """The members' bids on the applications: the points they add (a matrix in the order
    given, as `affinity_matrix`'s), and the (application, member) pairs bid "conflict" and
    "unwilling". One query."""
    row = {pk: i for i, pk in enumerate(application_ids)}
    column = {pk: j for j, pk in enumerate(member_ids)}
    points = np.zeros((len(application_ids), len(member_ids)), dtype=np.int64)
    conflict: set[tuple[int, int]] = set()
    unwilling: set[tuple[int, int]] = set()
    for application_id, membership_id, level in Bid.objects.filter(
        membership_id__in=member_ids
    ).values_list("application_id", "membership_id", "level"):
        if application_id not in row or membership_id not in column:
            continue
        points[row[application_id], column[membership_id]] = BID_POINTS.get(level, 0)
        if level == BidLevel.CONFLICT:
            conflict.add((application_id, membership_id))
        elif level == BidLevel.UNWILLING:
            unwilling.add((application_id, membership_id))
    return points, conflict, unwilling
