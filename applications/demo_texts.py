"""The demo calls' texts in French, Arabic and Spanish, beside the English of applications/demo.py.

`TEXTS` maps an English text to its translations; the open call's title and summary are
translated too, the closed call's are not (its pages show the English fallback, marked).
"""

TEXTS: dict[str, dict[str, str]] = {
    # The open call.
    "Medical Student Scholarship 2027": {
        "fr": "Bourse pour étudiants en médecine 2027",
        "ar": "منحة طلاب الطب 2027",
        "es": "Beca para estudiantes de medicina 2027",
    },
    "Tuition and living support for medical students in their clinical years.": {
        "fr": (
            "Frais de scolarité et aide à la vie quotidienne pour les étudiants en médecine "
            "pendant leurs années cliniques."
        ),
        "ar": "دعم للرسوم الدراسية وتكاليف المعيشة لطلاب الطب في سنواتهم السريرية.",
        "es": (
            "Apoyo para la matrícula y los gastos de vida de estudiantes de medicina en sus "
            "años clínicos."
        ),
    },
    # Sections and questions.
    "Your studies": {"fr": "Vos études", "ar": "دراستك", "es": "Tus estudios"},
    "Your plans": {"fr": "Vos projets", "ar": "خططك", "es": "Tus planes"},
    "Why do you want to work in global health?": {
        "fr": "Pourquoi voulez-vous travailler en santé mondiale ?",
        "ar": "لماذا تريد العمل في مجال الصحة العالمية؟",
        "es": "¿Por qué quieres trabajar en salud global?",
    },
    "Which clinical rotation has taught you the most, and why?": {
        "fr": "Quel stage clinique vous a le plus appris, et pourquoi ?",
        "ar": "أيّ تدريب سريري تعلّمت منه أكثر من غيره، ولماذا؟",
        "es": "¿Qué rotación clínica te ha enseñado más, y por qué?",
    },
    "Your most recent grade average (out of 20)": {
        "fr": "Votre dernière moyenne (sur 20)",
        "ar": "آخر معدّل حصلت عليه (من 20)",
        "es": "Tu promedio de calificaciones más reciente (sobre 20)",
    },
    "Which specialty do you intend to train in?": {
        "fr": "Dans quelle spécialité comptez-vous vous former ?",
        "ar": "ما التخصص الذي تنوي التدرّب فيه؟",
        "es": "¿En qué especialidad piensas formarte?",
    },
    "Where do you plan to practise after graduating?": {
        "fr": "Où comptez-vous exercer après l'obtention de votre diplôme ?",
        "ar": "أين تنوي ممارسة المهنة بعد التخرّج؟",
        "es": "¿Dónde piensas ejercer después de graduarte?",
    },
    "Do you receive any other scholarship this year?": {
        "fr": "Recevez-vous une autre bourse cette année ?",
        "ar": "هل تتلقّى أي منحة أخرى هذا العام؟",
        "es": "¿Recibes alguna otra beca este año?",
    },
    # Documents.
    "Academic transcript": {
        "fr": "Relevé de notes",
        "ar": "كشف الدرجات",
        "es": "Certificado de notas",
    },
    "Proof of enrolment": {
        "fr": "Certificat de scolarité",
        "ar": "إثبات التسجيل",
        "es": "Constancia de matrícula",
    },
    "CV": {"fr": "CV", "ar": "السيرة الذاتية", "es": "Currículum"},
    # Rubric.
    "Academic record": {
        "fr": "Dossier académique",
        "ar": "السجل الأكاديمي",
        "es": "Expediente académico",
    },
    "Grades and progression, read against the school's standards.": {
        "fr": "Notes et progression, lues au regard des exigences de la faculté.",
        "ar": "الدرجات والتقدّم الدراسي، مقروءة وفق معايير الكلية.",
        "es": "Calificaciones y progresión, valoradas según los criterios de la facultad.",
    },
    "Motivation": {"fr": "Motivation", "ar": "الدافع", "es": "Motivación"},
    "A clear, specific commitment to serving under-resourced communities.": {
        "fr": "Un engagement clair et précis à servir des communautés qui manquent de moyens.",
        "ar": "التزام واضح ومحدّد بخدمة المجتمعات محدودة الموارد.",
        "es": "Un compromiso claro y concreto con el servicio a comunidades con pocos recursos.",
    },
    "Financial need": {
        "fr": "Besoin financier",
        "ar": "الحاجة المالية",
        "es": "Necesidad económica",
    },
    "How much the award changes what the student can do.": {
        "fr": "À quel point la bourse change ce que l'étudiant peut faire.",
        "ar": "مدى ما تغيّره المنحة فيما يستطيع الطالب القيام به.",
        "es": "Cuánto cambia la beca lo que el estudiante puede hacer.",
    },
    # Eligibility.
    "Are you enrolled in a medical school in Africa or the Middle East?": {
        "fr": "Êtes-vous inscrit(e) dans une faculté de médecine en Afrique ou au Moyen-Orient ?",
        "ar": "هل أنت مسجّل في كلية طب في أفريقيا أو الشرق الأوسط؟",
        "es": "¿Estás matriculado/a en una facultad de medicina de África o de Oriente Medio?",
    },
    "This call supports students enrolled in a medical school in Africa or the Middle East.": {
        "fr": (
            "Cet appel soutient les étudiants inscrits dans une faculté de médecine en "
            "Afrique ou au Moyen-Orient."
        ),
        "ar": "تدعم هذه الدعوة الطلاب المسجّلين في كليات الطب في أفريقيا أو الشرق الأوسط.",
        "es": (
            "Esta convocatoria apoya a estudiantes matriculados en una facultad de medicina "
            "de África o de Oriente Medio."
        ),
    },
    "Have you completed at least two years of medical school?": {
        "fr": "Avez-vous terminé au moins deux années d'études de médecine ?",
        "ar": "هل أتممت سنتين على الأقل من دراسة الطب؟",
        "es": "¿Has completado al menos dos años de la carrera de medicina?",
    },
    "This call is for students who have completed at least two years of medical school.": {
        "fr": (
            "Cet appel s'adresse aux étudiants ayant terminé au moins deux années d'études de "
            "médecine."
        ),
        "ar": "هذه الدعوة مخصّصة للطلاب الذين أتمّوا سنتين على الأقل من دراسة الطب.",
        "es": (
            "Esta convocatoria es para estudiantes que han completado al menos dos años de la "
            "carrera de medicina."
        ),
    },
}

