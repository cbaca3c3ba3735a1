"""Demo site: the page tree in English, translated into French, Arabic and Spanish (titles and
leads of every page; the home page, the FAQ and the privacy notice written out in full)."""

from datetime import date

from django.conf import settings
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from applications.models import Call
from cms.models import (
    HomePage,
    ProgrammeIndexPage,
    ProgrammeKind,
    ProgrammePage,
    RotationCatalogPage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
)

# Titles and lead texts per language; the bodies of stories and programmes stay in English
# until translators take over (the FAQ and the privacy notice are written in every language).
TEXT = {
    "home": {
        "en": (
            "Global Health Portal",
            "Scholarships, clinical exchanges and mentoring for medical students, funded by global health communities.",
        ),
        "fr": (
            "Portail de santé mondiale",
            "Bourses, échanges cliniques et mentorat pour les étudiants en médecine, financés par les communautés de santé mondiale.",
        ),
        "ar": (
            "بوابة الصحة العالمية",
            "منح دراسية وتبادلات سريرية وإرشاد لطلاب الطب، بتمويل من مجتمعات الصحة العالمية.",
        ),
        "es": (
            "Portal de Salud Global",
            "Becas, intercambios clínicos y mentoría para estudiantes de medicina, financiados por comunidades de salud global.",
        ),
    },
    "programmes": {
        "en": ("Programmes", "Choose a programme to read how it works and when it opens."),
        "fr": (
            "Programmes",
            "Choisissez un programme pour savoir comment il fonctionne et quand il ouvre.",
        ),
        "ar": ("البرامج", "اختر برنامجًا لتعرف كيف يعمل ومتى يُفتح."),
        "es": ("Programas", "Elija un programa para saber cómo funciona y cuándo abre."),
    },
    "scholarship": {
        "en": (
            "Medical student scholarships",
            "Support for tuition and living costs during the clinical years.",
        ),
        "fr": (
            "Bourses pour étudiants en médecine",
            "Un soutien pour les frais de scolarité et de subsistance pendant les années cliniques.",
        ),
        "ar": ("منح لطلاب الطب", "دعم للرسوم الدراسية وتكاليف المعيشة خلال السنوات السريرية."),
        "es": (
            "Becas para estudiantes de medicina",
            "Apoyo para matrícula y manutención durante los años clínicos.",
        ),
    },
    "exchange": {
        "en": (
            "Clinical exchange rotations",
            "Four-week rotations at partner medical schools, placed by a stable match.",
        ),
        "fr": (
            "Stages cliniques d'échange",
            "Des stages de quatre semaines dans des facultés partenaires, attribués par un appariement stable.",
        ),
        "ar": (
            "تناوبات التبادل السريري",
            "تناوبات لمدة أربعة أسابيع في كليات طب شريكة، يتم التوزيع عليها بمطابقة مستقرة.",
        ),
        "es": (
            "Rotaciones clínicas de intercambio",
            "Rotaciones de cuatro semanas en facultades asociadas, asignadas por un emparejamiento estable.",
        ),
    },
    "mentoring": {
        "en": (
            "Mentoring",
            "A clinician abroad who speaks your language, matched to your interests.",
        ),
        "fr": (
            "Mentorat",
            "Un clinicien à l'étranger qui parle votre langue, choisi selon vos intérêts.",
        ),
        "ar": ("الإرشاد", "طبيب في الخارج يتحدث لغتك، يتم اختياره وفق اهتماماتك."),
        "es": (
            "Mentoría",
            "Un clínico en el extranjero que habla su idioma, elegido según sus intereses.",
        ),
    },
    "about": {
        "en": ("About and FAQ", "Who we are and answers to the questions students ask most."),
        "fr": (
            "À propos et FAQ",
            "Qui nous sommes et les réponses aux questions les plus fréquentes.",
        ),
        "ar": ("من نحن والأسئلة الشائعة", "من نحن وإجابات عن أكثر الأسئلة شيوعًا لدى الطلاب."),
        "es": (
            "Acerca de y preguntas frecuentes",
            "Quiénes somos y respuestas a las preguntas más frecuentes.",
        ),
    },
    "stories": {
        "en": ("Stories", "Students, mentors and partner schools in their own words."),
        "fr": ("Témoignages", "Étudiants, mentors et écoles partenaires, avec leurs propres mots."),
        "ar": ("قصص", "الطلاب والمرشدون والكليات الشريكة بكلماتهم."),
        "es": ("Historias", "Estudiantes, mentores y escuelas asociadas en sus propias palabras."),
    },
    "story": {
        "en": (
            "From Dakar to Nairobi: a paediatrics rotation",
            "Awa spent four weeks on a paediatric ward in Nairobi.",
        ),
        "fr": (
            "De Dakar à Nairobi : un stage de pédiatrie",
            "Awa a passé quatre semaines dans un service de pédiatrie à Nairobi.",
        ),
        "ar": (
            "من داكار إلى نيروبي: تناوب في طب الأطفال",
            "قضت عوا أربعة أسابيع في جناح طب الأطفال في نيروبي.",
        ),
        "es": (
            "De Dakar a Nairobi: una rotación de pediatría",
            "Awa pasó cuatro semanas en una sala de pediatría en Nairobi.",
        ),
    },
}

