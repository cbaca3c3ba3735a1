"""A person's programme context: the countries their scholarship or placement ties them to.

The programmes never import each other. One that knows where a student is placed or funded
registers a provider here from its ``AppConfig.ready()``, and mentoring asks for a mentee's
context when it weighs mentors who know those countries::

    from portal.programme_context import register_context_provider

    def placement_countries(user_ids):
        rows = Placement.objects.filter(student_id__in=user_ids, status="confirmed")
        return group_by(rows.values_list("student_id", "rotation__country"))

    register_context_provider(placement_countries)

A provider takes a collection of user ids and returns ``{user_id: iterable of ISO 3166-1
alpha-2 codes}`` for those it knows about, in one query for the whole collection: a match
round asks for thousands of mentees, in chunks of ``CHUNK`` ids (SQLite limits the parameters
of one query). With no provider registered, every mentee has no context and the "context"
criterion adds nothing.
"""

from collections.abc import Callable, Collection, Iterable, Mapping

ContextProvider = Callable[[Collection[int]], Mapping[int, Iterable[str]]]

_providers: list[ContextProvider] = []
CHUNK = 500


def register_context_provider(provider: ContextProvider) -> None:
    """Add a provider once (registering the same function again is harmless)."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_context_provider(provider: ContextProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def context_countries(user_ids: Collection[int]) -> dict[int, list[str]]:
    """The union of every provider's countries per user id, upper-case and sorted."""
    found: dict[int, set[str]] = {}
    ids = list(user_ids)
    for provider in _providers:
        for start in range(0, len(ids), CHUNK):
            for user_id, countries in provider(ids[start : start + CHUNK]).items():
                found.setdefault(user_id, set()).update(str(c).upper() for c in countries if c)
    return {user_id: sorted(countries) for user_id, countries in found.items() if countries}
