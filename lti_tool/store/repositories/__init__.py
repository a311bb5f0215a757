"""Repositories: one per concept; each takes a Session and speaks domain dataclasses."""

from .courses import CourseRepository
from .evidence import EvidenceRepository
from .lti import LtiRepository
from .people import PersonRepository
from .roles import RoleRepository
from .taxonomy import TaxonomyRepository
from .tenants import TenantRepository

__all__ = [
    "CourseRepository",
    "EvidenceRepository",
    "LtiRepository",
    "PersonRepository",
    "RoleRepository",
    "TaxonomyRepository",
    "TenantRepository",
]
