"""Push evidence from an HRIS (manager endorsements, certifications) and print readiness.

CAREERPATH_URL and CAREERPATH_API_KEY (scopes read, write) come from the environment.
"""

from __future__ import annotations

import os
import uuid

from careerpath_sdk import Client

STAFF = [("Grace Analyst", 3, 2), ("Linus Analyst", 2, 1), ("Barbara Analyst", 4, 3)]


def main() -> None:
    client = Client(os.environ["CAREERPATH_URL"], os.environ["CAREERPATH_API_KEY"])
    run = uuid.uuid4().hex[:6]
    framework = client.frameworks.create(f"Data {run}", "four_point_rubric", competencies=[
        {"code": "SQL", "name": "SQL"}, {"code": "VIS", "name": "Visualisation"}])
    sql, vis = framework.competency("SQL"), framework.competency("VIS")
    senior = client.roles.create(f"Senior Analyst {run}", [
        {"competency_id": sql.id, "required_level": 3, "weight": 60},
        {"competency_id": vis.id, "required_level": 2, "weight": 40}])
    for name, endorsed, certified in STAFF:
        person = client.people.upsert(f"hris-{run}-{name.split()[0].lower()}", name=name)
        client.evidence.add(person.id, "manager_endorsement", competency_id=sql.id,
                            value=endorsed, source_ref=f"hris:{run}:{person.id}:sql")
        client.evidence.add(person.id, "certification", competency_id=vis.id,
                            value=certified, source_ref=f"hris:{run}:{person.id}:vis")
        readiness = client.readiness.get(person.id, senior.id)
        print(f"{name}: {readiness.score:.2f} ({'ready' if readiness.ready else 'not ready'})")


if __name__ == "__main__":
    main()
