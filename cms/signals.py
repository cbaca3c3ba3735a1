"""What drops the cached navigation (`cms.navigation`): any change to pages, sites or locales."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.navigation import navigation_forget


def navigation_changed(sender, **kwargs) -> None:
    navigation_forget()


def _model_changed(sender, instance=None, **kwargs) -> None:
    # Every page type sends its own save and delete: one receiver for all, filtered here.
    if isinstance(instance, Page | Site | Locale):
        navigation_forget()


def navigation_signals_connect() -> None:
    page_published.connect(navigation_changed, dispatch_uid="cms.navigation.published")
    page_unpublished.connect(navigation_changed, dispatch_uid="cms.navigation.unpublished")
    post_page_move.connect(navigation_changed, dispatch_uid="cms.navigation.moved")
    post_save.connect(_model_changed, dispatch_uid="cms.navigation.save")
    post_delete.connect(_model_changed, dispatch_uid="cms.navigation.delete")
