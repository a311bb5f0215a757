"""The demo course and deterministic load courses for tests and benchmarks."""

from __future__ import annotations

import hashlib

from flask import Flask

from .model import ResourceLink, User
from .native_course import seed_native
from .platform import Platform, platform_of

DEMO_COURSE = "course-101"
LEARNERS = [
    ("Amara", "Okafor"),
    ("Liam", "O'Brien"),
    ("Priya", "Raman"),
    ("Mateo", "García"),
    ("Sofia", "Rossi"),
    ("Hiroshi", "Tanaka"),
    ("Fatima", "Al-Sayed"),
    ("Noah", "Müller"),
    ("Chloé", "Dubois"),
    ("Kwame", "Mensah"),
    ("Mei", "Chen"),
    ("Aleksander", "Nowak"),
]
GIVEN = [
    "Ana",
    "Ben",
    "Chidi",
    "Dana",
    "Elif",
    "Femi",
    "Gita",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Lars",
    "Maya",
    "Nico",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Yara",
]
FAMILY = [
    "Adeyemi",
    "Berg",
    "Costa",
    "Diallo",
    "Evans",
    "Fischer",
    "Gupta",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kim",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Osei",
    "Petrov",
    "Quispe",
    "Rahman",
    "Silva",
]
LINE_ITEMS = [
    ("SQL Fundamentals quiz", 20.0, "quiz"),
    ("Spreadsheet modelling lab", 30.0, "lab"),
    ("Data cleaning exercise", 25.0, "lab"),
    ("Dashboard project", 100.0, "project"),
    ("Statistics checkpoint", 40.0, "quiz"),
    ("Career readiness reflection", 10.0, "reflection"),
]
WIDGET_LINKS = [
    ("link-career-path", "My career path", "career_path", None),
    ("link-readiness", "Next-role readiness", "readiness", None),
    ("link-badges", "My badges", "badges", "canvas"),
    ("link-mapping", "Competency mapping (instructors)", "mapping", None),
    ("link-admin", "CareerPath administration", "admin", None),
]


def _opaque_id(seed: str) -> str:
    return "u-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def _person(given: str, family: str, domain: str = "example.edu") -> User:
    local = f"{given}.{family}".lower().replace("'", "").replace(" ", "")
    return User(_opaque_id(local), given, family, f"{local}@{domain}")


def add_demo_mentor(platform: Platform) -> User:
    """Enrol Olivia Bennett in the demo course as the Mentor of its first learner (Canvas's
    observer, a manager in a workplace LMS): her launches carry role_scope_mentor."""
    state = platform.state
    with state.lock:
        course = state.course(DEMO_COURSE)
        first = next(m.user_id for m in course.members.values() if m.kind == "learner")
        mentor = _person("Olivia", "Bennett")
        state.enrol_many(DEMO_COURSE, [mentor], "mentor")
        state.set_mentees(DEMO_COURSE, mentor.id, [first])
        return mentor


def seed_demo(platform: Platform) -> str:
    """Create the demo course "Data Analytics Foundations"; returns its id."""
    settings, state = platform.settings, platform.state
    with state.lock:
        state.add_course(DEMO_COURSE, "DAF101", "Data Analytics Foundations", "moodle")
        learners = [_person(g, f) for g, f in LEARNERS[: settings.learners]]
        learners += [
            generated_user(DEMO_COURSE, i) for i in range(len(learners), settings.learners)
        ]
        state.enrol_many(DEMO_COURSE, learners, "learner")
        state.enrol_many(DEMO_COURSE, [_person("Grace", "Whitfield")], "instructor")
        state.enrol_many(DEMO_COURSE, [_person("Rafael", "Ortiz")], "admin")
        if settings.mentor:
            add_demo_mentor(platform)
        for link_id, title, widget, flavour in WIDGET_LINKS:
            state.place_link(
                DEMO_COURSE, ResourceLink(link_id, title, None, {"widget": widget}, flavour=flavour)
            )
        _demo_gradebook(platform, [u.id for u in learners])
        seed_native(platform.native, DEMO_COURSE, [u.id for u in learners])
    return DEMO_COURSE


def _demo_gradebook(platform: Platform, learner_ids: list[str]) -> None:
    gradebook, count = platform.gradebook, platform.settings.line_items
    specs = LINE_ITEMS[:count] + [
        (f"Practice task {n + 1}", 10.0, "practice") for n in range(len(LINE_ITEMS), count)
    ]
    for index, (label, maximum, tag) in enumerate(specs):
        body = {
            "label": label,
            "scoreMaximum": maximum,
            "tag": tag,
            "resourceId": f"daf-{index + 1}",
        }
        if tag == "reflection":
            body["resourceLinkId"] = "link-readiness"
        item = gradebook.create_line_item(DEMO_COURSE, body, platform.settings.client_id)
        if tag == "reflection":
            platform.state.link(DEMO_COURSE, "link-readiness").line_item_id = item.id
        for position, user_id in enumerate(learner_ids):
            score = _score(position, index, maximum)
            if not isinstance(score, str):  # "missing": no result at all
                gradebook.set_result(item, user_id, score)


def generated_user(course_id: str, index: int) -> User:
    given, family = GIVEN[index % len(GIVEN)], FAMILY[(index // len(GIVEN)) % len(FAMILY)]
    local = f"{given}.{family}.{index}".lower()
    return User(f"{course_id}-u{index:05d}", given, family, f"{local}@example.edu")


def _score(learner: int, item: int, maximum: float) -> float | None | str:
    """A deterministic result: about 10% missing, 8% ungraded, the rest spread out."""
    mark = (learner * 7919 + item * 104729 + 17) % 100
    if mark < 10:
        return "missing"
    if mark < 18:
        return None
    return round(maximum * (40 + (mark * 37 + learner) % 61) / 100, 2)


def seed_load(
    target: Flask | Platform, learners: int, line_items: int, *, course_id: str = "load-course"
) -> dict[str, int | str]:
    """A course with `learners` × `line_items` deterministic results; returns its counts."""
    platform = platform_of(target) if isinstance(target, Flask) else target
    state, results, graded = platform.state, 0, 0
    with state.lock:
        state.add_course(course_id, course_id.upper(), f"Load test course {course_id}", "canvas")
        users = [generated_user(course_id, i) for i in range(learners)]
        state.enrol_many(course_id, users, "learner")
        state.place_link(
            course_id, ResourceLink(f"{course_id}-link", "Readiness", None, {"widget": "readiness"})
        )
        for index in range(line_items):
            maximum = float(10 * (1 + index % 10))
            item = platform.gradebook.create_line_item(
                course_id,
                {
                    "label": f"Assessment {index + 1}",
                    "scoreMaximum": maximum,
                    "tag": f"t{index % 4}",
                },
                platform.settings.client_id,
            )
            for position, user in enumerate(users):
                score = _score(position, index, maximum)
                if score != "missing":
                    platform.gradebook.set_result(item, user.id, score)  # type: ignore[arg-type]
                    results += 1
                    graded += score is not None
    return {
        "course_id": course_id,
        "learners": learners,
        "line_items": line_items,
        "results": results,
        "graded": graded,
    }
