"""CASE and CSV interchange: readers and writers between files and the neutral drafts.

Pure: no database, no HTTP. The import and export use cases do the I/O.
"""

from .case import read_package, write_package
from .model import (
    AssociationDraft,
    CompetencyDraft,
    FrameworkDraft,
    LatticeDraft,
    RequirementDraft,
    RoleDraft,
    TransitionDraft,
)
from .moodle_csv import is_moodle_header, read_frameworks
from .problems import ImportProblem, ImportRejected
from .roles_csv import is_roles_header, read_roles

__all__ = [
    "AssociationDraft",
    "CompetencyDraft",
    "FrameworkDraft",
    "ImportProblem",
    "ImportRejected",
    "LatticeDraft",
    "RequirementDraft",
    "RoleDraft",
    "TransitionDraft",
    "is_moodle_header",
    "is_roles_header",
    "read_frameworks",
    "read_package",
    "read_roles",
    "write_package",
]
