"""Refusals of the scholarship domain, each with a message a person can act on."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    message = _("This action is not possible.")

    def __init__(self, message=None):
        super().__init__(message or self.message)
        if message is not None:
            self.message = message


class CallNotOpen(ApplicationError):
    message = _("This call is not open for applications.")


class NotEligible(ApplicationError):
    def __init__(self, reasons: list[str]):
        super().__init__(_("You are not eligible for this call."))
        self.reasons = reasons


class NotEditable(ApplicationError):
    message = _("This application can no longer be changed.")


class StaleDraft(ApplicationError):
    message = _(
        "This application was changed in another tab or window since you opened this page. "
        "Nothing on this page has been saved: copy what you typed, reload the page, and add it "
        "again."
    )


class DeadlinePassed(ApplicationError):
    message = _("The deadline for this call has passed.")


class Incomplete(ApplicationError):
    def __init__(self, missing):
        super().__init__(_("Your application is not complete yet."))
        self.missing = missing
