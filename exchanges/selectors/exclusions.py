"""Who is left out of a match run, and why: a student as a whole (not endorsed by their home
school), or a student at one rotation (a document that expires before it ends). The match's
inputs leave them out and the run keeps the reasons (`LeftOut` codes), so that the run page,
the cycle report and the student can say why."""

from dataclasses import dataclass, field

from exchanges.models import ExchangeCycle
from exchanges.selectors.document_checks import document_exclusions
from exchanges.selectors.endorsements import endorsement_exclusions


@dataclass(frozen=True)
class Exclusions:
    students: dict[int, str] = field(default_factory=dict)  # rank list id -> LeftOut code
    pairs: dict[tuple[int, int], str] = field(default_factory=dict)  # (rank list, rotation) -> code


def match_exclusions(*, cycle: ExchangeCycle) -> Exclusions:
    """Every reason to leave a student, or a student at a rotation, out of the cycle's run."""
    return Exclusions(
        students=endorsement_exclusions(cycle=cycle),
        pairs=document_exclusions(cycle=cycle),
    )
