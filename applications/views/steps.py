"""The steps of an application and the context every step page shares."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.selectors import missing_items


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    url: str
    missing: int


def application_steps(application) -> list[Step]:
    missing = missing_items(application)

    def count(slug):
        return sum(1 for item in missing if item.step == slug)

    pk = application.pk
    steps = [
        Step("about", _("About you"), reverse("applications:about", args=[pk]), count("about"))
    ]
    for number, title in enumerate(application.sections, start=1):
        slug = f"section-{number}"
        url = reverse("applications:section", args=[pk, number])
        steps.append(Step(slug, title, url, count(slug)))
    if application.call.document_kinds.all():
        url = reverse("applications:documents", args=[pk])
        steps.append(Step("documents", _("Documents"), url, count("documents")))
    if application.call.referees_required:
        url = reverse("applications:referees", args=[pk])
        steps.append(Step("referees", _("Referees"), url, count("referees")))
    steps.append(
        Step("submit", _("Review and submit"), reverse("applications:submit", args=[pk]), 0)
    )
    return steps


def step_context(application, current: str) -> dict:
    steps = application_steps(application)
    index = next(i for i, step in enumerate(steps) if step.slug == current)
    return {
        "application": application,
        "call": application.call,
        "steps": steps,
        "current_step": steps[index],
        "next_step": steps[index + 1] if index + 1 < len(steps) else None,
        "previous_step": steps[index - 1] if index > 0 else None,
    }