FAQ_TEXT = {
    "en": (
        "Frequently asked questions",
        [
            (
                "Who can apply?",
                "Medical students enrolled at a partner school, from their second year.",
            ),
            (
                "Can I apply from my phone?",
                "Yes. Every form saves as you go and works on a slow connection.",
            ),
            (
                "In which time zone is the deadline?",
                "The call's own time zone; each page also shows it in yours.",
            ),
        ],
    ),
    "fr": (
        "Questions fréquentes",
        [
            (
                "Qui peut candidater ?",
                "Les étudiants en médecine inscrits dans une faculté partenaire, à partir de la deuxième année.",
            ),
            (
                "Puis-je candidater depuis mon téléphone ?",
                "Oui. Chaque formulaire s'enregistre au fur et à mesure et fonctionne avec une connexion lente.",
            ),
            (
                "Dans quel fuseau horaire est la date limite ?",
                "Celui de l'appel ; chaque page l'indique aussi dans le vôtre.",
            ),
        ],
    ),
    "ar": (
        "الأسئلة الشائعة",
        [
            (
                "من يمكنه التقدّم؟",
                "طلاب الطب المسجلون في كلية شريكة، ابتداءً من السنة الثانية.",
            ),
            (
                "هل يمكنني التقدّم من هاتفي؟",
                "نعم. كل استمارة تُحفظ أولًا بأول وتعمل مع اتصال بطيء.",
            ),
            (
                "بأي منطقة زمنية يُحسب الموعد النهائي؟",
                "بالمنطقة الزمنية للدعوة؛ وكل صفحة تعرضه أيضًا بتوقيتك.",
            ),
        ],
    ),
    "es": (
        "Preguntas frecuentes",
        [
            (
                "¿Quién puede presentar una solicitud?",
                "Estudiantes de medicina matriculados en una facultad asociada, a partir del segundo año.",
            ),
            (
                "¿Puedo presentarla desde mi teléfono?",
                "Sí. Cada formulario se guarda sobre la marcha y funciona con una conexión lenta.",
            ),
            (
                "¿En qué zona horaria está la fecha límite?",
                "En la de la convocatoria; cada página la muestra también en la suya.",
            ),
        ],
    ),
}


def _faq_body(code: str) -> list:
    heading, items = FAQ_TEXT[code]
    return [
        (
            "faq",
            {
                "heading": heading,
                "items": [
                    {"question": question, "answer": f"<p>{answer}</p>"}
                    for question, answer in items
                ],
            },
        )
    ]


FAQ_BODY = _faq_body("en")


