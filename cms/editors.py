"""The "Editors" group, Wagtail's own: it writes, translates and publishes the public site in
every language, without the superuser flag.

Wagtail's first migration creates the group with `access_admin` and, on the root of the page
tree, the right to add and edit pages. The public site is written in every language by the
same people, so the group also holds, on that root (every language's tree hangs from it), the
right to publish, and `simple_translation`'s `submit_translation` (the admin's "Translate"
button, which copies a page into another language for editing). Every language of
`WAGTAIL_CONTENT_LANGUAGES` has its Wagtail locale.

`editors_sync` takes the model classes, so that the data migration can pass its historical
ones. After every `migrate`, `cms/apps.py` gives a language added to the settings its locale,
and makes the group again if it is missing (a test database's flush); a group that exists keeps
what administrators made of it.
"""

from django.db.models import Q

EDITORS_GROUP = "Editors"
# (app label, codename) held by the group itself.
GROUP_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("simple_translation", "submit_translation"),
)
# Page permissions held on the root of the page tree, so in every language's tree.
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def locales_sync(locale_model, language_codes) -> None:
    """A Wagtail locale for every content language."""
    for code in language_codes:
        locale_model.objects.get_or_create(language_code=code)


def editors_sync(group_model, permission_model, page_permission_model, page_model):
    """Create the Editors group if missing and give it what it needs to write, translate and
    publish every page in every language. Safe to run again; returns the group."""
    group, _created = group_model.objects.get_or_create(name=EDITORS_GROUP)
    wanted = Q(pk__in=[])
    for app_label, codename in GROUP_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*permission_model.objects.filter(wanted))
    root = page_model.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        for permission in permission_model.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        ):
            page_permission_model.objects.get_or_create(
                group=group, page=root, permission=permission
            )
    return group
