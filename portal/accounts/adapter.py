"""allauth adapter: keep the name and language given at sign-up; account emails leave through
the task queue."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation
from django.utils.translation import get_language

from portal.emails import email_send_message, recipient_language

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

    def send_mail(self, template_prefix, email, context):
        # Rendered now, in the recipient's language (the request's for someone unknown), subject
        # included; sent by a worker so that a slow mail server never holds up a sign-up or a
        # password reset.
        user = context.get("user")
        with translation.override(recipient_language(user) if user else get_language()):
            message = self.render_mail(template_prefix, email, context)
        email_send_message(message)
