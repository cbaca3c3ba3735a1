"""Background work of the exchange programme: placement letters. Tasks take ids."""

from portal.tasks import task


@task()
def task_placement_letters(*, cycle_id: int) -> int:
    from exchanges.services.placements import placement_letters_render

    return placement_letters_render(cycle_id=cycle_id)


@task()
def task_placement_letter(*, placement_id: int) -> None:
    from exchanges.services.placements import placement_letter_render

    placement_letter_render(placement_id=placement_id)
