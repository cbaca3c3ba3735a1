"""allauth adapter: keep the name and language given at sign-up; account emails leave through
the task queue."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

from portal.emails import email_send_message, recipient_language
from portal.links import public_address, public_url

# What portal.accounts.forms.SignupForm asks beyond allauth's own fields.
SIGNUP_PROFILE_FIELDS = ("full_name", "latin_name", "form_of_address", "preferred_language")


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = getattr(form, "cleaned_data", {})
        for field in SIGNUP_PROFILE_FIELDS:
            if data.get(field) is not None:
                setattr(user, field, data[field])
        if not user.preferred_language:
            user.preferred_language = get_language() or ""
        if commit:
            user.save()
        return user

    def get_reset_password_from_key_url(self, key: str) -> str:
        # The portal's public address, not the host the request came in on.
        return public_url(urlsplit(super().get_reset_password_from_key_url(key)).path)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        url = super().get_email_confirmation_url(request, emailconfirmation)
        return public_url(urlsplit(url).path)

    def send_mail(self, template_prefix, email, context):
        # Rendered now, in the recipient's language (the request's for someone unknown), subject
        # included; sent by a worker so that a slow mail server never holds up a sign-up or a
        # password reset.
        user = context.get("user")
        # allauth's own templates greet with the site's name and domain: the portal's.
        site = SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(public_address()).netloc)
        context = {"email": email, "current_site": site, **context}
        with translation.override(recipient_language(user) if user else get_language()):
            message = self.render_mail(template_prefix, email, context)
        email_send_message(message)