def _home_root() -> HomePage:
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE, depth=2).first()
    if home is None:
        title, intro = TEXT["home"]["en"]
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=title, slug="portal-home", intro=intro))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        placeholder = site.root_page
        site.root_page = home
        site.save()
        if type(placeholder.specific) is Page:  # Wagtail's "Welcome" page
            placeholder.delete()
    return home


def _child(parent: Page, model, key: str, **fields):
    page = model.objects.child_of(parent).filter(slug=key).first()
    if page is None:
        title, lead = TEXT[key]["en"]
        extra = {"intro": lead} if hasattr(model, "intro") else {"summary": lead}
        page = parent.add_child(instance=model(title=title, slug=key, **extra, **fields))
        page.save_revision().publish()
    return page


def _translate(page: Page, key: str, locale: Locale) -> None:
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return
    translated = page.specific.copy_for_translation(locale, copy_parents=True, alias=False)
    title, lead = TEXT[key][locale.language_code]
    translated.title = title
    if hasattr(translated, "intro"):
        translated.intro = lead
    elif hasattr(translated, "summary"):
        translated.summary = lead
    if key == "about":  # the FAQ, written in every language
        translated.body = _faq_body(locale.language_code)
    translated.save_revision().publish()


def seed(out) -> None:
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }
    home = _home_root()
    index = _child(home, ProgrammeIndexPage, "programmes", show_in_menus=True)
    call = Call.objects.filter(slug="medical-student-scholarship-2027").first()
    scholarship = _child(
        index, ProgrammePage, "scholarship", kind=ProgrammeKind.SCHOLARSHIP, call=call
    )
    exchange = _child(index, ProgrammePage, "exchange", kind=ProgrammeKind.EXCHANGE)
    mentoring = _child(index, ProgrammePage, "mentoring", kind=ProgrammeKind.MENTORING)
    about = _child(home, StandardPage, "about", show_in_menus=True, body=FAQ_BODY)
    stories = _child(home, StoryIndexPage, "stories", show_in_menus=True)
    story = _child(stories, StoryPage, "story", date=date(2026, 9, 14), author="Awa Ndiaye")
    pages = [
        (home, "home"),
        (index, "programmes"),
        (scholarship, "scholarship"),
        (exchange, "exchange"),
        (mentoring, "mentoring"),
        (about, "about"),
        (stories, "stories"),
        (story, "story"),
    ]
    for code, locale in locales.items():
        if code == "en":
            continue
        for page, key in pages:
            _translate(page, key, locale)
    out.write(f"Pages: {len(pages)} in each of {len(locales)} languages.")
    _rotation_catalogue(home, locales)
    _privacy_page(home, locales)


ROTATION_CATALOGUE_TEXT = {
    "en": (
        "Rotations",
        "Clinical rotations at partner medical schools, open to exchange students.",
    ),
    "fr": (
        "Stages",
        "Des stages cliniques dans les facultés de médecine partenaires, ouverts aux étudiants en échange.",
    ),
    "ar": ("التناوبات", "تناوبات سريرية في كليات الطب الشريكة، متاحة لطلاب التبادل."),
    "es": (
        "Rotaciones",
        "Rotaciones clínicas en facultades de medicina asociadas, abiertas a estudiantes de intercambio.",
    ),
}


def _rotation_catalogue(home: HomePage, locales: dict) -> None:
    """The public rotation catalogue, in the menu, in every language."""
    TEXT.setdefault("rotations", ROTATION_CATALOGUE_TEXT)
    catalogue = _child(home, RotationCatalogPage, "rotations", show_in_menus=True)
    for code, locale in locales.items():
        if code != "en":
            _translate(catalogue, "rotations", locale)


PRIVACY_TEXT = {
    "en": (
        "Privacy",
        "What we keep about you, why, for how long, and how to have it back or erased.",
    ),
    "fr": (
        "Confidentialité",
        "Ce que nous gardons sur vous, pourquoi, combien de temps, et comment le récupérer ou l'effacer.",
    ),
    "ar": ("الخصوصية", "ما نحتفظ به عنك، ولماذا، وإلى متى، وكيف تستعيده أو تمحوه."),
    "es": (
        "Privacidad",
        "Qué guardamos sobre usted, por qué, durante cuánto tiempo y cómo recuperarlo o borrarlo.",
    ),
}

