"""Every table of the product, by concept; `Base.metadata` is what migrations describe."""

from .base import NAMING_CONVENTION, Base
from .learners import (
    CourseRow,
    EvidenceRow,
    EvidenceRuleRow,
    GoalRow,
    LmsItemRow,
    MembershipRow,
    PersonRow,
)
from .lti import DeploymentRow, PlatformRegistrationRow, ToolKeyRow
from .roles import RoleRequirementRow, RoleRow, RoleTransitionRow
from .taxonomy import BehaviouralAnchorRow, CompetencyRow, FrameworkRow, ScaleLevelRow, ScaleRow
from .tenants import TenantRow

__all__ = [
    "NAMING_CONVENTION",
    "BehaviouralAnchorRow",
    "Base",
    "CompetencyRow",
    "CourseRow",
    "DeploymentRow",
    "EvidenceRow",
    "EvidenceRuleRow",
    "FrameworkRow",
    "GoalRow",
    "LmsItemRow",
    "MembershipRow",
    "PersonRow",
    "PlatformRegistrationRow",
    "RoleRequirementRow",
    "RoleRow",
    "RoleTransitionRow",
    "ScaleLevelRow",
    "ScaleRow",
    "TenantRow",
    "ToolKeyRow",
]
