"""The one refusal: what a service raises when an action is not allowed now.

A service checks, then acts; when a rule says no it raises `Refused` with a message for the
person who asked (in their language) and a stable `code` for tests, logs and the JavaScript
clients. Views never build refusals themselves: `portal.http` turns one into a message on the
page, an error on a form, or a JSON answer with the right status.
"""

from collections.abc import Sequence

from django.utils.functional import Promise


class Refused(Exception):
    """A rule said no. Nothing was changed by the action that raised it.

    - `message`: a sentence the person can act on, in their language;
    - `code`: a stable word (``"deadline_passed"``, ``"stale"``) for tests, logs and clients;
    - `field`: the form field the refusal is about, when there is one;
    - `details`: further lines (the missing parts of an application, the reasons of an
      eligibility check), shown under the message;
    - `status`: the HTTP status of a JSON answer (409 for a conflict with another change).
    """

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str,
        field: str | None = None,
        details: Sequence[str | Promise] = (),
        status: int = 400,
    ):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.field = field
        self.details = [str(detail) for detail in details]
        self.status = status

    def __repr__(self) -> str:
        return f"Refused(code={self.code!r}, message={self.message!r})"
