"""Quick start: a framework, a role, an LMS item mapped by a rule, evidence, readiness.

Run against a live tool: CAREERPATH_URL=http://127.0.0.1:5000 CAREERPATH_API_KEY=cp_... python
examples/quickstart.py  (the key needs the read and write scopes).
"""

from __future__ import annotations

import os
import uuid

from careerpath_sdk import Client


def main() -> None:
    client = Client(os.environ["CAREERPATH_URL"], os.environ["CAREERPATH_API_KEY"])
    run = uuid.uuid4().hex[:6]
    framework = client.frameworks.create(f"Product management {run}", "four_point_rubric",
                                         competencies=[
        {"code": "RM", "name": "Roadmapping",
         "anchors": [{"level": 2, "text": "Builds a quarterly roadmap with the team"}]},
        {"code": "AN", "name": "Analytics"},
        {"code": "SH", "name": "Stakeholder management"}])
    roadmapping, analytics = framework.competency("RM"), framework.competency("AN")
    stakeholders = framework.competency("SH")
    role = client.roles.create(f"Product Manager II {run}", [
        {"competency_id": roadmapping.id, "required_level": 3, "weight": 35},
        {"competency_id": analytics.id, "required_level": 2, "weight": 25},
        {"competency_id": stakeholders.id, "required_level": 2, "weight": 40,
         "minimum_level": 2}], threshold=0.8)
    course = client.courses.create(f"pm-course-{run}", title="PM foundations")
    capstone = client.courses.add_item(course.id, f"capstone-{run}", title="Roadmap capstone")
    client.rules.create(course.id, capstone.id, roadmapping.id, 3,
                        {"all": [{"type": "completed"}, {"type": "score_at_least",
                                                         "percent": 80}]})
    person = client.people.upsert(f"learner-{run}", name="Ada Learner")
    client.courses.enrol(course.id, person.id)
    client.evidence.add(person.id, "lms_completion", lms_item_id=capstone.id, value=1.0)
    client.evidence.add(person.id, "lms_score", lms_item_id=capstone.id, value=0.9)
    client.evidence.add(person.id, "manager_endorsement", competency_id=stakeholders.id,
                        value=2, verifier="manager@example.com")
    readiness = client.readiness.get(person.id, role.id)
    print(f"{person.name} → {readiness.role_name}: score {readiness.score:.2f}, "
          f"ready={readiness.ready}")
    for gap in readiness.gaps:
        print(f"  gap: {gap.competency_name} at {gap.current} of {gap.required}")


if __name__ == "__main__":
    main()
