"""Who is left out of a match run, and why: a student as a whole (not endorsed by their home
school), or a student at one rotation (a document that expires before it ends). The match's
inputs leave them out and the run keeps the reasons (`LeftOut` codes), so that the run page,
the cycle report and the student can say why."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from exchanges.enums import LeftOut
from exchanges.models import Endorsement, EndorsementStatus, ExchangeCycle, RankList
from exchanges.selectors.document_checks import document_exclusions


@dataclass(frozen=True)
class Exclusions:
    students: dict[int, str] = field(default_factory=dict)  # rank list id -> LeftOut code
    pairs: dict[tuple[int, int], str] = field(default_factory=dict)  # (rank list, rotation) -> code


def lists_not_endorsed(*, cycle: ExchangeCycle) -> QuerySet[RankList]:
    """The cycle's submitted lists that their home school has not endorsed."""
    endorsed = Endorsement.objects.filter(
        rank_list=OuterRef("pk"), status=EndorsementStatus.ENDORSED
    )
    return RankList.objects.filter(cycle=cycle, submitted_at__isnull=False).exclude(
        Exists(endorsed)
    )


def endorsement_exclusions(*, cycle: ExchangeCycle) -> dict[int, str]:
    """The cycle's submitted lists that the match leaves out: not endorsed by their home
    school (`LeftOut.NOT_ENDORSED`); one query."""
    return dict.fromkeys(
        lists_not_endorsed(cycle=cycle).order_by("pk").values_list("pk", flat=True),
        LeftOut.NOT_ENDORSED.value,
    )


def match_exclusions(*, cycle: ExchangeCycle) -> Exclusions:
    """Every reason to leave a student, or a student at a rotation, out of the cycle's run."""
    return Exclusions(
        students=endorsement_exclusions(cycle=cycle),
        pairs=document_exclusions(cycle=cycle),
    )
