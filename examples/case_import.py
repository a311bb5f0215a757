"""Import a CASE package: a framework in as CASE 1.0, and back out again.

Run against a live tool: CAREERPATH_URL=http://127.0.0.1:5000 CAREERPATH_API_KEY=cp_... python
examples/case_import.py [FILE_OR_URL]  (the key needs the read and write scopes). By default it
imports tests/fixtures/case/product_management.json under a new title, so it can run again.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

from careerpath_sdk import Client, ImportRejected

DEFAULT_PACKAGE = (Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "case"
                   / "product_management.json")


def main() -> int:
    client = Client(os.environ["CAREERPATH_URL"], os.environ["CAREERPATH_API_KEY"])
    source = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        if source and source.startswith(("http://", "https://")):
            summary = client.imports.case(url=source)
        else:
            package = json.loads(Path(source or DEFAULT_PACKAGE).read_text(encoding="utf-8"))
            if source is None:  # a fresh title: framework names are unique in a tenant
                title = package["CFDocument"]["title"]
                package["CFDocument"]["title"] = f"{title} {uuid.uuid4().hex[:6]}"
            summary = client.imports.case(package)
    except ImportRejected as rejected:
        for problem in rejected.problems:
            print(problem, file=sys.stderr)
        print(f"import refused: {rejected.message}", file=sys.stderr)
        return 2
    print(summary.summary)
    framework_id = summary.framework_ids[0]
    exported = client.frameworks.export_case(framework_id)
    print(f"exported framework {framework_id} as CASE: {len(exported['CFItems'])} items, "
          f"{len(exported['CFAssociations'])} associations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
