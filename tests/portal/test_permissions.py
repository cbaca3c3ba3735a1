"""Programme staff are a group holding the portal's permission; the superuser flag is not."""

import pytest
from django.contrib.auth.models import Group

from portal.permissions import STAFF_GROUP, allowed, is_programme_staff, staff_group
from tests.factories.accounts import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_staff_group_is_created_by_a_migration_with_the_portals_permissions():
    group = Group.objects.get(name=STAFF_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert ("accounts", "manage_programmes") in codenames
    assert ("wagtailadmin", "access_admin") in codenames
    assert ("applications", "change_call") in codenames
    assert ("exchanges", "add_institution") in codenames
    assert ("mentorship", "change_mentorprofile") in codenames
    assert staff_group() == group  # syncing again changes nothing


def test_a_member_of_the_staff_group_is_programme_staff():
    staff = StaffFactory()

    assert not staff.is_superuser
    assert is_programme_staff(staff)
    assert allowed(staff, "portal.view_staff_dashboard")


def test_a_superuser_outside_the_group_is_not_programme_staff():
    admin = UserFactory(is_staff=True, is_superuser=True)

    assert not is_programme_staff(admin)
    assert not allowed(admin, "portal.view_staff_dashboard")
    assert admin.has_perm("portal.view_staff_dashboard")  # Django's shortcut, which we don't use


def test_group_membership_without_the_staff_flag_or_while_inactive_is_not_enough():
    assert not is_programme_staff(StaffFactory(is_staff=False))
    assert not is_programme_staff(StaffFactory(is_active=False))
    assert not is_programme_staff(UserFactory())


def test_the_staff_dashboard_is_a_404_for_a_superuser_and_a_page_for_staff(signed_in):
    admin = UserFactory(is_staff=True, is_superuser=True, totp=True)

    assert signed_in(admin).get("/dashboard/staff/").status_code == 404
    assert signed_in(StaffFactory(totp=True)).get("/dashboard/staff/").status_code == 200
