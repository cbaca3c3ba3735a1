"""A rotation's public page; the catalogue itself is a Wagtail page (cms.RotationCatalogPage)."""

from django.shortcuts import render

from exchanges import selectors


def rotation_detail(request, pk: int):
    rotation = selectors.rotation_get_visible(user=request.user, rotation_id=pk)
    on_list = False
    if request.user.is_authenticated and rotation.cycle_id:
        on_list = rotation.rank_entries.filter(rank_list__student=request.user).exists()
    return render(
        request,
        "exchanges/rotation_detail.html",
        {
            "rotation": rotation,
            "cycle": rotation.cycle,
            "on_list": on_list,
            "manages": request.user.has_perm("exchanges.manage_rotation", rotation),
        },
    )
