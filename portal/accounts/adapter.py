"""allauth adapter: remember the sign-up language; account emails leave through the task queue."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import get_language

from portal.emails import email_send_message


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = get_language() or ""
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        # Rendered now, in the language of the request; sent by a worker so that a slow mail
        # server never holds up a sign-up or a password reset.
        message = self.render_mail(template_prefix, email, context)
        email_send_message(message)
