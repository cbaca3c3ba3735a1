"""A person's privacy pages: ask for a copy of their data, fetch it by the emailed link, erase
their account; and the way to the privacy notice of the reader's language."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale, Page

from portal import privacy, storage
from portal.errors import Refused
from portal.http import form_refused, refusals
from portal.models import DataExport

#: The word a person without a password types to confirm the erasure.
CONFIRMATION_WORD = "ERASE"
#: The slug of the privacy notice in the CMS (the same in every language).
NOTICE_SLUG = "privacy"


class EraseForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"), widget=forms.PasswordInput, required=False
    )
    confirmation = forms.CharField(label=gettext_lazy("Type ERASE to confirm"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            del self.fields["confirmation"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["confirmation"].required = True

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password

    def clean_confirmation(self):
        word = self.cleaned_data["confirmation"]
        if word.strip().upper() != CONFIRMATION_WORD:
            raise forms.ValidationError(_("Type ERASE to confirm."))
        return word


@login_required
@require_GET
def privacy_home(request):
    exports = DataExport.objects.filter(user=request.user, expires_at__gt=timezone.now())[:5]
    return render(request, "portal/privacy_home.html", {"exports": exports})


@login_required
@require_POST
@refusals("privacy")
def privacy_export(request):
    privacy.data_export_request(user=request.user, now=timezone.now())
    messages.success(
        request,
        _("We are preparing your data. You will receive an email with a link to download it."),
    )
    return redirect("privacy")


@login_required
@require_GET
def privacy_export_download(request, token: str):
    """The emailed link: only its owner, only until it expires."""
    try:
        export_id = privacy.data_export_read(token)
    except signing.BadSignature:
        raise Http404 from None
    export = privacy.data_export_get_own(user=request.user, export_id=export_id, now=timezone.now())
    if export is None:
        raise Http404
    return redirect(
        storage.download_url(key=export.key, filename="my-data.zip", content_type="application/zip")
    )


@login_required
@require_http_methods(["GET", "POST"])
def privacy_erase(request):
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.account_erase(user=request.user, now=timezone.now())
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            logout(request)
            messages.success(request, _("Your account is erased."))
            return redirect("/")
    return render(request, "portal/privacy_erase.html", {"form": form})


@require_GET
def privacy_notice(request):
    """The privacy notice in the reader's language, else in the site's default language."""
    pages = Page.objects.live().filter(slug=NOTICE_SLUG)
    language = translation.get_language()
    page = (
        pages.filter(locale__language_code=language).first()
        or pages.filter(locale=Locale.get_default()).first()
    )
    if page is None:
        raise Http404
    return redirect(page.get_url(request))
