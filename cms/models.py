"""The public site's pages: they publish programmes and stories, and hold no programme state."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock
from exchanges import selectors as exchange_selectors
from portal.pagination import paginate

PAGE_SIZE = 12


class BasePage(Page):
    """Every page tells the language switcher where its translations live."""

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        request.page_translations = {
            page.locale.language_code: page.get_url(request)
            for page in self.get_translations(inclusive=True).live().select_related("locale")
        }
        return context


class IndexPage(BasePage):
    """An introduction, then its children a page at a time under `children_name`."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    children_name = "children"

    class Meta:
        abstract = True

    def listed_children(self):
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context[self.children_name] = paginate(
            self.listed_children(), request.GET.get("page"), per_page=PAGE_SIZE
        )
        return context


class HomePage(BasePage):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = [
        "cms.ProgrammeIndexPage",
        "cms.StandardPage",
        "cms.StoryIndexPage",
        "cms.RotationCatalogPage",
    ]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = (
            ProgrammePage.objects.live()
            .descendant_of(self)
            .select_related("call")
            .order_by("path")[:6]
        )
        context["stories"] = (
            StoryPage.objects.live().descendant_of(self).order_by("-date", "-pk")[:3]
        )
        return context


class ProgrammeIndexPage(IndexPage):
    subpage_types = ["cms.ProgrammePage"]
    children_name = "programmes"

    class Meta:
        verbose_name = _("programme index")

    def listed_children(self):
        return ProgrammePage.objects.live().child_of(self).select_related("call").order_by("path")


class ProgrammeKind(models.TextChoices):
    SCHOLARSHIP = "scholarship", _("Scholarship")
    EXCHANGE = "exchange", _("Clinical exchange")
    MENTORING = "mentoring", _("Mentoring")


class ProgrammePage(BasePage):
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    summary = models.TextField(_("summary"), max_length=500)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    call = models.ForeignKey(
        "applications.Call",
        verbose_name=_("scholarship call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page shows whether this call is open, its deadline and an apply button."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("call"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["cms.ProgrammeIndexPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("programme page")

    @property
    def public_call(self):
        """The call to show: none while it is a draft (a page may name it before it is
        published, and shows it from then on)."""
        return self.call if self.call is not None and self.call.is_public else None


class StandardPage(BasePage):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class StoryIndexPage(IndexPage):
    subpage_types = ["cms.StoryPage"]
    children_name = "stories"

    class Meta:
        verbose_name = _("story index")

    def listed_children(self):
        return StoryPage.objects.live().child_of(self).order_by("-date", "-pk")


class StoryPage(BasePage):
    date = models.DateField(_("date"))
    author = models.CharField(_("author"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=500)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("author"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")


class RotationCatalogPage(BasePage):
    """The public catalogue of published rotations, filtered by plain GET parameters.

    The page holds only its introduction: rotations are programme data, read through
    `exchanges.selectors` in a constant number of queries whatever the page size.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    template = "cms/rotation_catalogue_page.html"

    class Meta:
        verbose_name = _("rotation catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filterset, rotations = exchange_selectors.rotation_catalogue(
            params=request.GET, page_number=request.GET.get("page")
        )
        context["filter"] = filterset
        context["rotations"] = rotations
        return context
