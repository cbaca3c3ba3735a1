"""Who counts as programme staff, and the one way to ask a rule.

Programme staff are the members of the "Programme staff" group, which holds the portal's
permission `accounts.manage_programmes`, Wagtail's admin access and the models of the three
programmes (created by a data migration; `staff_group_sync` keeps it whole). The superuser
flag serves Django's and Wagtail's own administration only: no portal rule reads it, and
`allowed` asks the rules directly, without the shortcut by which `user.has_perm` answers yes
to a superuser for everything.
"""

import rules
from django.db.models import Q

STAFF_GROUP = "Programme staff"
STAFF_PERMISSION = ("accounts", "manage_programmes")
# The apps whose models programme staff add, change and remove in the admin.
STAFF_APPS = ("applications", "exchanges", "mentorship")
_CACHE = "_portal_permissions"


def allowed(user, perm: str, obj=None) -> bool:
    """The portal's one permission check: the rule registered for `perm` in an app's
    `rules.py`, asked about `obj` when there is one."""
    return rules.has_perm(perm, user, obj)


def held_permissions(user) -> frozenset[tuple[str, str]]:
    """The (app label, codename) pairs a person holds through their groups or directly, read
    once per request and kept on the user object (as Django keeps its permission cache). Unlike
    `user.get_all_permissions()`, the superuser flag adds nothing here."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if _CACHE not in user.__dict__:
        from django.contrib.auth.models import Permission

        user.__dict__[_CACHE] = frozenset(
            Permission.objects.filter(Q(group__user=user) | Q(user=user))
            .values_list("content_type__app_label", "codename")
            .distinct()
        )
    return user.__dict__[_CACHE]


@rules.predicate
def is_programme_staff(user) -> bool:
    """Active, allowed into the staff area, and holding the portal's permission through a
    group (or directly)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return STAFF_PERMISSION in held_permissions(user)


def staff_group_sync(group_model, permission_model):
    """Create the staff group if missing and give it every permission it should hold.

    Takes the model classes so that a data migration can pass its historical ones.
    """
    group, _created = group_model.objects.get_or_create(name=STAFF_GROUP)
    app_label, codename = STAFF_PERMISSION
    wanted = permission_model.objects.filter(
        Q(content_type__app_label=app_label, codename=codename)
        | Q(content_type__app_label="wagtailadmin", codename="access_admin")
        | Q(content_type__app_label__in=STAFF_APPS)
    )
    group.permissions.add(*wanted)
    return group


def staff_group():
    """The staff group of this database, complete (tests and the demo add people to it)."""
    from django.contrib.auth.models import Group, Permission

    return staff_group_sync(Group, Permission)