PRIVACY_BODY = {
    "en": [
        "<p>We keep what you give us to run the programmes you take part in: your account, your applications and rank lists, the documents you upload, your referees' letters, your mentoring requests and check-ins.</p>",
        "<p>Immunisation records and proofs of insurance are deleted 90 days after your rotation ends, or after the exchange cycle closes if you were not placed.</p>",
        "<p>From “Your data” in your account you can download everything we hold about you in one file, or erase your account. Decided awards, reviews, placements and past mentorships are then kept without your name, so that the programmes' figures stay true.</p>",
    ],
    "fr": [
        "<p>Nous gardons ce que vous nous confiez pour faire fonctionner les programmes auxquels vous participez : votre compte, vos candidatures et listes de vœux, les documents que vous déposez, les lettres de vos référents, vos demandes de mentorat et vos points d'étape.</p>",
        "<p>Les carnets de vaccination et attestations d'assurance sont effacés 90 jours après la fin de votre stage, ou après la clôture du cycle d'échange si vous n'avez pas été placé.</p>",
        "<p>Depuis « Vos données » dans votre compte, vous pouvez télécharger en un seul fichier tout ce que nous détenons sur vous, ou effacer votre compte. Les bourses décidées, évaluations, placements et mentorats passés sont alors conservés sans votre nom, pour que les chiffres des programmes restent justes.</p>",
    ],
    "ar": [
        "<p>نحتفظ بما تقدمه لنا لتشغيل البرامج التي تشارك فيها: حسابك وطلباتك وقوائم ترتيبك والمستندات التي ترفعها ورسائل المزكّين وطلبات الإرشاد ولقاءات المتابعة.</p>",
        "<p>تُحذف سجلات التطعيم وإثباتات التأمين بعد 90 يومًا من انتهاء تناوبك، أو بعد إغلاق دورة التبادل إن لم يتم توزيعك.</p>",
        "<p>من صفحة «بياناتك» في حسابك يمكنك تنزيل كل ما نحتفظ به عنك في ملف واحد، أو محو حسابك. تبقى المنح المقررة والتقييمات والتوزيعات والإرشاد المنتهي دون اسمك، لتبقى أرقام البرامج صحيحة.</p>",
    ],
    "es": [
        "<p>Guardamos lo que nos confía para gestionar los programas en los que participa: su cuenta, sus solicitudes y listas de preferencias, los documentos que sube, las cartas de sus referentes, sus solicitudes de mentoría y sus seguimientos.</p>",
        "<p>Los registros de vacunación y los justificantes de seguro se borran 90 días después de terminar su rotación, o después del cierre del ciclo de intercambio si no obtuvo plaza.</p>",
        "<p>Desde «Sus datos» en su cuenta puede descargar en un solo archivo todo lo que guardamos sobre usted, o borrar su cuenta. Las becas decididas, evaluaciones, plazas y mentorías pasadas se conservan entonces sin su nombre, para que las cifras de los programas sigan siendo exactas.</p>",
    ],
}


def _privacy_body(code: str) -> list:
    return [("paragraph", RichText(html)) for html in PRIVACY_BODY[code]]


def _privacy_page(home: HomePage, locales: dict) -> None:
    """The privacy notice, written in every language (the footer links to it)."""
    TEXT.setdefault("privacy", PRIVACY_TEXT)
    notice = _child(home, StandardPage, "privacy", body=_privacy_body("en"))
    for code, locale in locales.items():
        if code == "en" or notice.get_translation_or_none(locale) is not None:
            continue
        translated = notice.specific.copy_for_translation(locale, copy_parents=True, alias=False)
        translated.title, translated.intro = PRIVACY_TEXT[code]
        translated.body = _privacy_body(code)
        translated.save_revision().publish()
