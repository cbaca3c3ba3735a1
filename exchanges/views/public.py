"""A rotation's public page; the catalogue itself is a Wagtail page (cms.RotationCatalogPage)."""

from django.shortcuts import render

from exchanges import selectors
from portal.permissions import allowed


def rotation_detail(request, pk: int):
    rotation = selectors.rotation_get_visible(user=request.user, rotation_id=pk)
    return render(
        request,
        "exchanges/rotation_detail.html",
        {
            "rotation": rotation,
            "cycle": rotation.cycle,
            "on_list": selectors.rotation_is_on_list(user=request.user, rotation=rotation),
            "manages": allowed(request.user, "exchanges.manage_rotation", rotation),
        },
    )