#: The choices of the specialty question, one list per language, in the English order.
SPECIALTY_CHOICES: dict[str, list[str]] = {
    "en": [
        "Internal medicine",
        "Paediatrics",
        "Surgery",
        "Obstetrics and gynaecology",
        "Family medicine",
        "Not decided yet",
    ],
    "fr": [
        "Médecine interne",
        "Pédiatrie",
        "Chirurgie",
        "Gynécologie-obstétrique",
        "Médecine de famille",
        "Pas encore décidé",
    ],
    "ar": [
        "الطب الباطني",
        "طب الأطفال",
        "الجراحة",
        "أمراض النساء والتوليد",
        "طب الأسرة",
        "لم أقرّر بعد",
    ],
    "es": [
        "Medicina interna",
        "Pediatría",
        "Cirugía",
        "Obstetricia y ginecología",
        "Medicina familiar",
        "Aún no lo he decidido",
    ],
}

#: What a demo applicant writes, in the language they write in.
ANSWERS: dict[str, str] = {
    "en": "I grew up two hours from the nearest clinic; I want to help bring care closer.",
    "fr": (
        "J'ai grandi à deux heures du dispensaire le plus proche ; je veux aider à rapprocher "
        "les soins."
    ),
    "ar": "نشأت على بُعد ساعتين من أقرب عيادة، وأريد أن أساعد في تقريب الرعاية الصحية من الناس.",
    "es": (
        "Crecí a dos horas de la clínica más cercana; quiero ayudar a acercar la atención médica."
    ),
}


def in_every_language(field: str, english: str) -> dict[str, str]:
    """``{"label_en": english, "label_fr": …}``: the keyword arguments of a registered field,
    English alone where no translation is written here."""
    return {f"{field}_en": english} | {
        f"{field}_{code}": text for code, text in TEXTS.get(english, {}).items()
    }
