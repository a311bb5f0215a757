"""Push role changes, hires and openings from an HRIS, then read mobility metrics.

CAREERPATH_URL and CAREERPATH_API_KEY (scopes read, write) come from the environment.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

from careerpath_sdk import Client


def main() -> None:
    client = Client(os.environ["CAREERPATH_URL"], os.environ["CAREERPATH_API_KEY"])
    run = uuid.uuid4().hex[:6]
    analyst, senior, owner = (client.roles.create(f"{name} {run}").id
                              for name in ("Analyst", "Senior Analyst", "Product Owner"))
    receipt = client.hris.push(
        hires=[{"sub": f"hris-{run}-ada", "role_id": analyst, "effective_date": date(2025, 1, 1)},
               {"sub": f"hris-{run}-alan", "role_id": analyst,
                "effective_date": date(2025, 3, 1)}],
        role_changes=[
            {"sub": f"hris-{run}-ada", "to_role_id": senior, "kind": "promotion",
             "effective_date": date(2025, 7, 1)},
            {"sub": f"hris-{run}-alan", "to_role_id": senior, "kind": "promotion",
             "effective_date": date(2025, 6, 15)},
            {"sub": f"hris-{run}-ada", "to_role_id": owner, "kind": "lateral",
             "effective_date": date(2025, 10, 1)}],
        openings=[
            {"opening_id": f"REQ-{run}-1", "role_id": senior, "opened_on": date(2025, 5, 1),
             "filled_on": date(2025, 6, 15), "filled_internally": True},
            {"opening_id": f"REQ-{run}-2", "role_id": senior, "opened_on": date(2025, 7, 1),
             "filled_on": date(2025, 8, 20), "filled_internally": False}])
    print(f"recorded {receipt.role_changes_recorded} role changes, "
          f"{receipt.openings_created} openings")
    metrics = client.metrics.mobility(date(2025, 1, 1), date(2025, 12, 31), role_id=senior)
    print(f"internal fill rate for Senior Analyst: {metrics.internal_fill_rate['rate']}")
    for point in metrics.series:
        rate = point["internal_fill_rate"]["rate"]
        if rate is not None:
            print(f"{point['month']}: fill rate {rate:.0%}")


if __name__ == "__main__":
    main()
