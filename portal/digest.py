"""The daily digest: for each member of staff and each coordinator, what waits for them.

Each app registers a `Section` from `AppConfig.ready()`: who may have something waiting
(`recipients(now)`, user ids), and for one of them the lines of what waits (`lines(user,
now)`: (text, url) pairs, in the reader's language, which the job activates). The digest job
sends one email per person per day, and none to a person with nothing waiting.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    title: str | Promise  # "Scholarships"
    recipients: Callable[[datetime], Iterable[int]]
    lines: Callable[[object, datetime], list[tuple[str, str]]]  # (text, absolute or site path)
    order: int = 50


_sections: list[Section] = []


def register(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)


def unregister(section: Section) -> None:
    if section in _sections:
        _sections.remove(section)


def section_list() -> list[Section]:
    return sorted(_sections, key=lambda s: s.order)
