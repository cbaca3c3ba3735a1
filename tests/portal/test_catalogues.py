"""Every message of the interface is translated in every language the portal offers: none
untranslated, none fuzzy (Django ignores those), placeholders kept, plural forms complete."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[sdif]|%[sdif]")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _live(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in catalogue if not entry.obsolete and entry.msgid]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = _catalogue(language)
    untranslated = [e.msgid for e in _live(catalogue) if not e.translated()]
    fuzzy = [e.msgid for e in _live(catalogue) if "fuzzy" in e.flags]

    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    wrong = []
    for entry in _live(_catalogue(language)):
        if entry.msgid_plural:
            expected = _placeholders(entry.msgid_plural) | _placeholders(entry.msgid)
            for form in entry.msgstr_plural.values():
                if not _placeholders(form) <= expected:
                    wrong.append((entry.msgid, form))
        elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))

    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(language):
    catalogue = _catalogue(language)
    forms = int(re.search(r"nplurals=(\d+)", catalogue.metadata["Plural-Forms"]).group(1))
    short = [
        entry.msgid
        for entry in _live(catalogue)
        if entry.msgid_plural and len([f for f in entry.msgstr_plural.values() if f]) != forms
    ]

    assert short == []


def test_texts_marked_with_the_lazy_alias_are_in_the_catalogues():
    """`_lazy("...")` (gettext_lazy under another name) reaches the catalogues: the project's
    makemessages tells xgettext about the alias."""
    marked = re.compile(r"""\b_lazy\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")
    sources = [
        path
        for package in ("portal", "applications", "exchanges", "mentorship", "cms")
        for path in (Path(settings.BASE_DIR) / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    texts = {text for path in sources for text in marked.findall(path.read_text())}
    msgids = {entry.msgid for entry in _live(_catalogue(LANGUAGES[0]))}

    assert texts, "the pattern finds the marked texts"
    assert sorted(texts - msgids) == []
