"""Who may do what with partner institutions and rotations: the one place these rules live."""

import rules


@rules.predicate
def is_coordinator(user) -> bool:
    return user.is_authenticated and user.coordinator_links.exists()


@rules.predicate
def coordinates_institution(user, institution) -> bool:
    return user.is_authenticated and institution.coordinator_links.filter(user=user).exists()


rules.add_perm("exchanges.view_coordinator_dashboard", is_coordinator)
rules.add_perm("exchanges.manage_institution", coordinates_institution)
